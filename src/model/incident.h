// An incident: what the desk coordinates, made from one or more reports. Its
// rules are here and pure: the statuses and the transitions between them,
// severities with their service-level targets, TLP 2.0 labels, and the
// reference people quote ("INC-2026-000042").
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/report.h"
#include "util/result.h"

namespace jaga {

enum class IncidentStatus { new_, triaged, in_progress, waiting_on_organisation, resolved, closed };
std::string_view to_string(IncidentStatus status);
std::optional<IncidentStatus> parse_incident_status(std::string_view text);

// new → triaged → in progress ⇄ waiting on organisation → resolved → closed;
// a resolved or closed incident can be reopened (back to in progress), and a
// triaged one resolved at once (nothing to do after all).
bool transition_allowed(IncidentStatus from, IncidentStatus to);
std::vector<IncidentStatus> next_statuses(IncidentStatus from);
// Open: counts for the queue and for overdue; resolved and closed do not.
bool is_open(IncidentStatus status);

enum class Severity { critical, high, medium, low };
std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

// Hours allowed until the first response and until resolution, per severity.
struct SlaTarget {
  int first_response_hours;
  int resolution_hours;
};
struct SlaPolicy {
  std::array<SlaTarget, 4> targets{{{1, 24}, {4, 72}, {24, 168}, {72, 720}}};  // critical, high, medium, low
  const SlaTarget& of(Severity severity) const { return targets[static_cast<size_t>(severity)]; }
};

// Traffic Light Protocol 2.0: who may see what is shared.
enum class Tlp { clear, green, amber, amber_strict, red };
std::string_view to_string(Tlp tlp);  // "TLP:CLEAR", "TLP:AMBER+STRICT", ...
std::optional<Tlp> parse_tlp(std::string_view text);  // accepts "TLP:AMBER+STRICT" and "amber+strict"
// Also TLP 1.0's WHITE (now CLEAR), as older peers, MISP tags and feeds write it.
std::optional<Tlp> parse_tlp_any_version(std::string_view text);

// "INC-2026-000042" from the year and the incident's number.
std::string incident_reference(int year, int64_t number);
bool looks_like_incident_reference(std::string_view text);

struct IncidentEvent {
  int64_t id = 0;
  std::string at;
  std::optional<int64_t> actor_id;
  std::string actor;      // username
  std::string kind;       // created, status, severity, tlp, assignee, title, category, comment, public_note, report_linked
  std::string visibility; // internal or public
  std::string text;       // comment text, or a human summary of the change
  std::string details;    // JSON: {"from": ..., "to": ...} for changes
};

// An organisation affected by an incident: found by routing, or set by an analyst.
struct IncidentOrganisation {
  int64_t organisation_id = 0;
  std::string name;    // filled in by reads
  std::string source;  // routing or analyst
  std::string reason;  // e.g. "sso.pajak-contoh.go.id is under pajak-contoh.go.id"
  std::vector<std::string> indicators;  // routing: the indicators that matched it
};

struct Incident {
  int64_t id = 0;
  std::string reference;
  std::string title;
  std::string category;  // RSIT class:type
  Severity severity = Severity::medium;
  Tlp tlp = Tlp::amber;
  IncidentStatus status = IncidentStatus::new_;
  std::optional<int64_t> assignee_id;
  std::string assignee;  // username, filled in by reads
  std::string created_by;
  std::string created_at;
  std::string updated_at;
  std::string response_due;    // RFC 3339: first response expected by
  std::string resolution_due;  // resolution expected by
  std::string first_response_at;  // empty until someone acts on it
  std::string resolved_at;
  std::vector<std::string> reports;  // tracking codes
  std::vector<Indicator> indicators; // of the linked reports
  std::vector<IncidentOrganisation> organisations;
  std::vector<IncidentEvent> timeline;
  bool overdue(std::string_view now) const;
};

struct IncidentSummary {
  std::string reference;
  std::string title;
  std::string category;
  Severity severity = Severity::medium;
  Tlp tlp = Tlp::amber;
  IncidentStatus status = IncidentStatus::new_;
  std::string assignee;
  std::string created_at;
  std::string updated_at;
  std::string response_due;
  std::string resolution_due;
  std::string first_response_at;
  int report_count = 0;
  bool overdue(std::string_view now) const;
};

struct IncidentFilter {
  std::optional<IncidentStatus> status;
  bool open_only = false;
  std::optional<Severity> severity;
  std::string category;  // class or class:type
  std::optional<int64_t> assignee_id;
  bool overdue_only = false;
  std::string text;  // in the reference, title, comments and notes (3 characters or more)
  std::vector<int64_t> organisation_ids;  // only incidents affecting one of these (organisation contacts)
  bool restrict_to_organisations = false;
  std::string now;  // for overdue_only
  int limit = 50;
  int offset = 0;
};

// Figures for the dashboard, over the weeks since `since`.
struct CountBy {
  std::string key;  // a week "2026-W47", an RSIT class, an organisation's name
  int64_t count = 0;
};
struct IncidentStats {
  std::vector<CountBy> opened_per_week;
  std::vector<CountBy> closed_per_week;  // resolved
  std::vector<CountBy> by_class;
  std::vector<CountBy> by_organisation;  // the 10 most affected
  int64_t responded = 0, responded_in_time = 0;  // first responses in the period, and those before their due time
  int64_t resolved = 0, resolved_in_time = 0;
  int64_t open_now = 0, overdue_now = 0;
};

// What an analyst asks for when opening an incident.
struct NewIncident {
  std::string title;
  std::string category;
  Severity severity = Severity::medium;
  Tlp tlp = Tlp::amber;
  std::optional<int64_t> assignee_id;
  std::vector<std::string> reports;  // tracking codes to link
  int64_t created_by = 0;
  std::string created_at;
  std::string response_due, resolution_due;  // from the SLA policy
};

// A change to an incident; unset fields stay as they are.
struct IncidentChange {
  std::optional<IncidentStatus> status;
  std::optional<Severity> severity;
  std::optional<Tlp> tlp;
  std::optional<std::optional<int64_t>> assignee_id;  // set to nullopt to unassign
  std::optional<std::string> title;
  std::optional<std::string> category;
  bool empty() const { return !status && !severity && !tlp && !assignee_id && !title && !category; }
};

// Whether an open incident has missed its first-response or resolution time.
// All times are RFC 3339 UTC strings, which compare like the times they name.
bool sla_breached(IncidentStatus status, std::string_view response_due, std::string_view resolution_due,
                  std::string_view first_response_at, std::string_view now);

// Due dates from the SLA policy for an incident opened at `opened`.
std::pair<std::string, std::string> sla_due(const SlaPolicy& policy, Severity severity,
                                            std::chrono::system_clock::time_point opened);

}  // namespace jaga
