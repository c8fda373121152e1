#include "taxii/protocol.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace jaga::taxii {
namespace {

TEST(TaxiiProtocol, AcceptHeaders) {
  struct Case {
    std::optional<std::string_view> accept;
    bool taxii;
  } cases[] = {
      {std::nullopt, true},
      {"application/taxii+json;version=2.1", true},
      {"application/taxii+json; version=2.1", true},
      {"Application/TAXII+json", true},
      {"*/*", true},
      {"text/html, application/*;q=0.8", true},
      {"application/taxii+json;version=2.0", false},
      {"application/json", false},
      {"text/html", false},
      {"application/taxii+json;version=2.1;q=0", false},
  };
  for (const auto& c : cases) EXPECT_EQ(accepts_taxii(c.accept), c.taxii) << c.accept.value_or("(none)");
  EXPECT_TRUE(is_taxii_content("application/taxii+json;version=2.1"));
  EXPECT_TRUE(is_taxii_content("application/taxii+json"));
  EXPECT_FALSE(is_taxii_content("application/json"));
  EXPECT_FALSE(is_taxii_content(std::nullopt));
}

TEST(TaxiiProtocol, ObjectQueriesAreReadWithTheirDefaults) {
  auto q = read_query({}, Endpoint::objects);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->version_match, VersionMatch::last);
  EXPECT_EQ(q->limit, kDefaultPageSize);
  auto versions = read_query({}, Endpoint::versions);
  ASSERT_TRUE(versions);
  EXPECT_EQ(versions->version_match, VersionMatch::all);

  auto full = read_query({{"added_after", "2026-12-02T08:00:00Z"},
                          {"limit", "50000"},
                          {"match[id]", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"},
                          {"match[type]", "indicator,sighting"},
                          {"match[version]", "2026-01-01T00:00:00.5Z,2026-01-02T00:00:00Z"},
                          {"match[spec_version]", "2.1"},
                          {"unknown", "ignored"}},
                         Endpoint::objects);
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_EQ(full->added_after, "2026-12-02T08:00:00.000000Z");
  EXPECT_EQ(full->limit, kMaxPageSize);
  EXPECT_EQ(full->types, (std::vector<std::string>{"indicator", "sighting"}));
  EXPECT_EQ(full->version_match, VersionMatch::listed);
  EXPECT_EQ(full->versions, (std::vector<std::string>{"2026-01-01T00:00:00.500000Z", "2026-01-02T00:00:00.000000Z"}));
  EXPECT_EQ(full->spec_versions, std::vector<std::string>{"2.1"});
}

TEST(TaxiiProtocol, BadQueriesNameTheParameter) {
  struct Case {
    std::map<std::string, std::string> parameters;
    Endpoint endpoint;
    std::string field;
  } cases[] = {
      {{{"added_after", "yesterday"}}, Endpoint::objects, "added_after"},
      {{{"limit", "0"}}, Endpoint::objects, "limit"},
      {{{"limit", "ten"}}, Endpoint::manifest, "limit"},
      {{{"next", "garbage"}}, Endpoint::objects, "next"},
      {{{"match[id]", "evil.example"}}, Endpoint::objects, "match[id]"},
      {{{"match[version]", "last,first"}}, Endpoint::objects, "match[version]"},
      {{{"match[version]", "newest"}}, Endpoint::object, "match[version]"},
      {{{"match[type]", "indicator"}}, Endpoint::object, "match[type]"},
      {{{"match[colour]", "red"}}, Endpoint::objects, "match[colour]"},
      {{{"match[type]", "a,,b"}}, Endpoint::objects, "match[type]"},
  };
  for (const auto& c : cases) {
    auto q = read_query(c.parameters, c.endpoint);
    ASSERT_FALSE(q) << c.field;
    EXPECT_EQ(q.error().field, c.field) << q.error().message;
  }
}

TEST(TaxiiProtocol, NextTokensCarryOnFromTheLastObject) {
  std::string last = "2026-12-02T08:00:00.123456Z";
  auto token = next_token(last);
  EXPECT_EQ(date_added_of_token(token), last);
  auto q = read_query({{"next", token}, {"added_after", "2026-01-01T00:00:00Z"}}, Endpoint::objects);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->added_after, last);  // the later of the two
  EXPECT_FALSE(date_added_of_token("n" + std::string(54, 'z')));
  EXPECT_FALSE(date_added_of_token("n41"));
}

TEST(TaxiiProtocol, ResourcesAreValidJsonOfTheSpecification) {
  ObjectPage page;
  page.more = true;
  page.objects.push_back(SharedObject{1, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "indicator", "2.1",
                                      "2026-01-01T00:00:00.000000Z", "2026-12-02T08:00:00.123456Z", Tlp::green, false,
                                      R"({"type":"indicator","x":1})", "local"});
  auto envelope = boost::json::parse(envelope_json(page)).as_object();
  EXPECT_EQ(envelope["more"], true);
  EXPECT_EQ(date_added_of_token(std::string(envelope["next"].as_string())), "2026-12-02T08:00:00.123456Z");
  EXPECT_EQ(envelope["objects"].as_array()[0].as_object()["x"], 1);
  EXPECT_EQ(boost::json::parse(envelope_json(ObjectPage{})).as_object().size(), 1u);  // only "more"
  auto manifest = boost::json::parse(manifest_json(page)).as_object();
  auto entry = manifest["objects"].as_array()[0].as_object();
  EXPECT_EQ(entry["media_type"], "application/stix+json;version=2.1");
  EXPECT_EQ(entry["date_added"], "2026-12-02T08:00:00.123456Z");
  auto versions = boost::json::parse(versions_json(page)).as_object();
  EXPECT_EQ(versions["versions"].as_array()[0], "2026-01-01T00:00:00.000000Z");

  WriteStatus status{"2d086da7-4bdc-4f91-900e-d77486753710", "id-cn", "2026-12-02T08:00:00.000000Z", "complete",
                     {{"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "2026-01-01T00:00:00.000000Z", ""}},
                     {{"note--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "2026-01-01T00:00:00.000000Z", "conflict"}},
                     {}};
  auto s = boost::json::parse(status_json(status)).as_object();
  EXPECT_EQ(s["total_count"], 2);
  EXPECT_EQ(s["success_count"], 1);
  EXPECT_EQ(s["failures"].as_array()[0].as_object()["message"], "conflict");
  auto error = boost::json::parse(error_json(406, "Not Acceptable", "x")).as_object();
  EXPECT_EQ(error["http_status"], "406");
}

}  // namespace
}  // namespace jaga::taxii
