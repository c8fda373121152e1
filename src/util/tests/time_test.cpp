#include "util/time.h"

#include <gtest/gtest.h>

namespace jaga {

TEST(Time, FormatsUtcWithMilliseconds) {
  auto t = Clock::from_time_t(1764081000) + std::chrono::milliseconds(42);
  EXPECT_EQ(format_rfc3339(t), "2025-11-25T14:30:00.042Z");
}

TEST(Time, ParsesOffsetsAndDates) {
  auto jakarta = parse_rfc3339("2025-11-25T21:30:00+07:00");
  ASSERT_TRUE(jakarta);
  EXPECT_EQ(format_rfc3339(*jakarta), "2025-11-25T14:30:00.000Z");
  auto date = parse_rfc3339("2025-02-28");
  ASSERT_TRUE(date);
  EXPECT_EQ(format_rfc3339(*date), "2025-02-28T00:00:00.000Z");
  auto frac = parse_rfc3339("2025-11-25T14:30:00.5Z");
  ASSERT_TRUE(frac);
  EXPECT_EQ(format_rfc3339(*frac), "2025-11-25T14:30:00.500Z");
}

TEST(Time, RejectsBadDates) {
  for (const char* bad : {"", "2025", "2025-13-01", "2025-02-31", "2025-11-25T25:00:00Z",
                          "2025-11-25T14:30:00", "4052-01-01", "0001-01-01", "yesterday", "2025-11-25T14:30:00Zjunk"}) {
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
  }
}

}  // namespace jaga
