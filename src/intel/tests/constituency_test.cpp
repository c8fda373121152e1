#include "intel/constituency.h"

#include <gtest/gtest.h>

namespace jaga {
namespace {

std::vector<Organisation> registry() {
  Organisation kemenkeu{1, std::nullopt, "", "Kementerian Keuangan", "ministry", "id", {"kemenkeu.go.id"}, {"103.10.0.0/16"}};
  Organisation djp{2, int64_t{1}, "", "Direktorat Jenderal Pajak", "agency", "id", {"pajak.go.id", "djp.kemenkeu.go.id"}, {"103.10.20.0/24", "2001:db8:20::/48"}};
  Organisation jabar{3, std::nullopt, "", "Pemerintah Provinsi Jawa Barat", "province", "id", {"jabarprov.go.id"}, {}};
  Organisation bandung{4, int64_t{3}, "", "Pemerintah Kota Bandung", "city", "id", {"bandung.go.id"}, {"2001:db8:40::/48"}};
  return {kemenkeu, djp, jabar, bandung};
}

std::vector<Indicator> named(std::vector<std::pair<std::string, std::string>> items) {
  std::vector<Indicator> out;
  for (auto& [type, value] : items) out.push_back({type, value, "text"});
  return out;
}

TEST(Network, ParsesAndContains) {
  auto n = parse_network("10.1.2.3/16");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->text(), "10.1.0.0/16") << "host bits cleared";
  EXPECT_TRUE(n->contains(*parse_ip("10.1.255.7")));
  EXPECT_FALSE(n->contains(*parse_ip("10.2.0.1")));
  EXPECT_FALSE(n->contains(*parse_ip("::ffff:10.1.0.1"))) << "a v6 address is not in a v4 network";
  EXPECT_EQ(parse_network("2001:DB8::1/32")->text(), "2001:db8::/32");
  EXPECT_EQ(parse_network("192.0.2.7")->text(), "192.0.2.7/32");
  EXPECT_TRUE(parse_network("0.0.0.0/0")->contains(*parse_ip("8.8.8.8")));
  for (auto bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "2001:db8::/129", "x", "10.0.0.0/8x", ""})
    EXPECT_FALSE(parse_network(bad)) << bad;
}

TEST(Constituency, TheLongestDomainSuffixWins) {
  ConstituencyIndex index(registry());
  auto r = index.route(named({{"domain", "sso.djp.kemenkeu.go.id"}}));
  ASSERT_TRUE(r.organisation_id);
  EXPECT_EQ(*r.organisation_id, 2);
  EXPECT_EQ(r.matches[0].rule, "djp.kemenkeu.go.id");
  EXPECT_EQ(*index.route(named({{"domain", "portal.kemenkeu.go.id"}})).organisation_id, 1) << "a subdomain without its own owner goes to the parent domain's owner";
  EXPECT_EQ(*index.route(named({{"url", "https://user@www.bandung.go.id:8443/login?x=1"}})).organisation_id, 4);
  EXPECT_EQ(*index.route(named({{"email", "admin@pajak.go.id"}})).organisation_id, 2);
  EXPECT_FALSE(index.route(named({{"domain", "notkemenkeu.go.id"}})).organisation_id) << "suffixes match whole labels";
  EXPECT_FALSE(index.route(named({{"domain", "go.id"}})).organisation_id);
}

TEST(Constituency, TheLongestIpPrefixWins) {
  ConstituencyIndex index(registry());
  EXPECT_EQ(*index.route(named({{"ipv4", "103.10.20.9"}})).organisation_id, 2);
  EXPECT_EQ(*index.route(named({{"ipv4", "103.10.99.9"}})).organisation_id, 1);
  EXPECT_EQ(*index.route(named({{"ipv6", "2001:db8:40::5"}})).organisation_id, 4);
  EXPECT_EQ(*index.route(named({{"url", "http://[2001:db8:20::1]/x"}})).organisation_id, 2);
  EXPECT_EQ(*index.route(named({{"url", "http://103.10.20.7:8080/"}})).organisation_id, 2);
  auto none = index.route(named({{"ipv4", "8.8.8.8"}, {"phone", "+628123"}, {"sha256", "ab"}}));
  EXPECT_FALSE(none.organisation_id) << "no owner: the desk handles it";
  EXPECT_TRUE(none.matches.empty());
}

TEST(Constituency, TheOrganisationWithMostMatchesOwnsTheIncidentAndEveryMatchIsShown) {
  ConstituencyIndex index(registry());
  auto r = index.route(named({{"domain", "bandung.go.id"}, {"domain", "jabarprov.go.id"}, {"url", "https://bandung.go.id/a"}, {"ipv6", "2001:db8:40::9"}}));
  EXPECT_EQ(*r.organisation_id, 4);
  ASSERT_EQ(r.matches.size(), 3u) << "the URL's host repeats the domain";
  EXPECT_EQ(r.matches.back().organisation_id, 3) << "the other organisation's match is listed after the owner's";
}

TEST(Constituency, ParentChainsEndAtTheTop) {
  ConstituencyIndex index(registry());
  EXPECT_EQ(index.parent_chain(2), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(index.parent_chain(3), (std::vector<int64_t>{3}));
  EXPECT_TRUE(index.parent_chain(99).empty());
}

}  // namespace
}  // namespace jaga
