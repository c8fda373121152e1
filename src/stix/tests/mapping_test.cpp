#include "stix/mapping.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "intel/stix_vocabulary.h"
#include "stix/object.h"

namespace jaga::stix {
namespace {

namespace json = boost::json;

const Agency kAgency{"Pusat Koordinasi Siber Nasional", "ID"};
constexpr const char* kWhen = "2026-12-01T08:00:00Z";

// Whatever jaga makes, its own reader (and so a peer's) accepts.
Object read_back(const SharedObjectInput& in) {
  auto o = read_object(in.json);
  EXPECT_TRUE(o) << o.error().message << "\n" << in.json;
  if (!o) return {};
  EXPECT_EQ(o->id, in.stix_id);
  EXPECT_EQ(o->type, in.type);
  EXPECT_EQ(o->version, in.version);
  return *o;
}

TEST(Mapping, TlpMarkingDefinitionsAreFirstsWithTheirExtension) {
  for (Tlp tlp : {Tlp::clear, Tlp::green, Tlp::amber, Tlp::amber_strict, Tlp::red}) {
    auto in = tlp_marking_definition(tlp);
    EXPECT_EQ(in.stix_id, tlp_marking_id(tlp));
    auto o = json::parse(in.json).as_object();
    EXPECT_EQ(o.at("name").as_string(), to_string(tlp));
    auto& ext = o.at("extensions").as_object().at(kTlp2Extension).as_object();
    EXPECT_EQ(ext.at("extension_type").as_string(), "property-extension");
    EXPECT_EQ(tlp_of_marking(in.stix_id), tlp);
    read_back(in);
  }
  EXPECT_EQ(json::parse(tlp_marking_definition(Tlp::amber_strict).json).at("extensions").at(kTlp2Extension).at("tlp_2_0"),
            "amber+strict");
}

TEST(Mapping, TheSameIndicatorSharedTwiceIsTheSameObject) {
  IndicatorShare share{{IndicatorKind::domain, "pajak-refund.example.net"}, Tlp::green, kWhen, kWhen, 80, "", ""};
  auto a = indicator_object(share, kAgency);
  auto b = indicator_object(share, kAgency);
  EXPECT_EQ(a.stix_id, b.stix_id);
  EXPECT_EQ(a.json, b.json);
  auto o = read_back(a);
  EXPECT_EQ(o.tlp, Tlp::green);
  EXPECT_EQ(o.created_by_ref, kAgency.identity_id());
  auto parsed = json::parse(a.json).as_object();
  EXPECT_EQ(parsed.at("pattern").as_string(), "[domain-name:value = 'pajak-refund.example.net']");
  EXPECT_EQ(parsed.at("confidence").as_int64(), 80);
  share.indicator.value = "other.example.net";
  EXPECT_NE(indicator_object(share, kAgency).stix_id, a.stix_id);
  // A later sighting of it is a new version of the same object.
  share.indicator.value = "pajak-refund.example.net";
  share.modified = "2026-12-02T08:00:00Z";
  auto later = indicator_object(share, kAgency);
  EXPECT_EQ(later.stix_id, a.stix_id);
  EXPECT_GT(later.version, a.version);
}

TEST(Mapping, EveryIndicatorKindHasAPatternAPeerCanReadBack) {
  std::vector<CanonicalIndicator> all = {
      {IndicatorKind::domain, "c2.example.net"},
      {IndicatorKind::url, "http://c2.example.net/gate.php"},
      {IndicatorKind::ipv4, "203.0.113.7"},
      {IndicatorKind::ipv6, "2001:db8::7"},
      {IndicatorKind::cidr, "198.51.100.0/24"},
      {IndicatorKind::sha512, std::string(128, 'd')},
      {IndicatorKind::email, "admin@pajak-refund.example.net"},
      {IndicatorKind::md5, std::string(32, 'a')},
      {IndicatorKind::sha1, std::string(40, 'b')},
      {IndicatorKind::sha256, std::string(64, 'c')},
  };
  for (const auto& indicator : all) {
    IndicatorShare share{indicator, Tlp::clear, kWhen, kWhen, std::nullopt, "", ""};
    auto in = indicator_object(share, kAgency);
    read_back(in);
    auto terms = parse_simple_pattern(json::parse(in.json).at("pattern").as_string());
    ASSERT_TRUE(terms) << terms.error().message;
    ASSERT_EQ(terms->size(), 1u);
    EXPECT_EQ((*terms)[0].value, indicator.value);
  }
}

TEST(Mapping, AnIncidentKeepsReportersContactsInTheFullerTextOnly) {
  Incident incident;
  incident.reference = "INC-2026-000042";
  incident.title = "Phishing pajak";
  incident.category = "fraud:phishing";
  incident.created_at = kWhen;
  incident.updated_at = "2026-12-01T09:00:00Z";
  incident.organisations.push_back({1, "Kementerian Keuangan", "routing", "", {}});
  Report consented, anonymous, declined;
  consented.input.anonymous = false;
  consented.input.consent = true;
  consented.input.contact = {"Siti", "siti@example.id", "+62811000000"};
  anonymous.input.contact = {"", "hidden@example.id", ""};
  declined.input.anonymous = false;
  declined.input.contact = {"", "declined@example.id", ""};
  auto in = incident_object(incident, {consented, anonymous, declined}, kAgency, Tlp::amber);
  EXPECT_EQ(in.stix_id, incident_id("INC-2026-000042"));
  auto o = read_back(in);
  EXPECT_EQ(o.tlp, Tlp::amber);
  EXPECT_EQ(in.json.find("@"), std::string::npos) << in.json;
  EXPECT_NE(in.full_json.find("siti@example.id"), std::string::npos);
  EXPECT_EQ(in.full_json.find("hidden@example.id"), std::string::npos) << "anonymous reports stay anonymous";
  EXPECT_EQ(in.full_json.find("declined@example.id"), std::string::npos) << "without consent it is not shared";
  auto full = read_object(in.full_json);
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_EQ(full->version, o.version);
  auto parsed = json::parse(in.json).as_object();
  EXPECT_EQ(parsed.at("name").as_string(), "Phishing pajak");
  EXPECT_EQ(parsed.at("x_jaga_affected").as_array().at(0).as_string(), "Kementerian Keuangan");
  // Without contacts to share there is no fuller text.
  EXPECT_TRUE(incident_object(incident, {anonymous}, kAgency, Tlp::amber).full_json.empty());
}

TEST(Mapping, IdentitiesRelationshipsSightingsNotesAndReportsAreValidStix) {
  Organisation org;
  org.name = "Pemerintah Provinsi Contoh";
  org.kind = "province";
  org.domains = {"contoh.go.id"};
  auto agency = agency_identity(kAgency, kWhen);
  auto organisation = organisation_identity(org, kAgency, kWhen);
  EXPECT_EQ(agency.stix_id, kAgency.identity_id());
  EXPECT_EQ(organisation.stix_id, organisation_identity_id(org));
  read_back(agency);
  read_back(organisation);
  IndicatorShare share{{IndicatorKind::domain, "c2.example.net"}, Tlp::green, kWhen, kWhen, std::nullopt, "", ""};
  auto indicator = indicator_object(share, kAgency);
  auto incident = incident_id("INC-2026-000001");
  auto related = relationship_object(indicator.stix_id, "related-to", incident, Tlp::green, kAgency, kWhen);
  EXPECT_EQ(related.stix_id, relationship_object(indicator.stix_id, "related-to", incident, Tlp::green, kAgency, kWhen).stix_id);
  read_back(related);
  auto sighting = sighting_object(indicator.stix_id, agency.stix_id, 3, kWhen, "2026-12-02T00:00:00Z", Tlp::green, kAgency);
  EXPECT_EQ(json::parse(sighting.json).at("sighting_of_ref").as_string(), indicator.stix_id);
  read_back(sighting);
  read_back(note_object("Blocked at the national resolver.", {indicator.stix_id}, Tlp::green, kAgency, kWhen));
  auto report = report_object("INC-2026-000001 shared", {incident, indicator.stix_id}, Tlp::green, kAgency, kWhen);
  EXPECT_EQ(json::parse(report.json).at("object_refs").as_array().size(), 2u);
  read_back(report);
}

}  // namespace
}  // namespace jaga::stix
