#include "model/exchange.h"

#include <gtest/gtest.h>

namespace jaga {
namespace {

constexpr Tlp kAll[] = {Tlp::clear, Tlp::green, Tlp::amber, Tlp::amber_strict, Tlp::red};

TEST(Exchange, AmberStrictAndRedNeverLeaveWhateverTheAgreementSays) {
  for (Tlp agreed : kAll)
    for (Tlp collection_label : kAll) {
      Agreement a;
      a.max_tlp = agreed;
      Collection c;
      c.max_tlp = collection_label;
      Tlp ceiling = highest_tlp_leaving(a, c);
      EXPECT_LE(ceiling, Tlp::amber);
      EXPECT_LE(ceiling, agreed);
      EXPECT_LE(ceiling, collection_label);
      EXPECT_FALSE(may_leave(Tlp::amber_strict, ceiling));
      EXPECT_FALSE(may_leave(Tlp::red, ceiling));
      EXPECT_TRUE(may_leave(Tlp::clear, ceiling));
    }
  EXPECT_TRUE(may_leave(Tlp::green, Tlp::green));
  EXPECT_FALSE(may_leave(Tlp::amber, Tlp::green));
}

TEST(Exchange, AnUnmarkedObjectIsHeldAtItsCollectionsLabel) {
  Collection c;
  c.max_tlp = Tlp::amber;
  EXPECT_EQ(label_on_arrival(std::nullopt, c), Tlp::amber);
  EXPECT_EQ(label_on_arrival(Tlp::clear, c), Tlp::clear);
  EXPECT_EQ(label_on_arrival(Tlp::red, c), Tlp::red);
}

TEST(Exchange, CollectionRightsReadAsAliasAndAccess) {
  auto rw = parse_collection_right("id-cn:rw");
  ASSERT_TRUE(rw) << rw.error().message;
  EXPECT_EQ(rw->collection, "id-cn");
  EXPECT_TRUE(rw->read && rw->write);
  auto bare = parse_collection_right("asean.region");
  ASSERT_TRUE(bare);
  EXPECT_TRUE(bare->read);
  EXPECT_FALSE(bare->write);
  auto write_only = parse_collection_right("drop:w");
  ASSERT_TRUE(write_only);
  EXPECT_FALSE(write_only->read);
  EXPECT_TRUE(write_only->write);
  for (const char* bad : {"id-cn:", "id-cn:x", ":rw", "ID-CN:rw", "a b:r", "-x:r", "id/cn:rw"}) {
    auto parsed = parse_collection_right(bad);
    EXPECT_FALSE(parsed) << bad;
  }
  EXPECT_NE(parse_collection_right("id-cn:x").error().message.find("r, w or rw"), std::string::npos);
}

}  // namespace
}  // namespace jaga
