// The analysts' API: triage reports (spam, duplicate, into incidents), run
// incidents through their lifecycle, comment internally or publicly, and
// list them with the filters a queue needs.
#include <boost/json.hpp>
#include <limits>

#include "api/access.h"
#include "api/json_input.h"
#include "api/query_input.h"
#include "api/routes.h"
#include "api/submission.h"
#include "http/problem.h"
#include "model/rsit.h"
#include "model/tracking_code.h"
#include "util/time.h"

namespace jaga::api {

namespace {

Access incident_staff() { return Access::only({Role::administrator, Role::analyst}); }
// Organisation contacts read the incidents that affect their organisation.
Access incident_readers() { return Access::only({Role::administrator, Role::analyst, Role::organisation_contact}); }
bool is_contact(const Caller& caller) { return caller.role == Role::organisation_contact; }

boost::json::object summary_json(const IncidentSummary& s, const std::string& now) {
  return {{"reference", s.reference},       {"title", s.title},
          {"category", s.category},         {"severity", to_string(s.severity)},
          {"tlp", to_string(s.tlp)},        {"status", to_string(s.status)},
          {"assignee", s.assignee},         {"created_at", s.created_at},
          {"updated_at", s.updated_at},     {"response_due", s.response_due},
          {"resolution_due", s.resolution_due}, {"first_response_at", s.first_response_at},
          {"overdue", s.overdue(now)},      {"reports", s.report_count}};
}

// The incident as the caller may see it: an organisation contact gets the
// public side only (no internal comments, no reporters' tracking codes).
boost::json::object incident_json(const Incident& in, const std::string& now, bool public_side = false) {
  boost::json::array reports, indicators, timeline, next, organisations;
  if (!public_side)
    for (const auto& code : in.reports) reports.push_back(boost::json::value(code));
  for (const auto& i : in.indicators) indicators.push_back({{"type", i.type}, {"value", i.value}});
  for (const auto& o : in.organisations)
    organisations.push_back({{"id", o.organisation_id}, {"name", o.name}, {"source", o.source}, {"reason", o.reason}});
  for (const auto& e : in.timeline) {
    if (public_side && e.visibility != "public") continue;
    boost::json::value details = boost::json::parse(e.details.empty() ? "{}" : e.details);
    timeline.push_back({{"id", e.id}, {"at", e.at}, {"actor", e.actor}, {"kind", e.kind},
                        {"visibility", e.visibility}, {"text", e.text}, {"details", details}});
  }
  for (auto s : next_statuses(in.status)) next.push_back(boost::json::value(to_string(s)));
  return {{"reference", in.reference},      {"title", in.title},
          {"category", in.category},        {"severity", to_string(in.severity)},
          {"tlp", to_string(in.tlp)},       {"status", to_string(in.status)},
          {"next_statuses", next},          {"assignee", in.assignee},
          {"created_by", in.created_by},    {"created_at", in.created_at},
          {"updated_at", in.updated_at},    {"response_due", in.response_due},
          {"resolution_due", in.resolution_due}, {"first_response_at", in.first_response_at},
          {"resolved_at", in.resolved_at},  {"overdue", in.overdue(now)},
          {"reports", reports},             {"indicators", indicators},
          {"organisations", organisations},
          {"timeline", timeline}};
}

// Tracking codes from a body's "reports", normalised; each must look right.
Result<std::vector<std::string>> report_codes(const boost::json::object& body, bool required) {
  auto codes = string_list_field(body, "reports", 500, 40);
  if (!codes) return codes.error();
  if (required && codes->empty()) return Error::invalid("name at least one report", "/reports");
  std::vector<std::string> out;
  for (size_t i = 0; i < codes->size(); ++i) {
    auto code = normalise_tracking_code((*codes)[i]);
    if (!code) return Error::invalid("'" + (*codes)[i] + "' is not a tracking code", "/reports/" + std::to_string(i));
    if (std::find(out.begin(), out.end(), *code) == out.end()) out.push_back(*code);
  }
  return out;
}

Result<std::string> category_field(const boost::json::object& body, bool required) {
  auto category = string_field(body, "category", required, 100);
  if (!category) return category.error();
  if (!category->empty() && !Rsit::builtin().is_category(*category))
    return Error::invalid("category must be an RSIT class and type such as fraud:phishing", "/category");
  return category;
}

// The user id for an "assignee" username; "" or null unassigns.
Result<std::optional<int64_t>> assignee_field(ApiContext& ctx, const boost::json::object& body) {
  auto name = string_field(body, "assignee", false, 100);
  if (!name) return name.error();
  if (name->empty()) return std::optional<int64_t>{};
  auto user = ctx.store.find_user(*name);
  if (!user) return Error::invalid("there is no user named '" + *name + "'", "/assignee");
  if (user->role != Role::analyst && user->role != Role::administrator)
    return Error::invalid(*name + " is not an analyst", "/assignee");
  return std::optional<int64_t>{user->id};
}

template <class T>
Result<std::optional<T>> enum_field(const boost::json::object& body, const char* name,
                                    std::optional<T> (*parse)(std::string_view), const char* allowed) {
  auto text = string_field(body, name, false, 40);
  if (!text) return text.error();
  if (text->empty()) return std::optional<T>{};
  auto value = parse(*text);
  if (!value) return Error::invalid(std::string(name) + " must be one of " + allowed, std::string("/") + name);
  return std::optional<T>{*value};
}

constexpr const char* kStatuses = "new, triaged, in_progress, waiting_on_organisation, resolved, closed";
constexpr const char* kSeverities = "critical, high, medium, low";
constexpr const char* kTlps = "TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED";

Result<std::string> reference_param(const http::Request& request) {
  const auto& ref = request.params.at("reference");
  if (!looks_like_incident_reference(ref)) return Error::not_found("no incident " + ref);
  return ref;
}

}  // namespace

void add_incident_routes(http::Router& router, ApiContext& ctx) {
  router.add({"GET", "/api/v1/incidents", "incidents_list", 0,
              guard(ctx, incident_readers(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    IncidentFilter filter;
    if (is_contact(caller)) {
      filter.restrict_to_organisations = true;
      if (caller.user.organisation_id) filter.organisation_ids = {*caller.user.organisation_id};
    }
    auto query_enum = [&](const char* name, auto parse, const char* allowed, auto& target) -> Status {
      auto text = request.query_value(name);
      if (text.empty()) return {};
      auto value = parse(text);
      if (!value) return Error::invalid(std::string(name) + " must be one of " + allowed, name);
      target = *value;
      return {};
    };
    if (auto st = query_enum("status", parse_incident_status, kStatuses, filter.status); !st)
      return reply(http::problem(st.error()));
    if (auto st = query_enum("severity", parse_severity, kSeverities, filter.severity); !st)
      return reply(http::problem(st.error()));
    filter.category = request.query_value("category");
    if (auto organisation = request.query_value("organisation"); !organisation.empty() && !is_contact(caller)) {
      auto id = query_number(request, "organisation", 0, std::numeric_limits<int>::max());
      if (!id) return reply(http::problem(id.error()));
      if (*id == 0) return reply(http::problem(Error::invalid("organisation must be an organisation's id", "organisation")));
      filter.restrict_to_organisations = true;
      filter.organisation_ids = {*id};
    }
    auto text = query_search(request);
    if (!text) return reply(http::problem(text.error()));
    filter.text = *text;
    filter.open_only = request.query_value("open") == "true";
    filter.overdue_only = request.query_value("overdue") == "true";
    auto assignee = request.query_value("assignee");
    if (assignee == "me") {
      filter.assignee_id = caller.user.id;
    } else if (!assignee.empty()) {
      auto user = ctx.store.find_user(assignee);
      if (!user) return reply(http::problem(Error::invalid("there is no user named '" + assignee + "'", "assignee")));
      filter.assignee_id = user->id;
    }
    auto limit = query_number(request, "limit", 50, 500);
    if (!limit) return reply(http::problem(limit.error()));
    auto offset = query_number(request, "offset", 0, 100000000);
    if (!offset) return reply(http::problem(offset.error()));
    filter.limit = *limit;
    filter.offset = *offset;
    filter.now = now_rfc3339();
    auto list = ctx.store.list_incidents(filter);
    if (!list) return reply(http::problem(list.error()));
    boost::json::array items;
    for (const auto& s : *list) items.push_back(summary_json(s, filter.now));
    reply(json_response(200, {{"items", items}, {"limit", filter.limit}, {"offset", filter.offset}}));
  })});

  router.add({"GET", "/api/v1/stats/incidents", "stats_incidents", 0,
              guard(ctx, incident_staff(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    int weeks = 12;
    if (auto text = request.query_value("weeks"); !text.empty()) {
      if (text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos || std::stoi(text) < 1 || std::stoi(text) > 104)
        return reply(http::problem(Error::invalid("weeks must be a whole number from 1 to 104", "weeks")));
      weeks = std::stoi(text);
    }
    auto now = Clock::now();
    auto since = format_rfc3339(now - std::chrono::hours(24 * 7 * weeks));
    auto stats = ctx.store.incident_stats(since, format_rfc3339(now));
    if (!stats) return reply(http::problem(stats.error()));
    auto list = [](const std::vector<CountBy>& counts) {
      boost::json::array out;
      for (const auto& c : counts) out.push_back({{"key", c.key}, {"count", c.count}});
      return out;
    };
    reply(json_response(200, {{"since", since},
                              {"weeks", weeks},
                              {"opened_per_week", list(stats->opened_per_week)},
                              {"resolved_per_week", list(stats->closed_per_week)},
                              {"by_class", list(stats->by_class)},
                              {"by_organisation", list(stats->by_organisation)},
                              {"first_response", {{"total", stats->responded}, {"in_time", stats->responded_in_time}}},
                              {"resolution", {{"total", stats->resolved}, {"in_time", stats->resolved_in_time}}},
                              {"open_now", stats->open_now},
                              {"overdue_now", stats->overdue_now}}));
  })});

  router.add({"POST", "/api/v1/incidents", "incidents_create", 64 * 1024,
              guard(ctx, incident_staff(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto title = string_field(*body, "title", true, 300);
    if (!title) return reply(http::problem(title.error()));
    if (title->empty()) return reply(http::problem(Error::invalid("give the incident a title", "/title")));
    auto category = category_field(*body, true);
    if (!category) return reply(http::problem(category.error()));
    auto severity = enum_field<Severity>(*body, "severity", parse_severity, kSeverities);
    if (!severity) return reply(http::problem(severity.error()));
    auto tlp = enum_field<Tlp>(*body, "tlp", parse_tlp, kTlps);
    if (!tlp) return reply(http::problem(tlp.error()));
    auto assignee = assignee_field(ctx, *body);
    if (!assignee) return reply(http::problem(assignee.error()));
    auto codes = report_codes(*body, false);
    if (!codes) return reply(http::problem(codes.error()));
    NewIncident in;
    in.title = *title;
    in.category = *category;
    in.severity = severity->value_or(Severity::medium);
    in.tlp = tlp->value_or(Tlp::amber);
    in.assignee_id = *assignee;
    in.reports = *codes;
    in.created_by = caller.user.id;
    auto opened = Clock::now();
    in.created_at = format_rfc3339(opened);
    std::tie(in.response_due, in.resolution_due) = sla_due(ctx.settings.sla, in.severity, opened);
    boost::json::object details{{"title", in.title}, {"severity", to_string(in.severity)}, {"reports", in.reports.size()}};
    auto audit = caller_event(request, caller, "incident.create", "incident", "", json_text(details));
    ctx.store.create_incident(in, audit, [&ctx, reply](Result<std::string> reference) {
      if (!reference) return reply(http::problem(reference.error()));
      route_incident(ctx, *reference, [reply, ref = *reference] {
        auto response = json_response(201, {{"reference", ref}});
        response.set("location", "/api/v1/incidents/" + ref);
        reply(std::move(response));
      });
    });
  })});

  router.add({"GET", "/api/v1/incidents/{reference}", "incidents_read", 0,
              guard(ctx, incident_readers(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto reference = reference_param(request);
    if (!reference) return reply(http::problem(reference.error()));
    auto incident = ctx.store.find_incident(*reference);
    if (!incident) return reply(http::problem(incident.error()));
    if (is_contact(caller)) {
      // Another organisation's incident answers exactly like a missing one.
      bool theirs = caller.user.organisation_id &&
                    std::any_of(incident->organisations.begin(), incident->organisations.end(),
                                [&](const auto& o) { return o.organisation_id == *caller.user.organisation_id; });
      if (!theirs) return reply(http::problem(Error::not_found("no incident " + *reference)));
    }
    auto body = incident_json(*incident, now_rfc3339(), is_contact(caller));
    if (!is_contact(caller)) {
      // What was sent to whom about it, for the desk only (reporters' addresses).
      OutboxFilter about;
      about.incident = *reference;
      about.limit = 200;
      auto messages = ctx.store.list_outbox(about);
      if (!messages) return reply(http::problem(messages.error()));
      boost::json::array notifications;
      for (const auto& m : *messages) {
        auto item = outbox_json(m);
        item.erase("body");
        notifications.push_back(std::move(item));
      }
      body["notifications"] = std::move(notifications);
    }
    reply(json_response(200, body));
  })});

  router.add({"PUT", "/api/v1/incidents/{reference}/organisations", "incidents_organisations", 64 * 1024,
              guard(ctx, incident_staff(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto reference = reference_param(request);
    if (!reference) return reply(http::problem(reference.error()));
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto* ids = body->if_contains("organisations");
    if (!ids || !ids->is_array()) return reply(http::problem(Error::invalid("organisations must be a list of organisation ids", "/organisations")));
    std::vector<IncidentOrganisation> chosen;
    for (const auto& id : ids->as_array()) {
      if (!id.is_int64()) return reply(http::problem(Error::invalid("organisations must be a list of organisation ids", "/organisations")));
      chosen.push_back({id.as_int64(), "", "analyst", "chosen by " + caller.user.username});
    }
    auto audit = caller_event(request, caller, "incident.organisations", "incident", *reference, request.body.size() < 4096 ? request.body : "");
    auto ref = *reference;
    // The analyst's choice replaces what routing found; an empty choice hands
    // the incident back to routing.
    ctx.store.set_incident_organisations(ref, "analyst", chosen, caller.user.id, audit, [&ctx, reply, ref, empty = chosen.empty()](Result<bool> done) {
      if (!done) return reply(http::problem(done.error()));
      auto answer = [&ctx, reply, ref] {
        auto incident = ctx.store.find_incident(ref);
        if (!incident) return reply(http::problem(incident.error()));
        reply(json_response(200, incident_json(*incident, now_rfc3339())));
      };
      if (empty) return route_incident(ctx, ref, answer);
      answer();
    });
  })});

  router.add({"PATCH", "/api/v1/incidents/{reference}", "incidents_update", 64 * 1024,
              guard(ctx, incident_staff(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto reference = reference_param(request);
    if (!reference) return reply(http::problem(reference.error()));
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    IncidentChange change;
    auto status = enum_field<IncidentStatus>(*body, "status", parse_incident_status, kStatuses);
    if (!status) return reply(http::problem(status.error()));
    change.status = *status;
    auto severity = enum_field<Severity>(*body, "severity", parse_severity, kSeverities);
    if (!severity) return reply(http::problem(severity.error()));
    change.severity = *severity;
    auto tlp = enum_field<Tlp>(*body, "tlp", parse_tlp, kTlps);
    if (!tlp) return reply(http::problem(tlp.error()));
    change.tlp = *tlp;
    if (body->contains("title")) {
      auto title = string_field(*body, "title", true, 300);
      if (!title) return reply(http::problem(title.error()));
      if (title->empty()) return reply(http::problem(Error::invalid("the title cannot be empty", "/title")));
      change.title = *title;
    }
    if (body->contains("category")) {
      auto category = category_field(*body, true);
      if (!category) return reply(http::problem(category.error()));
      change.category = *category;
    }
    if (body->contains("assignee")) {
      auto assignee = assignee_field(ctx, *body);
      if (!assignee) return reply(http::problem(assignee.error()));
      change.assignee_id = *assignee;
    }
    if (change.empty())
      return reply(http::problem(Error::invalid("change at least one of status, severity, tlp, title, category, assignee")));
    auto audit = caller_event(request, caller, "incident.update", "incident", *reference, request.body.size() < 4096 ? request.body : "");
    auto ref = *reference;
    ctx.store.update_incident(ref, change, caller.user.id, audit, [&ctx, reply, ref](Result<bool> done) {
      if (!done) return reply(http::problem(done.error()));
      auto incident = ctx.store.find_incident(ref);
      if (!incident) return reply(http::problem(incident.error()));
      reply(json_response(200, incident_json(*incident, now_rfc3339())));
    });
  })});

  router.add({"POST", "/api/v1/incidents/{reference}/comments", "incidents_comment", 64 * 1024,
              guard(ctx, incident_staff(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto reference = reference_param(request);
    if (!reference) return reply(http::problem(reference.error()));
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto text = string_field(*body, "text", true, 10000);
    if (!text) return reply(http::problem(text.error()));
    if (text->empty()) return reply(http::problem(Error::invalid("the comment is empty", "/text")));
    auto visibility = string_field(*body, "visibility", false, 20);
    if (!visibility) return reply(http::problem(visibility.error()));
    if (!visibility->empty() && *visibility != "internal" && *visibility != "public")
      return reply(http::problem(Error::invalid("visibility must be internal or public", "/visibility")));
    bool is_public = *visibility == "public";
    auto audit = caller_event(request, caller, is_public ? "incident.public_note" : "incident.comment", "incident",
                              *reference);
    ctx.store.comment_incident(*reference, *text, is_public, caller.user.id, audit, [reply](Result<int64_t> id) {
      if (!id) return reply(http::problem(id.error()));
      reply(json_response(201, {{"id", *id}}));
    });
  })});

  router.add({"POST", "/api/v1/incidents/{reference}/reports", "incidents_link", 64 * 1024,
              guard(ctx, incident_staff(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto reference = reference_param(request);
    if (!reference) return reply(http::problem(reference.error()));
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto codes = report_codes(*body, true);
    if (!codes) return reply(http::problem(codes.error()));
    auto audit = caller_event(request, caller, "incident.link_reports", "incident", *reference,
                              json_text({{"reports", codes->size()}}));
    ctx.store.link_reports(*reference, *codes, caller.user.id, audit, [&ctx, reply, ref = *reference](Result<int> linked) {
      if (!linked) return reply(http::problem(linked.error()));
      route_incident(ctx, ref, [reply, count = *linked] { reply(json_response(200, {{"linked", count}})); });
    });
  })});

  router.add({"POST", "/api/v1/desk/reports/triage", "desk_reports_triage", 64 * 1024,
              guard(ctx, incident_staff(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto codes = report_codes(*body, true);
    if (!codes) return reply(http::problem(codes.error()));
    auto action = string_field(*body, "action", true, 20);
    if (!action) return reply(http::problem(action.error()));
    if (*action != "spam" && *action != "duplicate")
      return reply(http::problem(Error::invalid("action must be spam or duplicate", "/action")));
    auto note = string_field(*body, "note", false, 5000);
    if (!note) return reply(http::problem(note.error()));
    auto status = *action == "spam" ? ReportStatus::spam : ReportStatus::duplicate;
    auto audit = caller_event(request, caller, "report.triage", "report", codes->size() == 1 ? codes->front() : "",
                              json_text({{"action", *action}, {"reports", boost::json::value_from(*codes)}}));
    ctx.store.triage_reports(*codes, status, *note, caller.user.id, audit, [reply](Result<int> marked) {
      if (!marked) return reply(http::problem(marked.error()));
      reply(json_response(200, {{"marked", *marked}}));
    });
  })});
}

}  // namespace jaga::api
