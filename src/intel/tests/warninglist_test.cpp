// Warninglists in the MISP format: each type's semantics, the lists a kind
// is matched against, bad lists refused, and the lists the binary carries.
#include <gtest/gtest.h>

#include "intel/warninglist.h"

namespace jaga {
namespace {

CanonicalIndicator indicator(const char* text) {
  auto got = normalise_indicator(text);
  EXPECT_TRUE(got.ok()) << text;
  return got.ok() ? *got : CanonicalIndicator{};
}

std::string covered_by(const Warninglists& lists, const char* text) {
  auto name = lists.find(indicator(text));
  return name ? std::string(*name) : "";
}

TEST(Warninglists, EachTypeAsMispReadsIt) {
  Warninglists lists;
  ASSERT_TRUE(lists.add_json(R"({"name":"hosts","type":"hostname","list":["Cdn.Example.com.","blogspot.com"],"matching_attributes":["hostname","domain","url"]})").ok());
  ASSERT_TRUE(lists.add_json(R"([{"name":"tops","type":"string","list":["top.example.org",".google.co.id"]},
                                 {"name":"parts","type":"substring","list":["sinkhole"],"matching_attributes":["domain"]},
                                 {"name":"nets","type":"cidr","list":["10.0.0.0/8","2001:db8::/32","bad"],"matching_attributes":["ip-dst"]},
                                 {"name":"abuse","type":"regex","list":["/^(abuse|noc)\\@.*$/i"],"matching_attributes":["email-src"]},
                                 {"name":"empty","type":"string","list":["D41D8CD98F00B204E9800998ECF8427E"],"matching_attributes":["md5"]}])")
                  .ok());
  EXPECT_EQ(covered_by(lists, "cdn.example.com"), "hosts");
  EXPECT_EQ(covered_by(lists, "a.b.cdn.example.com"), "hosts") << "a hostname entry covers subdomains";
  EXPECT_EQ(covered_by(lists, "example.com"), "") << "but not its parent";
  EXPECT_EQ(covered_by(lists, "http://x.blogspot.com/phish"), "hosts") << "a URL by its host";
  EXPECT_EQ(covered_by(lists, "top.example.org"), "tops");
  EXPECT_EQ(covered_by(lists, "www.top.example.org"), "") << "a string entry is exact";
  EXPECT_EQ(covered_by(lists, "mail.google.co.id"), "tops") << "a leading dot makes a suffix";
  EXPECT_EQ(covered_by(lists, "sinkhole.example.net"), "parts");
  EXPECT_EQ(covered_by(lists, "http://sinkhole.example.net/"), "") << "the substring list applies to domains only";
  EXPECT_EQ(covered_by(lists, "10.20.30.40"), "nets");
  EXPECT_EQ(covered_by(lists, "10.20.0.0/16"), "nets") << "a network inside a listed one";
  EXPECT_EQ(covered_by(lists, "0.0.0.0/0"), "") << "a wider network is not covered";
  EXPECT_EQ(covered_by(lists, "2001:db8::5"), "nets");
  EXPECT_EQ(covered_by(lists, "192.0.2.1"), "");
  EXPECT_EQ(covered_by(lists, "Abuse@Example.net"), "abuse");
  EXPECT_EQ(covered_by(lists, "phisher@example.net"), "");
  EXPECT_EQ(covered_by(lists, "d41d8cd98f00b204e9800998ecf8427e"), "empty");
  ASSERT_EQ(lists.lists().size(), 6u);
  EXPECT_EQ(lists.lists()[3].skipped, 1u) << "'bad' is no network";
}

TEST(Warninglists, NetworksNestedAdjoiningAndAtTheEdgesOfTheAddressSpace) {
  Warninglists lists;
  ASSERT_TRUE(lists.add_json(R"([{"name":"wide","type":"cidr","list":["198.51.100.0/24","192.0.2.0/25"]},
                                 {"name":"narrow","type":"cidr","list":["198.51.100.64/26","192.0.2.128/25","203.0.113.9"]},
                                 {"name":"edges","type":"cidr","list":["255.255.255.0/24","0.0.0.0/8","ffff:ffff::/32"]}])")
                  .ok());
  EXPECT_EQ(covered_by(lists, "198.51.100.70"), "narrow") << "the most specific network names the list";
  EXPECT_EQ(covered_by(lists, "198.51.100.200"), "wide");
  EXPECT_EQ(covered_by(lists, "192.0.2.127"), "wide") << "two adjoining networks of different lists";
  EXPECT_EQ(covered_by(lists, "192.0.2.128"), "narrow");
  EXPECT_EQ(covered_by(lists, "192.0.3.0"), "") << "just past them";
  EXPECT_EQ(covered_by(lists, "192.0.1.255"), "") << "just before them";
  EXPECT_EQ(covered_by(lists, "203.0.113.9"), "narrow") << "a single address";
  EXPECT_EQ(covered_by(lists, "203.0.113.10"), "");
  EXPECT_EQ(covered_by(lists, "203.0.113.8"), "");
  EXPECT_EQ(covered_by(lists, "255.255.255.255"), "edges");
  EXPECT_EQ(covered_by(lists, "0.1.2.3"), "edges");
  EXPECT_EQ(covered_by(lists, "ffff:ffff:ffff::1"), "edges") << "the top of the IPv6 space";
  EXPECT_EQ(covered_by(lists, "ffff:fffe::1"), "");
  EXPECT_EQ(covered_by(lists, "198.51.100.0/25"), "wide") << "a network inside a listed one";
  EXPECT_EQ(covered_by(lists, "192.0.2.0/24"), "") << "a network wider than each listed half";
}

TEST(Warninglists, AStringInListsForDifferentKindsNamesTheFirstListForEachKind) {
  Warninglists lists;
  ASSERT_TRUE(lists.add_json(R"([{"name":"first","type":"string","list":["shared.example.net"],"matching_attributes":["domain"]},
                                 {"name":"second","type":"string","list":["shared.example.net","D41D8CD98F00B204E9800998ECF8427E"]},
                                 {"name":"third","type":"string","list":["shared.example.net"]}])")
                  .ok());
  EXPECT_EQ(covered_by(lists, "shared.example.net"), "first") << "the first list for domains";
  EXPECT_EQ(covered_by(lists, "http://shared.example.net/"), "second") << "the first list for URLs (by their host)";
  EXPECT_EQ(covered_by(lists, "d41d8cd98f00b204e9800998ecf8427e"), "second");
  EXPECT_EQ(covered_by(lists, "other.example.net"), "");
}

TEST(Warninglists, BadListsAreRefusedWithTheReason) {
  Warninglists lists;
  EXPECT_NE(lists.add_json("{").error().message.find("not valid JSON"), std::string::npos);
  EXPECT_NE(lists.add_json(R"({"type":"string","list":[]})").error().message.find("has no name"), std::string::npos);
  EXPECT_NE(lists.add_json(R"({"name":"x","type":"string"})").error().message.find("has no list"), std::string::npos);
  EXPECT_NE(lists.add_json(R"({"name":"x","type":"glob","list":[]})").error().message.find("the type 'glob'"), std::string::npos);
  EXPECT_TRUE(lists.lists().empty());
}

TEST(Warninglists, ListsAddedLaterApplyAlongsideTheFirst) {
  Warninglists lists;
  ASSERT_TRUE(lists.add_json(R"({"name":"first","type":"hostname","list":["first.example"]})").ok());
  EXPECT_EQ(covered_by(lists, "www.first.example"), "first");
  // An array whose second list is refused: the first of it stays added.
  auto refused = lists.add_json(R"([{"name":"second","type":"hostname","list":["second.example"]},
                                    {"name":"third","type":"glob","list":[]}])");
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(covered_by(lists, "www.first.example"), "first");
  EXPECT_EQ(covered_by(lists, "second.example"), "second");
  EXPECT_EQ(covered_by(lists, "third.example"), "");
}

TEST(Warninglists, TheShippedListsCoverWellKnownValues) {
  const auto& lists = shipped_warninglists();
  EXPECT_GE(lists.lists().size(), 130u);
  EXPECT_GE(lists.entry_count(), 100000u);
  for (const char* benign : {"google.com", "www.google.com", "8.8.8.8", "1.1.1.1", "10.1.2.3", "192.168.1.1",
                             "d41d8cd98f00b204e9800998ecf8427e", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"})
    EXPECT_NE(covered_by(lists, benign), "") << benign;
  for (const char* malicious : {"lapor-pajak-restitusi.xyz", "evil-phish-login.top", "91.92.93.94"})
    EXPECT_EQ(covered_by(lists, malicious), "") << malicious;
}

}  // namespace
}  // namespace jaga
