#include "util/text_diff.h"

#include <gtest/gtest.h>

namespace jaga {
namespace {

TEST(TextDiff, ReportsTheReplacedPassagesInTheirOrder) {
  auto change = text_change("Welcome to the city of Bandung. Our services are online. Contact us at the hall.",
                            "Welcome to the city of Bandung. HACKED BY CYBER TEAM. Contact us at the hall.");
  ASSERT_EQ(change.removed.size(), 1u);
  EXPECT_EQ(change.removed[0], "Our services are online.");
  ASSERT_EQ(change.added.size(), 1u);
  EXPECT_EQ(change.added[0], "HACKED BY CYBER TEAM.");
}

TEST(TextDiff, IgnoresChangedNumbersAndCase) {
  auto change = text_change("Updated 2 December 2026. Visitors: 10,391.", "updated 3 December 2026. Visitors: 10,410.");
  EXPECT_TRUE(change.empty());
}

TEST(TextDiff, CutsCjkSentencesAndLongRunsOfWords) {
  auto change = text_change("欢迎访问。网站正常。", "欢迎访问。网站被黑。");
  ASSERT_EQ(change.added.size(), 1u);
  EXPECT_EQ(change.added[0], "网站被黑。");
  std::string long_text;
  for (int i = 0; i < 65; ++i) long_text += "word" + std::string(1, static_cast<char>('a' + i % 26)) + " ";
  auto whole = text_change("", long_text);
  EXPECT_EQ(whole.added.size(), 3u);  // 30 + 30 + 5 words
}

TEST(TextDiff, DescribesWithinTheLimit) {
  TextChange change;
  for (int i = 0; i < 100; ++i) change.added.push_back("slot gacor hari ini maxwin " + std::to_string(i) + ".");
  change.removed.push_back("Layanan publik kota.");
  std::string text = describe_text_change(change, 600);
  EXPECT_LE(text.size(), 650u);  // the "more" line may pass the limit by a few characters
  EXPECT_NE(text.find("Removed from the baseline (1 passage):\n- Layanan publik kota."), std::string::npos);
  EXPECT_NE(text.find("Added to the page (100 passages):"), std::string::npos);
  EXPECT_NE(text.find(" more)"), std::string::npos);
  EXPECT_EQ(describe_text_change({}, 100), "The page's text is the same as its baseline's.");
}

}  // namespace
}  // namespace jaga
