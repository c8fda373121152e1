// RPZ zones: the triggers resolvers expect for each kind, and what has no
// RPZ form left out. (tests/integration/rpz.test.mjs loads a zone into
// Debian's unbound and asks it with dig.)
#include <gtest/gtest.h>

#include "intel/rpz.h"

namespace jaga {
namespace {

CanonicalIndicator ind(const char* text) { return *normalise_indicator(text); }

TEST(Rpz, AddressTriggers) {
  EXPECT_EQ(rpz_ip_trigger(ind("192.0.2.1")), "32.1.2.0.192.rpz-ip");
  EXPECT_EQ(rpz_ip_trigger(ind("192.0.2.0/24")), "24.0.2.0.192.rpz-ip");
  EXPECT_EQ(rpz_ip_trigger(ind("2001:db8::/32")), "32.zz.db8.2001.rpz-ip");
  EXPECT_EQ(rpz_ip_trigger(ind("2001:db8::1")), "128.1.zz.db8.2001.rpz-ip");
  EXPECT_EQ(rpz_ip_trigger(ind("2001:db8:0:1:0:0:0:5")), "128.5.zz.1.0.db8.2001.rpz-ip");
  EXPECT_EQ(rpz_ip_trigger(ind("2001:db8:1:2:3:4:5:6")), "128.6.5.4.3.2.1.db8.2001.rpz-ip");
}

TEST(Rpz, ZoneText) {
  RpzOptions options;
  options.zone = "rpz.csirt-contoh.go.id";
  options.serial = 2026120201;
  auto zone = rpz_zone({ind("evil-phish.xyz"), ind("91.92.93.0/24"), ind("http://evil-phish.xyz/login"),
                        ind("d41d8cd98f00b204e9800998ecf8427e")},
                       options);
  EXPECT_EQ(zone.domains, 1u);
  EXPECT_EQ(zone.addresses, 1u);
  EXPECT_EQ(zone.skipped, 2u);
  EXPECT_NE(zone.text.find("$ORIGIN rpz.csirt-contoh.go.id.\n"), std::string::npos);
  EXPECT_NE(zone.text.find(" 2026120201 "), std::string::npos);
  EXPECT_NE(zone.text.find("\nevil-phish.xyz CNAME .\n*.evil-phish.xyz CNAME .\n"), std::string::npos);
  EXPECT_NE(zone.text.find("\n24.0.93.92.91.rpz-ip CNAME .\n"), std::string::npos);
  EXPECT_EQ(zone.text.find("login"), std::string::npos) << "a URL is not widened to its host";
}

}  // namespace
}  // namespace jaga
