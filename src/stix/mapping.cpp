#include "stix/mapping.h"

#include <boost/json.hpp>

#include "intel/stix_vocabulary.h"
#include "stix/object.h"

namespace jaga::stix {

namespace json = boost::json;

namespace {

// The identity FIRST's TLP 2.0 marking definitions name as their maker.
constexpr std::string_view kTlpMaker = "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01";
constexpr std::string_view kTlpDefined = "2022-10-01T00:00:00.000Z";

std::string_view tlp2_word(Tlp tlp) {
  switch (tlp) {
    case Tlp::clear: return "clear";
    case Tlp::green: return "green";
    case Tlp::amber: return "amber";
    case Tlp::amber_strict: return "amber+strict";
    case Tlp::red: return "red";
  }
  return "red";
}

// Every object's common properties; the marking is the label's TLP 2.0 definition.
json::object common(std::string_view type, const std::string& id, const std::string& created,
                    const std::string& modified, std::optional<Tlp> tlp, const std::string& created_by) {
  json::object o{{"type", type}, {"spec_version", "2.1"}, {"id", id}, {"created", created}, {"modified", modified}};
  if (!created_by.empty()) o["created_by_ref"] = created_by;
  if (tlp) o["object_marking_refs"] = json::array{json::value(tlp_marking_id(*tlp))};
  return o;
}

SharedObjectInput input(const json::object& o, std::optional<Tlp> tlp, std::string full_json = "") {
  SharedObjectInput in;
  in.stix_id = std::string(o.at("id").as_string());
  in.type = std::string(o.at("type").as_string());
  in.spec_version = "2.1";
  if (auto* m = o.if_contains("modified")) in.version = normal_timestamp(m->as_string()).value_or("");
  else if (auto* c = o.if_contains("created")) in.version = normal_timestamp(c->as_string()).value_or("");
  in.tlp = tlp;
  in.json = json::serialize(o);
  in.full_json = std::move(full_json);
  return in;
}

json::array texts(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

}  // namespace

SharedObjectInput tlp_marking_definition(Tlp tlp) {
  json::object o{{"type", "marking-definition"},
                 {"spec_version", "2.1"},
                 {"id", tlp_marking_id(tlp)},
                 {"created", kTlpDefined},
                 {"created_by_ref", kTlpMaker},
                 {"name", to_string(tlp)},
                 {"extensions",
                  json::object{{kTlp2Extension, json::object{{"extension_type", "property-extension"},
                                                            {"tlp_2_0", tlp2_word(tlp)}}}}}};
  auto in = input(o, std::nullopt);
  in.tlp = Tlp::clear;  // a definition says what a label means; anyone may have it
  return in;
}

std::string Agency::identity_id() const { return deterministic_stix_id("identity", "agency:" + name); }

SharedObjectInput agency_identity(const Agency& agency, const std::string& created) {
  auto o = common("identity", agency.identity_id(), created, created, Tlp::clear, "");
  o["name"] = agency.name;
  o["identity_class"] = "organization";
  o["sectors"] = json::array{"government-national"};
  if (!agency.country.empty()) o["x_jaga_country"] = agency.country;
  return input(o, Tlp::clear);
}

std::string organisation_identity_id(const Organisation& organisation) {
  return deterministic_stix_id("identity", "organisation:" + organisation.name);
}

SharedObjectInput organisation_identity(const Organisation& organisation, const Agency& agency,
                                        const std::string& created) {
  auto o = common("identity", organisation_identity_id(organisation), created, created, Tlp::green,
                  agency.identity_id());
  o["name"] = organisation.name;
  o["identity_class"] = "organization";
  bool regional = organisation.kind == "province" || organisation.kind == "regency" || organisation.kind == "city";
  o["sectors"] = json::array{regional ? "government-regional" : "government-national"};
  if (!organisation.domains.empty()) o["x_jaga_domains"] = texts(organisation.domains);
  return input(o, Tlp::green);
}

SharedObjectInput indicator_object(const IndicatorShare& share, const Agency& agency) {
  const std::string& modified = share.modified < share.created ? share.created : share.modified;
  auto o = common("indicator", stix_indicator_id(share.indicator), share.created, modified, share.tlp,
                  agency.identity_id());
  o["name"] = share.indicator.value;
  if (!share.description.empty()) o["description"] = share.description;
  o["indicator_types"] = json::array{"malicious-activity"};
  o["pattern"] = pattern_of(share.indicator);
  o["pattern_type"] = "stix";
  o["pattern_version"] = "2.1";
  o["valid_from"] = share.created;
  if (!share.valid_until.empty() && share.valid_until > share.created) o["valid_until"] = share.valid_until;
  if (share.confidence) o["confidence"] = *share.confidence;
  o["x_jaga_kind"] = to_string(share.indicator.kind);
  return input(o, share.tlp);
}

std::string incident_id(const std::string& reference) { return deterministic_stix_id("incident", reference); }

SharedObjectInput incident_object(const Incident& incident, const std::vector<Report>& reports, const Agency& agency,
                                  Tlp tlp) {
  auto o = common("incident", incident_id(incident.reference), incident.created_at,
                  incident.updated_at < incident.created_at ? incident.created_at : incident.updated_at, tlp,
                  agency.identity_id());
  o["name"] = incident.title;
  o["external_references"] = json::array{json::object{{"source_name", agency.name}, {"external_id", incident.reference}}};
  o["x_jaga_reference"] = incident.reference;
  o["x_jaga_category"] = incident.category;
  o["x_jaga_severity"] = to_string(incident.severity);
  o["x_jaga_status"] = to_string(incident.status);
  if (!incident.resolved_at.empty()) o["x_jaga_resolved"] = incident.resolved_at;
  json::array affected;
  for (const auto& org : incident.organisations) affected.emplace_back(org.name);
  if (!affected.empty()) o["x_jaga_affected"] = std::move(affected);
  // Reporters' contacts, only those who gave them and agreed to be contacted.
  json::array reporters;
  for (const auto& r : reports) {
    const auto& in = r.input;
    if (in.anonymous || !in.consent || in.contact.empty()) continue;
    json::object contact;
    if (!in.contact.name.empty()) contact["name"] = in.contact.name;
    if (!in.contact.email.empty()) contact["email"] = in.contact.email;
    if (!in.contact.phone.empty()) contact["phone"] = in.contact.phone;
    reporters.push_back(std::move(contact));
  }
  std::string full;
  if (!reporters.empty()) {
    json::object with = o;
    with["x_jaga_reporters"] = std::move(reporters);
    full = json::serialize(with);
  }
  return input(o, tlp, std::move(full));
}

SharedObjectInput relationship_object(const std::string& source_ref, const std::string& relationship_type,
                                      const std::string& target_ref, Tlp tlp, const Agency& agency,
                                      const std::string& created) {
  auto o = common("relationship",
                  deterministic_stix_id("relationship", source_ref + " " + relationship_type + " " + target_ref),
                  created, created, tlp, agency.identity_id());
  o["relationship_type"] = relationship_type;
  o["source_ref"] = source_ref;
  o["target_ref"] = target_ref;
  return input(o, tlp);
}

SharedObjectInput sighting_object(const std::string& sighting_of_ref, const std::string& where_sighted_ref, int count,
                                  const std::string& first_seen, const std::string& last_seen, Tlp tlp,
                                  const Agency& agency) {
  auto o = common("sighting", deterministic_stix_id("sighting", sighting_of_ref + " " + where_sighted_ref), first_seen,
                  last_seen < first_seen ? first_seen : last_seen, tlp, agency.identity_id());
  o["sighting_of_ref"] = sighting_of_ref;
  o["where_sighted_refs"] = json::array{json::value(where_sighted_ref)};
  o["count"] = count;
  o["first_seen"] = first_seen;
  o["last_seen"] = last_seen < first_seen ? first_seen : last_seen;
  return input(o, tlp);
}

SharedObjectInput note_object(const std::string& content, const std::vector<std::string>& object_refs, Tlp tlp,
                              const Agency& agency, const std::string& created) {
  std::string key = content;
  for (const auto& r : object_refs) key += " " + r;
  auto o = common("note", deterministic_stix_id("note", key + " " + created), created, created, tlp,
                  agency.identity_id());
  o["content"] = content;
  o["object_refs"] = texts(object_refs);
  return input(o, tlp);
}

SharedObjectInput report_object(const std::string& name, const std::vector<std::string>& object_refs, Tlp tlp,
                                const Agency& agency, const std::string& published) {
  auto o = common("report", deterministic_stix_id("report", name), published, published, tlp, agency.identity_id());
  o["name"] = name;
  o["report_types"] = json::array{"threat-report"};
  o["published"] = published;
  o["object_refs"] = texts(object_refs);
  return input(o, tlp);
}

}  // namespace jaga::stix
