#include "util/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

namespace jaga {

TEST(HugePageAllocator, BigBlocksStartOnA2MiBBoundaryAndHoldTheirValues) {
  std::vector<uint64_t, HugePageAllocator<uint64_t>> big(3 << 18);  // 6 MiB
  EXPECT_EQ(reinterpret_cast<uintptr_t>(big.data()) % HugePageAllocator<uint64_t>::kHugePage, 0u);
  std::iota(big.begin(), big.end(), uint64_t{0});
  EXPECT_EQ(big.back(), big.size() - 1);
  big.resize(big.size() * 2, 7);  // grows into a new block, the values moved
  EXPECT_EQ(big[12345], 12345u);
  EXPECT_EQ(big.back(), 7u);
}

TEST(HugePageAllocator, SmallBlocksAreOrdinary) {
  std::vector<char, HugePageAllocator<char>> small;
  for (char c : std::string_view("a few bytes")) small.push_back(c);
  EXPECT_EQ(std::string_view(small.data(), small.size()), "a few bytes");
}

}  // namespace jaga
