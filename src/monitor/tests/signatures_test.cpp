#include <gtest/gtest.h>

#include "monitor/signatures.h"

namespace jaga::monitor {
namespace {

std::vector<std::string> ids(const SignatureMatcher& m, std::string_view text) {
  std::vector<std::string> out;
  for (const auto& match : m.find(text)) out.push_back(match.signature->id);
  return out;
}

SignatureMatcher matcher(std::string_view tsv) {
  auto parsed = parse_signatures(tsv, "test.tsv");
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return SignatureMatcher(parsed.ok() ? *parsed : std::vector<Signature>{});
}

TEST(Signatures, FindsEveryPhraseInOnePassWhateverItsCase) {
  auto m = matcher("defacement-hacked-by\tcritical\thacked by\n"
                   "spam-slot-gacor\thigh\tslot gacor\tgambling\n"
                   "spam-gacor-hari-ini\thigh\tgacor hari ini\n"
                   "spam-zh-casino\thigh\t赌场\n");
  EXPECT_EQ(ids(m, "HACKED BY xX_team -- Slot GACOR hari ini"),
            (std::vector<std::string>{"defacement-hacked-by", "spam-slot-gacor", "spam-gacor-hari-ini"}));
  EXPECT_EQ(ids(m, "欢迎来到澳门赌场"), std::vector<std::string>{"spam-zh-casino"});
  EXPECT_TRUE(ids(m, "Dinas Kesehatan").empty());
}

TEST(Signatures, AWordPhraseMatchesOnlyAsWholeWords) {
  auto m = matcher("defacement-hacked-by\tcritical\thacked by\nspam-slot88\thigh\tslot88\n");
  EXPECT_TRUE(ids(m, "he whacked by accident").empty());
  EXPECT_TRUE(ids(m, "slot888 and hacked byte").empty());
  EXPECT_EQ(ids(m, "...hacked by: me, slot88!").size(), 2u);
  // The first occurrence fails the boundary, a later one holds.
  auto found = m.find("whacked by, then hacked by");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].offset, 17u);
}

TEST(Signatures, OverlappingPhrasesAreAllFound) {
  auto m = matcher("spam-a\thigh\tslot online\nspam-b\thigh\tonline casino\nspam-c\thigh\tslot online casino\n");
  EXPECT_EQ(ids(m, "best slot online casino"), (std::vector<std::string>{"spam-a", "spam-b", "spam-c"}));
}

TEST(Signatures, ABadLineIsNamedWithItsNumber) {
  auto bad = [](std::string_view tsv) {
    auto parsed = parse_signatures(tsv, "desk.tsv");
    return parsed.ok() ? std::string("accepted") : parsed.error().message;
  };
  EXPECT_EQ(bad("# comment\n\nspam-x\thigh\n"),
            "desk.tsv line 3: expected 3 or 4 tab-separated columns (id, severity, phrase, description), found 2");
  EXPECT_EQ(bad("malware-x\thigh\tevil\n"), "desk.tsv line 1: the id 'malware-x' must start with defacement- or spam-");
  EXPECT_EQ(bad("spam-x\tsevere\tevil\n"),
            "desk.tsv line 1: severity must be low, medium, high or critical, not 'severe'");
  EXPECT_EQ(bad("spam-x\thigh\tab\n"), "desk.tsv line 1: the phrase must have at least 3 characters");
  EXPECT_EQ(bad("spam-x\thigh\tabc\nspam-x\thigh\tdef\n"), "desk.tsv line 2: the id 'spam-x' is already used");
  EXPECT_EQ(bad("spam-x y\thigh\tabc\n"), "desk.tsv line 1: the id 'spam-x y' may hold only letters, digits, '-' and '_'");
}

TEST(Signatures, TheShippedFileCoversDefacersAndGamblingInThreeLanguages) {
  const auto& shipped = shipped_signatures();
  ASSERT_GE(shipped.size(), 40u);
  SignatureMatcher m(shipped);
  EXPECT_EQ(ids(m, "Hacked By Garuda Cyber Team"), std::vector<std::string>{"defacement-hacked-by"});
  EXPECT_EQ(ids(m, "situs ini telah diretas"), std::vector<std::string>{"defacement-telah-diretas"});
  EXPECT_EQ(ids(m, "h4ck3d by anon"), std::vector<std::string>{"defacement-h4ck3d-by"});
  EXPECT_EQ(ids(m, "网站已被入侵"), std::vector<std::string>{"defacement-zh-intruded"});
  EXPECT_EQ(ids(m, "Daftar SLOT GACOR maxwin"), (std::vector<std::string>{"spam-slot-gacor", "spam-maxwin"}));
}

}  // namespace
}  // namespace jaga::monitor
