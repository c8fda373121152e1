// Feeds out: each format's text for the same few indicators, and what has no
// form in a format counted as skipped. (The RPZ zone is checked in unbound by
// tests/integration/rpz.test.mjs; the STIX bundle read back by jaga import in
// tests/integration/indicators.test.mjs.)
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "intel/feeds.h"
#include "intel/stix_vocabulary.h"

namespace jaga {
namespace {

std::vector<FeedEntry> entries() {
  auto entry = [](const char* text, Tlp tlp) { return FeedEntry{*normalise_indicator(text), tlp, {}, {}, {}, {}}; };
  std::vector<FeedEntry> out{entry("bank-login-verify.xyz", Tlp::green), entry("45.61.136.0/24", Tlp::amber),
                             entry("http://secure-pay.top/login?a=\"x\"", Tlp::clear),
                             entry("d41d8cd98f00b204e9800998ecf8427e", Tlp::red)};
  out[0].confidence = 80;
  out[0].first_seen = "2026-12-01T00:00:00.000Z";
  out[0].last_seen = "2026-12-02T00:00:00.000Z";
  out[0].valid_until = "2027-01-01T00:00:00.000Z";
  return out;
}

FeedOptions options() {
  FeedOptions o;
  o.made_at = "2026-12-02T10:00:00.000Z";
  o.label = "TLP:RED and less restricted";
  return o;
}

TEST(Feeds, StixBundle) {
  auto feed = write_feed(entries(), FeedFormat::stix, options());
  EXPECT_EQ(feed.written, 4u);
  auto bundle = boost::json::parse(feed.text).as_object();
  EXPECT_EQ(bundle.at("type"), "bundle");
  const auto& objects = bundle.at("objects").as_array();
  ASSERT_EQ(objects.size(), 4u);
  const auto& first = objects[0].as_object();
  EXPECT_EQ(first.at("id").as_string(), stix_indicator_id(*normalise_indicator("bank-login-verify.xyz")));
  EXPECT_EQ(first.at("pattern"), "[domain-name:value = 'bank-login-verify.xyz']");
  EXPECT_EQ(first.at("created"), "2026-12-01T00:00:00.000Z");
  EXPECT_EQ(first.at("modified"), "2026-12-02T00:00:00.000Z");
  EXPECT_EQ(first.at("valid_until"), "2027-01-01T00:00:00.000Z");
  EXPECT_EQ(first.at("confidence"), 80);
  EXPECT_EQ(first.at("object_marking_refs").as_array()[0].as_string(), tlp_marking_id(Tlp::green));
  const auto& url = objects[2].as_object();
  EXPECT_EQ(url.at("name"), "http://secure-pay.top/login?a=\"x\"") << "escaped in the JSON, read back";
  EXPECT_EQ(url.at("created"), "2026-12-02T10:00:00.000Z") << "no first sighting: the export's time";
  EXPECT_FALSE(url.contains("valid_until"));
  EXPECT_EQ(objects[3].as_object().at("pattern"), "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']");
  EXPECT_EQ(write_feed(entries(), FeedFormat::stix, options()).text, feed.text) << "the same export, the same bundle";
}

TEST(Feeds, SuricataRules) {
  auto feed = write_feed(entries(), FeedFormat::suricata, options());
  EXPECT_EQ(feed.written, 2u);
  EXPECT_EQ(feed.skipped, 2u) << "URLs and hashes have no rule here";
  EXPECT_NE(feed.text.find("alert dns $HOME_NET any -> any any (msg:\"jaga: DNS query for listed domain "
                           "bank-login-verify.xyz (TLP:GREEN)\"; dns.query; dotprefix; content:\".bank-login-verify.xyz\"; "
                           "nocase; endswith; classtype:bad-unknown; sid:8800001; rev:1;)\n"),
            std::string::npos)
      << feed.text;
  EXPECT_NE(feed.text.find("alert http $HOME_NET any -> any any (msg:\"jaga: HTTP Host of listed domain "
                           "bank-login-verify.xyz (TLP:GREEN)\"; http.host; dotprefix; content:\".bank-login-verify.xyz\"; "
                           "endswith; classtype:bad-unknown; sid:8800003; rev:1;)"),
            std::string::npos);
  EXPECT_NE(feed.text.find("alert ip $HOME_NET any -> [45.61.136.0/24] any (msg:\"jaga: traffic to listed address "
                           "45.61.136.0/24 (TLP:AMBER)\"; classtype:bad-unknown; sid:8800004; rev:1;)"),
            std::string::npos);
}

TEST(Feeds, PlainAndCsv) {
  auto plain = write_feed(entries(), FeedFormat::plain, options());
  EXPECT_EQ(plain.text,
            "# made by jaga at 2026-12-02T10:00:00.000Z; TLP:RED and less restricted\nbank-login-verify.xyz\n"
            "45.61.136.0/24\nhttp://secure-pay.top/login?a=\"x\"\nd41d8cd98f00b204e9800998ecf8427e\n");
  auto csv = write_feed(entries(), FeedFormat::csv, options());
  EXPECT_EQ(csv.text.substr(0, csv.text.find("\r\n", csv.text.find("\r\n") + 2)),
            "kind,value,tlp,confidence,valid_until,first_seen,last_seen\r\n"
            "domain,bank-login-verify.xyz,TLP:GREEN,80,2027-01-01T00:00:00.000Z,2026-12-01T00:00:00.000Z,"
            "2026-12-02T00:00:00.000Z");
  EXPECT_EQ(parse_feed_format("suricata"), FeedFormat::suricata);
  EXPECT_FALSE(parse_feed_format("xml"));
}

}  // namespace
}  // namespace jaga
