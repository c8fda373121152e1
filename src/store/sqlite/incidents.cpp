// The SQLite backend: incidents, the reports linked to them, their timeline,
// and the triage of reports (spam, duplicate).
#include <boost/json.hpp>

#include "store/sqlite/sqlite_store.h"
#include "util/time.h"

namespace jaga::sqlite {

Result<int64_t> incident_id_of(Connection& db, const std::string& reference) {
  TRY_PREPARE(q, db, "SELECT id FROM incidents WHERE reference = ?1");
  q.bind(1, reference);
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("no incident " + reference);
  return q.integer(0);
}

Status add_event(Connection& db, int64_t incident_id, const std::string& at, std::optional<int64_t> actor_id,
                 std::string_view kind, bool is_public, const std::string& text, const std::string& details) {
  TRY_PREPARE(insert, db,
              "INSERT INTO incident_events(incident_id, at, actor_id, kind, visibility, text, details) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  insert.bind(1, incident_id).bind(2, at).bind_optional(3, actor_id).bind(4, kind);
  insert.bind(5, is_public ? "public" : "internal").bind(6, text).bind(7, details.empty() ? "{}" : details);
  return insert.run();
}

namespace {

std::string change_details(std::string_view from, std::string_view to) {
  return boost::json::serialize(boost::json::object{{"from", from}, {"to", to}});
}


// Links each report (all must exist) and marks it incident_opened; answers
// those that were not linked before.
Result<std::vector<int64_t>> link_report_codes(Connection& db, int64_t incident_id, const std::vector<std::string>& codes,
                                               std::optional<int64_t> actor_id, const std::string& now) {
  std::vector<int64_t> linked;
  for (const auto& code : codes) {
    auto report_id = report_id_of(db, code);
    if (!report_id) {
      if (report_id.error().kind == ErrorKind::not_found)
        return Error::invalid("there is no report " + code, "/reports");
      return report_id.error();
    }
    TRY_PREPARE(link, db, "INSERT INTO incident_reports(incident_id, report_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
    link.bind(1, incident_id).bind(2, *report_id);
    TRY(link.run());
    if (db.changes() == 0) continue;
    linked.push_back(*report_id);
    if (auto st = note_report(db, *report_id, "", ReportStatus::incident_opened, actor_id, now); !st) return st.error();
    TRY(add_event(db, incident_id, now, actor_id, "report_linked", false, code, ""));
  }
  return linked;
}

Status touch_incident(Connection& db, int64_t incident_id, const std::string& now, bool first_response) {
  TRY_PREPARE(update, db,
              "UPDATE incidents SET updated_at = ?2, "
              "first_response_at = CASE WHEN ?3 THEN coalesce(first_response_at, ?2) ELSE first_response_at END "
              "WHERE id = ?1");
  update.bind(1, incident_id).bind(2, now).bind(3, int64_t{first_response});
  return update.run();
}

constexpr const char* incident_summary_columns =
    "SELECT i.reference, i.title, i.category, i.severity, i.tlp, i.status, coalesce(u.username, ''), "
    "i.created_at, i.updated_at, i.response_due, i.resolution_due, coalesce(i.first_response_at, ''), "
    "(SELECT count(*) FROM incident_reports ir WHERE ir.incident_id = i.id) "
    "FROM incidents i LEFT JOIN users u ON u.id = i.assignee_id ";

IncidentSummary read_summary(Statement& q) {
  IncidentSummary s;
  s.reference = q.text(0);
  s.title = q.text(1);
  s.category = q.text(2);
  s.severity = parse_severity(q.text(3)).value_or(Severity::medium);
  s.tlp = parse_tlp(q.text(4)).value_or(Tlp::amber);
  s.status = parse_incident_status(q.text(5)).value_or(IncidentStatus::new_);
  s.assignee = q.text(6);
  s.created_at = q.text(7);
  s.updated_at = q.text(8);
  s.response_due = q.text(9);
  s.resolution_due = q.text(10);
  s.first_response_at = q.text(11);
  s.report_count = static_cast<int>(q.integer(12));
  return s;
}

std::string allowed_next(IncidentStatus from) {
  std::string out;
  for (auto s : next_statuses(from)) out += (out.empty() ? "" : ", ") + std::string(to_string(s));
  return out.empty() ? "nothing" : out;
}

}  // namespace

void SqliteStore::triage_reports(std::vector<std::string> tracking_codes, ReportStatus status, std::string note,
                                 int64_t author_id, AuditEvent audit, Callback<int> done) {
  submit_value<int>(
      [codes = std::move(tracking_codes), status, note = std::move(note), author_id](Connection& db) -> Result<int> {
        std::string now = now_rfc3339();
        for (const auto& code : codes) {
          auto report_id = report_id_of(db, code);
          if (!report_id) return Error::invalid("there is no report " + code, "/reports");
          if (auto st = note_report(db, *report_id, note, status, author_id, now); !st) return st.error();
        }
        return static_cast<int>(codes.size());
      },
      std::move(done), std::move(audit));
}

// Tells the reporters of newly linked reports that their report became an incident.
static Status notify_reporters(Connection& db, const NotificationOptions& options, int64_t incident_id,
                        std::vector<int64_t> reports, int64_t actor_id, const std::string& now) {
  if (reports.empty()) return {};
  NotificationScope scope;
  scope.event = NotificationEvent::incident_opened;
  scope.organisations = false;
  scope.only_reports = std::move(reports);
  scope.actor_id = actor_id;
  auto queued = queue_notifications(db, options, incident_id, scope, now);
  if (!queued) return queued.error();
  return {};
}

Result<std::pair<int64_t, std::string>> insert_incident(Connection& db, const NewIncident& in) {
  int64_t id = 0;
  {
    TRY_PREPARE(next, db, "SELECT coalesce(max(id), 0) + 1 FROM incidents");
    auto row = next.step();
    if (!row) return row.error();
    id = next.integer(0);
  }
  std::string reference = incident_reference(std::stoi(in.created_at.substr(0, 4)), id);
  std::optional<int64_t> created_by;
  if (in.created_by != 0) created_by = in.created_by;
  TRY_PREPARE(insert, db,
              "INSERT INTO incidents(id, reference, title, category, severity, tlp, status, assignee_id, "
              "created_by, created_at, updated_at, response_due, resolution_due) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'new', ?7, ?8, ?9, ?9, ?10, ?11)");
  insert.bind(1, id).bind(2, reference).bind(3, in.title).bind(4, in.category);
  insert.bind(5, to_string(in.severity)).bind(6, to_string(in.tlp)).bind_optional(7, in.assignee_id);
  insert.bind_optional(8, created_by).bind(9, in.created_at).bind(10, in.response_due).bind(11, in.resolution_due);
  if (auto st = insert.run(); !st) {
    if (st.error().kind == ErrorKind::conflict) return Error::invalid("there is no such assignee", "/assignee");
    return st.error();
  }
  TRY(add_event(db, id, in.created_at, created_by, "created", false, in.title, ""));
  TRY(queue_search(db, "incident", id));
  return std::pair{id, reference};
}

void SqliteStore::create_incident(NewIncident incident, AuditEvent audit, Callback<std::string> done) {
  submit_value<std::string>(
      [in = std::move(incident), audit = std::move(audit), options = options_.notifications](Connection& db) mutable -> Result<std::string> {
        auto inserted = insert_incident(db, in);
        if (!inserted) return inserted.error();
        auto [id, reference] = *inserted;
        auto linked = link_report_codes(db, id, in.reports, in.created_by, in.created_at);
        if (!linked) return linked.error();
        TRY(notify_reporters(db, options, id, *linked, in.created_by, in.created_at));
        // The audit entry names the reference, known only now.
        audit.target_type = "incident";
        audit.target = reference;
        TRY(append_audit_row(db, audit));
        return reference;
      },
      std::move(done));
}

void SqliteStore::update_incident(std::string reference, IncidentChange change, int64_t actor_id, AuditEvent audit,
                                  Callback<bool> done) {
  submit_value<bool>(
      [reference = std::move(reference), change = std::move(change), actor_id,
       options = options_.notifications](Connection& db) -> Result<bool> {
        int64_t id = 0;
        IncidentStatus status{};
        std::string severity, tlp, title, category;
        std::optional<int64_t> assignee;
        {
          TRY_PREPARE(q, db, "SELECT id, status, severity, tlp, title, category, assignee_id FROM incidents WHERE reference = ?1");
          q.bind(1, reference);
          auto row = q.step();
          if (!row) return row.error();
          if (!*row) return Error::not_found("no incident " + reference);
          id = q.integer(0);
          status = parse_incident_status(q.text(1)).value_or(IncidentStatus::new_);
          severity = q.text(2);
          tlp = q.text(3);
          title = q.text(4);
          category = q.text(5);
          if (!q.is_null(6)) assignee = q.integer(6);
        }
        std::string now = now_rfc3339();
        bool first_response = false;
        auto set = [&](const char* sql, auto value) -> Status {
          TRY_PREPARE(update, db, sql);
          update.bind(1, id).bind(2, value);
          return update.run();
        };
        if (change.status && *change.status != status) {
          if (!transition_allowed(status, *change.status))
            return Error::conflict("An incident that is " + std::string(to_string(status)) + " cannot become " +
                                   std::string(to_string(*change.status)) + "; it can become " + allowed_next(status) + ".");
          TRY(set("UPDATE incidents SET status = ?2 WHERE id = ?1", to_string(*change.status)));
          if (*change.status == IncidentStatus::resolved) TRY(set("UPDATE incidents SET resolved_at = ?2 WHERE id = ?1", now));
          if (!is_open(status) && is_open(*change.status)) {  // reopened
            TRY_PREPARE(reopen, db, "UPDATE incidents SET resolved_at = NULL WHERE id = ?1");
            reopen.bind(1, id);
            TRY(reopen.run());
          }
          TRY(add_event(db, id, now, actor_id, "status", false, "", change_details(to_string(status), to_string(*change.status))));
          first_response = true;
        }
        if (change.severity && to_string(*change.severity) != severity) {
          TRY(set("UPDATE incidents SET severity = ?2 WHERE id = ?1", to_string(*change.severity)));
          TRY(add_event(db, id, now, actor_id, "severity", false, "", change_details(severity, to_string(*change.severity))));
        }
        if (change.tlp && to_string(*change.tlp) != tlp) {
          TRY(set("UPDATE incidents SET tlp = ?2 WHERE id = ?1", to_string(*change.tlp)));
          TRY(add_event(db, id, now, actor_id, "tlp", false, "", change_details(tlp, to_string(*change.tlp))));
        }
        if (change.title && *change.title != title) {
          TRY(set("UPDATE incidents SET title = ?2 WHERE id = ?1", *change.title));
          TRY(add_event(db, id, now, actor_id, "title", false, "", change_details(title, *change.title)));
        }
        if (change.category && *change.category != category) {
          TRY(set("UPDATE incidents SET category = ?2 WHERE id = ?1", *change.category));
          TRY(add_event(db, id, now, actor_id, "category", false, "", change_details(category, *change.category)));
        }
        if (change.assignee_id && *change.assignee_id != assignee) {
          TRY_PREPARE(update, db, "UPDATE incidents SET assignee_id = ?2 WHERE id = ?1");
          update.bind(1, id).bind_optional(2, *change.assignee_id);
          if (auto st = update.run(); !st) {
            if (st.error().kind == ErrorKind::conflict) return Error::invalid("there is no such assignee", "/assignee");
            return st.error();
          }
          auto name = [](std::optional<int64_t> v) { return v ? std::to_string(*v) : std::string(); };
          TRY(add_event(db, id, now, actor_id, "assignee", false, "", change_details(name(assignee), name(*change.assignee_id))));
        }
        TRY(touch_incident(db, id, now, first_response));
        if (change.title) TRY(queue_search(db, "incident", id));
        if (change.status && *change.status != status) {
          NotificationScope scope;
          scope.event = NotificationEvent::status_changed;
          scope.new_status = change.status;
          scope.actor_id = actor_id;
          auto queued = queue_notifications(db, options, id, scope, now);
          if (!queued) return queued.error();
        }
        return true;
      },
      std::move(done), std::move(audit));
}

void SqliteStore::comment_incident(std::string reference, std::string text, bool public_note, int64_t actor_id,
                                   AuditEvent audit, Callback<int64_t> done) {
  submit_value<int64_t>(
      [reference = std::move(reference), text = std::move(text), public_note, actor_id,
       options = options_.notifications](Connection& db) -> Result<int64_t> {
        auto id = incident_id_of(db, reference);
        if (!id) return id.error();
        std::string now = now_rfc3339();
        TRY(add_event(db, *id, now, actor_id, public_note ? "public_note" : "comment", public_note, text, ""));
        int64_t event_id = db.last_insert_id();
        if (public_note) {
          std::vector<int64_t> reports;
          {
            TRY_PREPARE(q, db, "SELECT report_id FROM incident_reports WHERE incident_id = ?1");
            q.bind(1, *id);
            TRY(q.for_each_row([&](Statement& q) { reports.push_back(q.integer(0)); }));
          }
          for (int64_t report_id : reports)
            if (auto st = note_report(db, report_id, text, std::nullopt, actor_id, now); !st) return st.error();
          NotificationScope scope;
          scope.event = NotificationEvent::public_note;
          scope.note = text;
          scope.actor_id = actor_id;
          auto queued = queue_notifications(db, options, *id, scope, now);
          if (!queued) return queued.error();
        }
        TRY(touch_incident(db, *id, now, public_note));
        TRY(queue_search(db, "incident", *id));
        return event_id;
      },
      std::move(done), std::move(audit));
}

void SqliteStore::link_reports(std::string reference, std::vector<std::string> tracking_codes, int64_t actor_id,
                               AuditEvent audit, Callback<int> done) {
  submit_value<int>(
      [reference = std::move(reference), codes = std::move(tracking_codes), actor_id,
       options = options_.notifications](Connection& db) -> Result<int> {
        auto id = incident_id_of(db, reference);
        if (!id) return id.error();
        std::string now = now_rfc3339();
        auto linked = link_report_codes(db, *id, codes, actor_id, now);
        if (!linked) return linked.error();
        TRY(touch_incident(db, *id, now, false));
        TRY(notify_reporters(db, options, *id, *linked, actor_id, now));
        return static_cast<int>(linked->size());
      },
      std::move(done), std::move(audit));
}

Result<Incident> SqliteStore::find_incident(const std::string& reference) {
  auto lease = readers_.lease();
  Connection& db = *lease;
  ReadTransaction snapshot(db);
  Incident in;
  {
    TRY_PREPARE(q, db,
                "SELECT i.id, i.reference, i.title, i.category, i.severity, i.tlp, i.status, i.assignee_id, "
                "coalesce(a.username, ''), coalesce(c.username, ''), i.created_at, i.updated_at, i.response_due, "
                "i.resolution_due, coalesce(i.first_response_at, ''), coalesce(i.resolved_at, '') "
                "FROM incidents i LEFT JOIN users a ON a.id = i.assignee_id LEFT JOIN users c ON c.id = i.created_by "
                "WHERE i.reference = ?1");
    q.bind(1, reference);
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return Error::not_found("no incident " + reference);
    in.id = q.integer(0);
    in.reference = q.text(1);
    in.title = q.text(2);
    in.category = q.text(3);
    in.severity = parse_severity(q.text(4)).value_or(Severity::medium);
    in.tlp = parse_tlp(q.text(5)).value_or(Tlp::amber);
    in.status = parse_incident_status(q.text(6)).value_or(IncidentStatus::new_);
    if (!q.is_null(7)) in.assignee_id = q.integer(7);
    in.assignee = q.text(8);
    in.created_by = q.text(9);
    in.created_at = q.text(10);
    in.updated_at = q.text(11);
    in.response_due = q.text(12);
    in.resolution_due = q.text(13);
    in.first_response_at = q.text(14);
    in.resolved_at = q.text(15);
  }
  {
    TRY_PREPARE(q, db,
                "SELECT r.tracking_code FROM incident_reports ir JOIN reports r ON r.id = ir.report_id "
                "WHERE ir.incident_id = ?1 ORDER BY r.id");
    q.bind(1, in.id);
    TRY(q.for_each_row([&](Statement& q) { in.reports.push_back(q.text(0)); }));
  }
  {
    TRY_PREPARE(q, db,
                "SELECT DISTINCT i.type, i.value FROM incident_reports ir "
                "JOIN report_indicators ri ON ri.report_id = ir.report_id JOIN indicators i ON i.id = ri.indicator_id "
                "WHERE ir.incident_id = ?1 ORDER BY i.type, i.value");
    q.bind(1, in.id);
    TRY(q.for_each_row([&](Statement& q) { in.indicators.push_back({q.text(0), q.text(1), "report"}); }));
  }
  {
    TRY_PREPARE(q, db,
                "SELECT io.organisation_id, o.name, io.source, io.reason FROM incident_organisations io "
                "JOIN organisations o ON o.id = io.organisation_id WHERE io.incident_id = ?1 ORDER BY io.source, o.name");
    q.bind(1, in.id);
    TRY(q.for_each_row([&](Statement& q) { in.organisations.push_back({q.integer(0), q.text(1), q.text(2), q.text(3)}); }));
  }
  {
    TRY_PREPARE(q, db,
                "SELECT e.id, e.at, e.actor_id, coalesce(u.username, ''), e.kind, e.visibility, e.text, e.details "
                "FROM incident_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.incident_id = ?1 ORDER BY e.id");
    q.bind(1, in.id);
    TRY(q.for_each_row([&](Statement& q) {
      IncidentEvent e;
      e.id = q.integer(0);
      e.at = q.text(1);
      if (!q.is_null(2)) e.actor_id = q.integer(2);
      e.actor = q.text(3);
      e.kind = q.text(4);
      e.visibility = q.text(5);
      e.text = q.text(6);
      e.details = q.text(7);
      in.timeline.push_back(std::move(e));
    }));
  }
  return in;
}

Result<std::vector<IncidentSummary>> SqliteStore::list_incidents(const IncidentFilter& f) {
  // Optional filters: a NULL parameter switches its filter off. A search is
  // driven from the text index (newest incident first) so that it stops after
  // one page.
  static const std::string filters =
      "(?1 IS NULL OR i.status = ?1) "
      "AND (?2 = 0 OR i.status NOT IN ('resolved', 'closed')) "
      "AND (?3 IS NULL OR i.severity = ?3) "
      "AND (?4 IS NULL OR i.category = ?4 OR i.category LIKE ?4 || ':%') "
      "AND (?5 IS NULL OR i.assignee_id = ?5) "
      "AND (?6 IS NULL OR (i.status NOT IN ('resolved', 'closed') AND "
      "((i.first_response_at IS NULL AND i.response_due < ?6) OR i.resolution_due < ?6))) "
      "AND (?9 = 0 OR i.id IN (SELECT io.incident_id FROM incident_organisations io "
      "WHERE io.organisation_id IN (SELECT value FROM json_each(?10)))) ";
  static const std::string browse = std::string(incident_summary_columns) + "WHERE " + filters +
                                    "AND ?11 IS NULL ORDER BY i.updated_at DESC, i.id DESC LIMIT ?7 OFFSET ?8";
  static const std::string search = std::string(incident_summary_columns) +
                                    "JOIN incident_search s ON s.rowid = i.id WHERE incident_search MATCH ?11 AND " + filters +
                                    "ORDER BY s.rowid DESC LIMIT ?7 OFFSET ?8";
  const std::string& sql = f.text.empty() ? browse : search;
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease, sql.c_str());
  q.bind_or_null(1, f.status ? to_string(*f.status) : "").bind(2, int64_t{f.open_only});
  q.bind_or_null(3, f.severity ? to_string(*f.severity) : "").bind_or_null(4, f.category);
  q.bind_optional(5, f.assignee_id).bind_or_null(6, f.overdue_only ? (f.now.empty() ? now_rfc3339() : f.now) : "");
  q.bind(7, static_cast<int64_t>(f.limit)).bind(8, static_cast<int64_t>(f.offset));
  q.bind(9, int64_t{f.restrict_to_organisations});
  std::string ids = "[";
  for (int64_t id : f.organisation_ids) ids += (ids.size() > 1 ? "," : "") + std::to_string(id);
  q.bind(10, ids + "]").bind_or_null(11, f.text.empty() ? "" : search_phrase(f.text));
  std::vector<IncidentSummary> out;
  TRY(q.for_each_row([&](Statement& q) { out.push_back(read_summary(q)); }));
  return out;
}

Result<IncidentStats> SqliteStore::incident_stats(const std::string& since, const std::string& now) {
  auto lease = readers_.lease();
  Connection& db = *lease;
  ReadTransaction snapshot(db);
  IncidentStats out;
  auto counts = [&](const char* sql, std::vector<CountBy>& into) -> Status {
    TRY_PREPARE(q, db, sql);
    q.bind(1, since);
    return q.for_each_row([&](Statement& q) { into.push_back({q.text(0), q.integer(1)}); });
  };
  // Weeks as ISO-like "YYYY-Www" from SQLite's %W (weeks starting on Monday).
  TRY(counts("SELECT strftime('%Y-W%W', created_at), count(*) FROM incidents WHERE created_at >= ?1 GROUP BY 1 ORDER BY 1",
             out.opened_per_week));
  TRY(counts("SELECT strftime('%Y-W%W', resolved_at), count(*) FROM incidents WHERE resolved_at >= ?1 GROUP BY 1 ORDER BY 1",
             out.closed_per_week));
  TRY(counts("SELECT substr(category, 1, instr(category, ':') - 1), count(*) FROM incidents WHERE created_at >= ?1 "
             "GROUP BY 1 ORDER BY 2 DESC, 1",
             out.by_class));
  TRY(counts("SELECT o.name, count(*) FROM incident_organisations io JOIN incidents i ON i.id = io.incident_id "
             "JOIN organisations o ON o.id = io.organisation_id WHERE i.created_at >= ?1 GROUP BY o.id ORDER BY 2 DESC, 1 LIMIT 10",
             out.by_organisation));
  {
    TRY_PREPARE(q, db,
                "SELECT count(first_response_at), count(CASE WHEN first_response_at <= response_due THEN 1 END), "
                "count(resolved_at), count(CASE WHEN resolved_at <= resolution_due THEN 1 END) "
                "FROM incidents WHERE created_at >= ?1");
    q.bind(1, since);
    auto row = q.step();
    if (!row) return row.error();
    out.responded = q.integer(0);
    out.responded_in_time = q.integer(1);
    out.resolved = q.integer(2);
    out.resolved_in_time = q.integer(3);
  }
  {
    TRY_PREPARE(q, db,
                "SELECT count(*), count(CASE WHEN (first_response_at IS NULL AND response_due < ?1) OR resolution_due < ?1 "
                "THEN 1 END) FROM incidents WHERE status NOT IN ('resolved', 'closed')");
    q.bind(1, now);
    auto row = q.step();
    if (!row) return row.error();
    out.open_now = q.integer(0);
    out.overdue_now = q.integer(1);
  }
  return out;
}

}  // namespace jaga::sqlite
