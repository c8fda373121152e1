#include "util/time.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <random>

namespace jaga {

TEST(Time, FormatsUtcWithMilliseconds) {
  auto t = Clock::from_time_t(1764081000) + std::chrono::milliseconds(42);
  EXPECT_EQ(format_rfc3339(t), "2025-11-25T14:30:00.042Z");
}

TEST(Time, FormatsEveryDayAsTheCLibraryDoes) {
  // Leap days, year ends, before 1970, and many times at random over three centuries.
  std::vector<int64_t> micros = {0, -1, 951782400000000 - 1, 951782400000000, 4107542399999999, -2208988800000000,
                                 1764081000123456};
  std::mt19937_64 random(20261204);
  std::uniform_int_distribution<int64_t> any(-2208988800000000, 7258118399999999);  // 1900 to 2199
  for (int i = 0; i < 20000; ++i) micros.push_back(any(random));
  for (int64_t at : micros) {
    int64_t seconds = at / 1000000, fraction = at % 1000000;
    if (fraction < 0) fraction += 1000000, --seconds;
    time_t whole = static_cast<time_t>(seconds);
    std::tm tm{};
    gmtime_r(&whole, &tm);
    char expected[64];
    std::snprintf(expected, sizeof expected, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(fraction));
    ASSERT_EQ(format_rfc3339_micros(at), expected) << at;
    std::string millis = expected;
    millis.replace(23, 4, "Z");
    ASSERT_EQ(format_rfc3339(Clock::time_point(std::chrono::microseconds(at))), millis) << at;
  }
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
