#include "model/incident.h"

#include <algorithm>
#include <cstdio>

#include "util/time.h"

namespace jaga {

namespace {

struct StatusName {
  IncidentStatus status;
  std::string_view name;
};
constexpr StatusName status_names[] = {{IncidentStatus::new_, "new"},
                                       {IncidentStatus::triaged, "triaged"},
                                       {IncidentStatus::in_progress, "in_progress"},
                                       {IncidentStatus::waiting_on_organisation, "waiting_on_organisation"},
                                       {IncidentStatus::resolved, "resolved"},
                                       {IncidentStatus::closed, "closed"}};

struct Transition {
  IncidentStatus from, to;
};
using S = IncidentStatus;
constexpr Transition transitions[] = {
    {S::new_, S::triaged},
    {S::triaged, S::in_progress},
    {S::triaged, S::resolved},
    {S::in_progress, S::waiting_on_organisation},
    {S::in_progress, S::resolved},
    {S::waiting_on_organisation, S::in_progress},
    {S::waiting_on_organisation, S::resolved},
    {S::resolved, S::closed},
    {S::resolved, S::in_progress},  // reopen
    {S::closed, S::in_progress},    // reopen
};

constexpr std::string_view severity_names[] = {"critical", "high", "medium", "low"};
constexpr std::string_view tlp_names[] = {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"};

bool past(std::string_view due, std::string_view now) { return !due.empty() && due < now; }

}  // namespace

std::string_view to_string(IncidentStatus status) {
  for (const auto& s : status_names)
    if (s.status == status) return s.name;
  return "new";
}

std::optional<IncidentStatus> parse_incident_status(std::string_view text) {
  for (const auto& s : status_names)
    if (s.name == text) return s.status;
  return std::nullopt;
}

bool transition_allowed(IncidentStatus from, IncidentStatus to) {
  return std::any_of(std::begin(transitions), std::end(transitions),
                     [&](const Transition& t) { return t.from == from && t.to == to; });
}

std::vector<IncidentStatus> next_statuses(IncidentStatus from) {
  std::vector<IncidentStatus> out;
  for (const auto& t : transitions)
    if (t.from == from) out.push_back(t.to);
  return out;
}

bool is_open(IncidentStatus status) { return status != S::resolved && status != S::closed; }

std::string_view to_string(Severity severity) { return severity_names[static_cast<size_t>(severity)]; }

std::optional<Severity> parse_severity(std::string_view text) {
  for (size_t i = 0; i < std::size(severity_names); ++i)
    if (severity_names[i] == text) return static_cast<Severity>(i);
  return std::nullopt;
}

std::string_view to_string(Tlp tlp) { return tlp_names[static_cast<size_t>(tlp)]; }

std::optional<Tlp> parse_tlp(std::string_view text) {
  std::string upper;
  if (text.substr(0, 4) != "TLP:" && text.substr(0, 4) != "tlp:") upper = "TLP:";
  for (char c : text) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  for (size_t i = 0; i < std::size(tlp_names); ++i)
    if (tlp_names[i] == upper) return static_cast<Tlp>(i);
  return std::nullopt;
}

std::optional<Tlp> parse_tlp_any_version(std::string_view text) {
  if (auto tlp = parse_tlp(text)) return tlp;
  if (text == "white" || text == "WHITE" || text == "tlp:white" || text == "TLP:WHITE") return Tlp::clear;
  return std::nullopt;
}

std::string incident_reference(int year, int64_t number) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "INC-%04d-%06lld", year, static_cast<long long>(number));
  return buffer;
}

bool looks_like_incident_reference(std::string_view text) {
  if (text.size() < 15 || text.size() > 20 || text.substr(0, 4) != "INC-" || text[8] != '-') return false;
  for (size_t i = 4; i < text.size(); ++i)
    if (i != 8 && (text[i] < '0' || text[i] > '9')) return false;
  return true;
}

bool sla_breached(IncidentStatus status, std::string_view response_due, std::string_view resolution_due,
                  std::string_view first_response_at, std::string_view now) {
  if (!is_open(status)) return false;
  return (first_response_at.empty() && past(response_due, now)) || past(resolution_due, now);
}

bool Incident::overdue(std::string_view now) const {
  return sla_breached(status, response_due, resolution_due, first_response_at, now);
}

bool IncidentSummary::overdue(std::string_view now) const {
  return sla_breached(status, response_due, resolution_due, first_response_at, now);
}

std::pair<std::string, std::string> sla_due(const SlaPolicy& policy, Severity severity,
                                            std::chrono::system_clock::time_point opened) {
  const auto& target = policy.of(severity);
  return {format_rfc3339(opened + std::chrono::hours(target.first_response_hours)),
          format_rfc3339(opened + std::chrono::hours(target.resolution_hours))};
}

}  // namespace jaga
