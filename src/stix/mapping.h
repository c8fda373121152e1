// jaga's own things as STIX 2.1 objects, ready to go into a collection: the
// agency and the organisations as identities, indicators with their
// patterns, incidents (the STIX 2.1 incident SDO), reports, sightings,
// notes, relationships, and the FIRST TLP 2.0 marking definitions they
// refer to. Ids are UUIDv5 of what the thing is (the indicator's canonical
// value, the incident's reference, the agency's name), so the same thing
// shared twice is the same object, and its version is its `modified`.
//
// An object that holds reporters' personal data comes as two texts: the
// one anyone its label allows may have, and the fuller one that goes only
// where an agreement lets personal data leave. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "intel/normalise.h"
#include "model/exchange.h"
#include "model/incident.h"
#include "model/organisation.h"
#include "model/report.h"

namespace jaga::stix {

inline constexpr std::string_view kTlp2Extension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

// The FIRST TLP 2.0 marking definition of a label, with its extension.
SharedObjectInput tlp_marking_definition(Tlp tlp);

// The desk itself, which every object it makes names as created_by_ref.
struct Agency {
  std::string name;     // e.g. "Pusat Koordinasi Siber Nasional"
  std::string country;  // ISO 3166-1 alpha-2, e.g. "ID"
  std::string identity_id() const;
};
SharedObjectInput agency_identity(const Agency& agency, const std::string& created);
SharedObjectInput organisation_identity(const Organisation& organisation, const Agency& agency,
                                        const std::string& created);
std::string organisation_identity_id(const Organisation& organisation);

struct IndicatorShare {
  CanonicalIndicator indicator;
  Tlp tlp = Tlp::green;
  std::string created, modified;  // RFC 3339
  std::optional<int> confidence;
  std::string valid_until;
  std::string description;  // e.g. "seen in INC-2026-000042"
};
SharedObjectInput indicator_object(const IndicatorShare& share, const Agency& agency);

// The incident SDO of an incident: its title, category, severity and state
// as the desk keeps them (x_jaga_ properties), the organisations it
// affects, at the incident's label. The reporters' contacts (only those who
// gave them and consented) are in the fuller text alone.
std::string incident_id(const std::string& reference);
SharedObjectInput incident_object(const Incident& incident, const std::vector<Report>& reports, const Agency& agency,
                                  Tlp tlp);

SharedObjectInput relationship_object(const std::string& source_ref, const std::string& relationship_type,
                                      const std::string& target_ref, Tlp tlp, const Agency& agency,
                                      const std::string& created);
// "This indicator was seen here": by `where` (an identity), `count` times.
SharedObjectInput sighting_object(const std::string& sighting_of_ref, const std::string& where_sighted_ref, int count,
                                  const std::string& first_seen, const std::string& last_seen, Tlp tlp,
                                  const Agency& agency);
SharedObjectInput note_object(const std::string& content, const std::vector<std::string>& object_refs, Tlp tlp,
                              const Agency& agency, const std::string& created);
// A report that gathers what was shared together (an incident and its indicators).
SharedObjectInput report_object(const std::string& name, const std::vector<std::string>& object_refs, Tlp tlp,
                                const Agency& agency, const std::string& published);

}  // namespace jaga::stix
