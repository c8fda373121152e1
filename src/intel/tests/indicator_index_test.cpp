// The matcher's index: each kind's rule, the most specific hit, the listed
// form kept, duplicates folded, and its memory per indicator.
#include <gtest/gtest.h>

#include "intel/indicator_index.h"

namespace jaga {
namespace {

IndicatorIndex index_of(std::initializer_list<const char*> listed) {
  IndicatorIndex::Builder builder;
  uint32_t n = 0;
  for (const char* text : listed) {
    auto canonical = normalise_indicator(text);
    EXPECT_TRUE(canonical.ok()) << text;
    if (canonical) builder.add(*canonical, text, n++);
  }
  return std::move(builder).build();
}

std::string describe(const IndicatorIndex& index, const std::optional<IndexHit>& hit) {
  if (!hit) return "-";
  return std::string(index.listed(hit->id)) + " " + std::string(to_string(hit->reason));
}

TEST(IndicatorIndex, DomainsMatchThemselvesAndTheirSubdomainsOnly) {
  auto index = index_of({"bad.example.com", "Evil.Example.NET.", "deep.sub.bad.example.com", "zip"});
  auto domain = [&](const char* name) { return describe(index, index.match_domain(name)); };
  EXPECT_EQ(domain("bad.example.com"), "bad.example.com exact");
  EXPECT_EQ(domain("BaD.ExAmPle.CoM"), "bad.example.com exact") << "0x20 mixed case";
  EXPECT_EQ(domain("www.bad.example.com"), "bad.example.com parent_domain");
  EXPECT_EQ(domain("x.deep.sub.bad.example.com"), "deep.sub.bad.example.com parent_domain") << "the most specific";
  EXPECT_EQ(domain("mybad.example.com"), "-") << "a decoy that only ends with the text";
  EXPECT_EQ(domain("example.com"), "-") << "a parent of a listed domain";
  EXPECT_EQ(domain("evil.example.net"), "Evil.Example.NET. exact") << "the indicator as listed";
  EXPECT_EQ(domain("files.zip"), "zip parent_domain") << "a listed top-level domain";
  EXPECT_EQ(index.value(index.match_domain("evil.example.net")->id), "evil.example.net");
}

TEST(IndicatorIndex, AddressesByTheMostSpecificNetwork) {
  auto index = index_of({"192.0.2.0/24", "192.0.2.128/25", "198.51.100.7", "2001:db8::/32", "2001:db8:1::1"});
  auto address = [&](const char* text) { return describe(index, index.match_address(*parse_ip(text))); };
  EXPECT_EQ(address("192.0.2.1"), "192.0.2.0/24 cidr");
  EXPECT_EQ(address("192.0.2.200"), "192.0.2.128/25 cidr");
  EXPECT_EQ(address("198.51.100.7"), "198.51.100.7 exact");
  EXPECT_EQ(address("198.51.100.8"), "-");
  EXPECT_EQ(address("2001:db8:1::1"), "2001:db8:1::1 exact");
  EXPECT_EQ(address("2001:db8:ffff::1"), "2001:db8::/32 cidr");
  EXPECT_EQ(address("2001:db9::1"), "-");
  EXPECT_EQ(address("::ffff:192.0.2.9"), "192.0.2.0/24 cidr") << "IPv4-mapped is IPv4";
  EXPECT_EQ(index.value(index.match_address(*parse_ip("192.0.2.1"))->id), "192.0.2.0/24");
  EXPECT_EQ(index.value(index.match_address(*parse_ip("198.51.100.7"))->id), "198.51.100.7");
}

TEST(IndicatorIndex, UrlsBySafeBrowsingExpressionsThenByHost) {
  auto index = index_of({"http://phish.example.com/login/", "https://evil.example.org/a.php?id=1", "host.example.net"});
  auto url = [&](const char* text) { return describe(index, index.match_url(*normalise_url(text))); };
  EXPECT_EQ(url("https://phish.example.com/login/"), "http://phish.example.com/login/ exact");
  EXPECT_EQ(url("http://phish.example.com/login/step2.php?x=1"), "http://phish.example.com/login/ url_prefix");
  EXPECT_EQ(url("http://a.b.phish.example.com/login/x"), "http://phish.example.com/login/ url_prefix");
  EXPECT_EQ(url("http://phish.example.com/Login/"), "-") << "paths are case-sensitive";
  EXPECT_EQ(url("http://phish.example.com/"), "-");
  EXPECT_EQ(url("http://evil.example.org/a.php?id=1"), "https://evil.example.org/a.php?id=1 exact");
  EXPECT_EQ(url("http://evil.example.org/a.php?id=2"), "-");
  EXPECT_EQ(url("http://www.host.example.net/anything"), "host.example.net parent_domain");
}

TEST(IndicatorIndex, EmailsAndHashesExactly) {
  auto index = index_of({"phisher@example.com", "d41d8cd98f00b204e9800998ecf8427e"});
  EXPECT_EQ(describe(index, index.match_exact(IndicatorKind::email, "phisher@example.com")), "phisher@example.com exact");
  EXPECT_EQ(describe(index, index.match_exact(IndicatorKind::md5, "d41d8cd98f00b204e9800998ecf8427e")),
            "d41d8cd98f00b204e9800998ecf8427e exact");
  EXPECT_EQ(describe(index, index.match_exact(IndicatorKind::email, "other@example.com")), "-");
  EXPECT_FALSE(index.match_domain("example.com")) << "an email's domain is not a listed domain";
}

TEST(IndicatorIndex, DuplicatesAreFoldedAndMemoryIsSmall) {
  IndicatorIndex::Builder builder;
  for (int round = 0; round < 3; ++round)
    for (int i = 0; i < 100000; ++i)
      builder.add({IndicatorKind::domain, "host" + std::to_string(i) + ".malicious-example.com"}, "");
  auto index = std::move(builder).build();
  EXPECT_EQ(index.size(), 100000u);
  EXPECT_EQ(index.duplicates(), 200000u);
  double per_indicator = static_cast<double>(index.memory_bytes()) / index.size();
  EXPECT_LT(per_indicator, 100.0);
  EXPECT_TRUE(index.match_domain("www.host99999.malicious-example.com"));
}

}  // namespace
}  // namespace jaga
