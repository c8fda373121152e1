// Import files: what each format yields, where each rejection is, and the
// STIX vocabulary (patterns, TLP markings, deterministic ids) both ways.
// The MISP and STIX samples are shaped like ../shared/data's real ones.
#include <gtest/gtest.h>

#include "intel/indicator_import.h"
#include "intel/stix_vocabulary.h"

namespace jaga {
namespace {

TEST(ImportFormat, DetectedFromTheText) {
  EXPECT_EQ(detect_import_format("{\"type\": \"bundle\", \"id\": \"bundle--1\"}"), ImportFormat::stix);
  EXPECT_EQ(detect_import_format("\n {\"Event\": {\"info\": \"x\"}}"), ImportFormat::misp);
  EXPECT_EQ(detect_import_format("Indicator,Type,TLP\nevil.example,domain,green\n"), ImportFormat::csv);
  EXPECT_EQ(detect_import_format("evil.example\n0.0.0.0 bad.example\n"), ImportFormat::plain);
  EXPECT_EQ(detect_import_format("# a list, of bad names\nevil.example\n"), ImportFormat::plain);
}

TEST(PlainImport, LinesWithTheirNumbers) {
  auto parsed = parse_plain_indicators("# header\n\nevil.example\n0.0.0.0 ads.example\n||track.example^\n");
  ASSERT_EQ(parsed.indicators.size(), 3u);
  EXPECT_EQ(parsed.indicators[0].text, "evil.example");
  EXPECT_EQ(parsed.indicators[0].where, "line 3");
  EXPECT_EQ(parsed.indicators[1].text, "ads.example");
  EXPECT_EQ(parsed.indicators[2].text, "track.example");
  EXPECT_EQ(parsed.indicators[2].where, "line 5");
}

TEST(CsvImport, UsualHeaderNames) {
  auto parsed = parse_csv_indicators(
      "Indicator,Type,TLP,Confidence,valid_until\n"
      "evil.example,domain,green,80,2027-01-01\n"
      "203.0.113.5,,amber,,\n"
      "x,colour,,,\n"
      "y.example,,purple,,\n"
      "z.example,,,101,\n"
      "w.example,,,,next week\n",
      {});
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->indicators.size(), 2u);
  EXPECT_EQ(parsed->indicators[0].kind, IndicatorKind::domain);
  EXPECT_EQ(parsed->indicators[0].tlp, Tlp::green);
  EXPECT_EQ(parsed->indicators[0].confidence, 80);
  EXPECT_EQ(parsed->indicators[0].valid_until, "2027-01-01T00:00:00.000Z");
  EXPECT_EQ(parsed->indicators[1].tlp, Tlp::amber);
  ASSERT_EQ(parsed->rejected.size(), 4u);
  EXPECT_EQ(parsed->rejected[0].where, "row 4");
  EXPECT_EQ(parsed->rejected[0].reason, "unknown kind colour");
  EXPECT_EQ(parsed->rejected[1].reason, "unknown TLP label purple");
  EXPECT_EQ(parsed->rejected[2].reason, "confidence is not a number from 0 to 100: 101");
  EXPECT_EQ(parsed->rejected[3].reason, "valid_until is not an RFC 3339 time: next week");
}

TEST(CsvImport, MappedColumns) {
  auto columns = parse_csv_columns("value=ioc_value, kind=ioc_type");
  ASSERT_TRUE(columns);
  auto parsed = parse_csv_indicators("id,ioc_value,ioc_type\n1,evil.example,domain\n", *columns);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->indicators.size(), 1u);
  EXPECT_EQ(parsed->indicators[0].text, "evil.example");

  auto missing = parse_csv_indicators("id,ioc\n1,evil.example\n", *columns);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "the CSV header has no column ioc_value");
  auto no_value = parse_csv_indicators("id,name\n1,evil.example\n", {});
  ASSERT_FALSE(no_value);
  EXPECT_NE(no_value.error().message.find("--map value=COLUMN"), std::string::npos);
  auto bad_map = parse_csv_columns("colour=x");
  ASSERT_FALSE(bad_map);
  EXPECT_NE(bad_map.error().message.find("not colour"), std::string::npos);
}

TEST(StixPattern, SimpleComparisons) {
  auto terms = parse_simple_pattern(
      "[domain-name:value = 'av.ddns.us' OR ipv4-addr:value = '60.2.148.167'] OR [file:hashes.'SHA-256' = "
      "'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']");
  ASSERT_TRUE(terms) << terms.error().message;
  ASSERT_EQ(terms->size(), 3u);
  EXPECT_EQ((*terms)[0].kind, IndicatorKind::domain);
  EXPECT_EQ((*terms)[0].value, "av.ddns.us");
  EXPECT_FALSE((*terms)[1].kind);
  EXPECT_EQ((*terms)[2].kind, IndicatorKind::sha256);

  auto quoted = parse_simple_pattern("[url:value = 'http://x.example/it\\'s']");
  ASSERT_TRUE(quoted);
  EXPECT_EQ((*quoted)[0].value, "http://x.example/it's");

  struct Bad {
    const char* pattern;
    const char* reason;
  } bad[] = {
      {"[domain-name:value = 'a.example' AND ipv4-addr:value = '192.0.2.1']",
       "the pattern joins comparisons with AND; only OR is read"},
      {"[file:name = 'CBricksDoc']", "the pattern compares file:name, which is not an indicator kind jaga keeps"},
      {"[email-message:subject MATCHES '^x']", "the pattern compares email-message:subject with MATCHES; only '=' names an indicator"},
      {"[ipv4-addr:value = '192.0.2.1'] WITHIN 60 SECONDS", "the pattern has a qualifier (WITHIN); only plain comparisons are read"},
      {"domain-name:value = 'a.example'", "the pattern cannot be read at character 1: expected '['"},
      {"[url:value = 'http://x", "the pattern cannot be read at character 23: the string is not closed"},
  };
  for (const auto& b : bad) {
    auto r = parse_simple_pattern(b.pattern);
    ASSERT_FALSE(r) << b.pattern;
    EXPECT_EQ(r.error().message, b.reason) << b.pattern;
  }
}

TEST(StixPattern, WrittenPatternsReadBack) {
  for (const char* text : {"evil.example", "http://evil.example/a'b", "192.0.2.1", "2001:db8::/32", "x@evil.example",
                           "d41d8cd98f00b204e9800998ecf8427e", "da39a3ee5e6b4b0d3255bfef95601890afd80709"}) {
    auto indicator = normalise_indicator(text);
    ASSERT_TRUE(indicator) << text;
    auto terms = parse_simple_pattern(pattern_of(*indicator));
    ASSERT_TRUE(terms) << pattern_of(*indicator);
    ASSERT_EQ(terms->size(), 1u);
    auto back = normalise_indicator((*terms)[0].value, (*terms)[0].kind);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, *indicator) << pattern_of(*indicator);
  }
}

TEST(StixVocabulary, MarkingsAndIds) {
  EXPECT_EQ(tlp_marking_id(Tlp::amber_strict), "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003");
  EXPECT_EQ(tlp_of_marking("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"), Tlp::clear);  // TLP 1.0 WHITE
  EXPECT_EQ(tlp_of_marking("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"), Tlp::amber);  // TLP 1.0 AMBER
  EXPECT_FALSE(tlp_of_marking("marking-definition--00000000-0000-4000-8000-000000000000"));
  for (int i = 0; i <= 4; ++i) EXPECT_EQ(tlp_of_marking(tlp_marking_id(static_cast<Tlp>(i))), static_cast<Tlp>(i));

  auto a = stix_indicator_id(*normalise_indicator("evil.example"));
  EXPECT_EQ(a, stix_indicator_id(*normalise_indicator("EVIL.example.")));
  EXPECT_NE(a, stix_indicator_id(*normalise_indicator("evil2.example")));
  ASSERT_EQ(a.size(), std::string("indicator--").size() + 36);
  EXPECT_EQ(a[11 + 14], '5');  // UUID version 5
}

TEST(StixImport, IndicatorsWithMarkingsAndTimes) {
  auto parsed = parse_stix_indicators(R"({"type": "bundle", "id": "bundle--1", "objects": [
    {"type": "identity", "id": "identity--1", "name": "x"},
    {"type": "indicator", "id": "indicator--1", "pattern_type": "stix", "confidence": 85,
     "pattern": "[domain-name:value = 'av.ddns.us' OR ipv4-addr:value = '60.2.148.167']",
     "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00.5Z", "modified": "2026-02-01T00:00:00Z",
     "object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]},
    {"type": "indicator", "id": "indicator--2", "pattern_type": "stix", "revoked": true, "pattern": "[domain-name:value = 'x.example']"},
    {"type": "indicator", "id": "indicator--3", "pattern_type": "sigma", "pattern": "title: x"},
    {"type": "indicator", "id": "indicator--4", "pattern_type": "stix", "pattern": "[file:name = 'CBricksDoc']"}
  ]})");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->ignored, 1u);
  ASSERT_EQ(parsed->indicators.size(), 2u);
  const auto& first = parsed->indicators[0];
  EXPECT_EQ(first.text, "av.ddns.us");
  EXPECT_EQ(first.where, "objects[1]");
  EXPECT_EQ(first.tlp, Tlp::green);
  EXPECT_EQ(first.confidence, 85);
  EXPECT_EQ(first.first_seen, "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(first.valid_until, "2027-01-01T00:00:00.500Z");
  EXPECT_EQ(first.last_seen, "2026-02-01T00:00:00.000Z");
  ASSERT_EQ(parsed->rejected.size(), 3u);
  EXPECT_EQ(parsed->rejected[0].where, "objects[2]");
  EXPECT_EQ(parsed->rejected[0].reason, "the indicator is revoked");
  EXPECT_EQ(parsed->rejected[1].reason, "the pattern is sigma, not stix");

  // Objects are parsed one by one; a bad one anywhere is the whole file's error.
  auto spaced = parse_stix_indicators(" {\n \"objects\" : [ {\"type\": \"note\"} ,\n{\"type\": \"identity\"} ] , \"type\" : \"bundle\" }\n");
  ASSERT_TRUE(spaced) << spaced.error().message;
  EXPECT_EQ(spaced->ignored, 2u);
  auto broken = parse_stix_indicators(R"({"type": "bundle", "objects": [{"type": "note"}, {"type": }]})");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("the JSON cannot be read"), std::string::npos);
  auto not_bundle = parse_stix_indicators(R"({"type": "report", "objects": []})");
  ASSERT_FALSE(not_bundle);
  EXPECT_EQ(parse_stix_indicators("[1, 2]").error().message,
            "not a STIX bundle: the top level is not an object of type \"bundle\"");
  EXPECT_NE(parse_stix_indicators("{\"type\": \"bundle\",").error().message.find("the JSON cannot be read"),
            std::string::npos);
}

TEST(MispImport, AttributesObjectsAndTags) {
  auto parsed = parse_misp_event(R"({"response": [{"Event": {"info": "x",
    "Tag": [{"name": "tlp:green"}, {"name": "ESET"}],
    "Attribute": [
      {"type": "domain", "value": "evil.example", "timestamp": "1700000000"},
      {"type": "text", "value": "a comment"},
      {"type": "filename|sha1", "value": "drop.exe|da39a3ee5e6b4b0d3255bfef95601890afd80709"},
      {"type": "domain|ip", "value": "c2.example|203.0.113.9", "Tag": [{"name": "tlp:white"}]},
      {"type": "ip-dst|port", "value": "198.51.100.7|443"},
      {"type": "url", "value": ""}
    ],
    "Object": [{"name": "file", "Attribute": [{"type": "md5", "value": "d41d8cd98f00b204e9800998ecf8427e"},
                                               {"type": "port", "value": "80"}]}]}}]})");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->ignored, 2u);
  ASSERT_EQ(parsed->indicators.size(), 6u);
  EXPECT_EQ(parsed->indicators[0].text, "evil.example");
  EXPECT_EQ(parsed->indicators[0].tlp, Tlp::green);
  EXPECT_EQ(parsed->indicators[0].last_seen, "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(parsed->indicators[1].text, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(parsed->indicators[1].kind, IndicatorKind::sha1);
  EXPECT_EQ(parsed->indicators[2].text, "c2.example");
  EXPECT_EQ(parsed->indicators[2].tlp, Tlp::clear);
  EXPECT_EQ(parsed->indicators[3].text, "203.0.113.9");
  EXPECT_EQ(parsed->indicators[4].text, "198.51.100.7");
  EXPECT_EQ(parsed->indicators[5].where, "response[0].Event.Object[0].Attribute[0]");
  ASSERT_EQ(parsed->rejected.size(), 1u);
  EXPECT_EQ(parsed->rejected[0].where, "response[0].Event.Attribute[5]");

  EXPECT_EQ(parse_misp_event("{\"info\": 1}").error().message, "not a MISP event: there is no \"Event\" object");
}

TEST(MispImport, Manifest) {
  auto uuids = parse_misp_manifest(R"({"5f4e3c1a-0b1c-4d2e-9f00-0a1b2c3d4e5f": {"info": "x", "timestamp": "1"}})");
  ASSERT_TRUE(uuids);
  ASSERT_EQ(uuids->size(), 1u);
  EXPECT_EQ((*uuids)[0], "5f4e3c1a-0b1c-4d2e-9f00-0a1b2c3d4e5f");
  EXPECT_FALSE(parse_misp_manifest(R"({"../../etc/passwd": {}})"));
}

TEST(CorrelationKeys, RegistrableDomainsAndNetworks) {
  auto keys = [](const char* text) { return correlation_keys(*normalise_indicator(text)); };
  EXPECT_EQ(keys("a.b.pajak.go.id").registrable, "pajak.go.id");
  EXPECT_EQ(keys("https://login.evil.co.uk/x").registrable, "evil.co.uk");
  EXPECT_EQ(keys("alice@mail.evil.example").registrable, "evil.example");
  EXPECT_EQ(keys("http://192.0.2.1/x").registrable, "");
  EXPECT_EQ(keys("203.0.113.77").network, "203.0.113.0/24");
  EXPECT_EQ(keys("203.0.113.64/26").network, "203.0.113.0/24");
  EXPECT_EQ(keys("203.0.0.0/16").network, "");
  EXPECT_EQ(keys("2001:db8:1:2::5").network, "2001:db8:1::/48");
  EXPECT_EQ(keys("d41d8cd98f00b204e9800998ecf8427e").network, "");
}

}  // namespace
}  // namespace jaga
