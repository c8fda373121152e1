#include <gtest/gtest.h>

#include <set>

#include "model/report.h"
#include "model/rsit.h"
#include "model/tracking_code.h"
#include "model/user.h"
#include "util/crypto.h"

namespace jaga {

TEST(Rsit, KnowsTheTaxonomyFromTheShippedFile) {
  const auto& rsit = Rsit::builtin();
  EXPECT_EQ(rsit.types().size(), 39u);
  EXPECT_TRUE(rsit.is_category("fraud:phishing"));
  EXPECT_TRUE(rsit.is_category("intrusions:application-compromise"));
  EXPECT_FALSE(rsit.is_category("fraud"));
  EXPECT_FALSE(rsit.is_category("fraud:"));
  EXPECT_FALSE(rsit.is_category("fraud:phishingx"));
  EXPECT_FALSE(rsit.is_category("phishing:fraud"));
}

TEST(TrackingCode, HasTheReadableShapeAndNoAmbiguousCharacters) {
  init_crypto();
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    auto code = generate_tracking_code();
    ASSERT_EQ(code.size(), 12u);
    ASSERT_EQ(code.substr(0, 3), "JG-");
    ASSERT_EQ(code[7], '-');
    for (char c : code.substr(3)) {
      if (c != '-') {
        ASSERT_NE(tracking_code_alphabet.find(c), std::string_view::npos) << code;
      }
    }
    for (char ambiguous : std::string("01OIL U")) ASSERT_EQ(code.substr(3).find(ambiguous), std::string::npos);
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 2000u);
}

TEST(TrackingCode, NormalisesWhatPeopleType) {
  EXPECT_EQ(normalise_tracking_code("jg-7k3m-q9px"), "JG-7K3M-Q9PX");
  EXPECT_EQ(normalise_tracking_code("7K3M Q9PX"), "JG-7K3M-Q9PX");
  EXPECT_EQ(normalise_tracking_code("JG7K3MQ9PX"), "JG-7K3M-Q9PX");
  EXPECT_FALSE(normalise_tracking_code("JG-7K3M-Q9P0"));
  EXPECT_FALSE(normalise_tracking_code("JG-7K3M"));
  EXPECT_FALSE(normalise_tracking_code("../../etc"));
}

TEST(Channel, RoundTrips) {
  for (auto c : {Channel::web, Channel::phone, Channel::walk_in, Channel::letter, Channel::email})
    EXPECT_EQ(parse_channel(to_string(c)), c);
  EXPECT_FALSE(parse_channel("fax"));
}

}  // namespace jaga

namespace jaga {
namespace {
TEST(Roles, AreReadAsPeopleWriteThem) {
  EXPECT_EQ(parse_role("organisation-contact"), Role::organisation_contact);
  EXPECT_EQ(parse_role("Organization_Contact"), Role::organisation_contact);
  EXPECT_EQ(parse_role("desk operator"), Role::operator_);
  EXPECT_EQ(parse_role("partner_liaison"), Role::partner_liaison);
  EXPECT_EQ(parse_role("ADMIN"), Role::administrator);
  EXPECT_FALSE(parse_role("root"));
  for (Role r : kAllRoles) {
    EXPECT_EQ(parse_role(to_string(r)), r);
  }
}
}  // namespace
}  // namespace jaga
