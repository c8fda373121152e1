// The website monitor's sites in SQLite.
#include <boost/json.hpp>
#include <algorithm>
#include <chrono>

#include "store/sqlite/sqlite_store.h"
#include "util/time.h"

namespace jaga::sqlite {

namespace {

std::string list_json(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const auto& v : values) out.push_back(boost::json::value(v));
  return boost::json::serialize(out);
}

std::vector<std::string> list_of(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto parsed = boost::json::parse(text, ec);
  if (ec || !parsed.is_array()) return out;
  for (const auto& v : parsed.as_array())
    if (v.is_string()) out.emplace_back(v.as_string());
  return out;
}

}  // namespace

void SqliteStore::save_sites(std::vector<Site> sites, AuditEvent audit, Callback<SiteSaveCounts> done) {
  submit_value<SiteSaveCounts>(
      [sites = std::move(sites)](Connection& db) -> Result<SiteSaveCounts> {
        SiteSaveCounts counts;
        std::string now = now_rfc3339();
        for (const auto& site : sites) {
          std::optional<int64_t> organisation;
          if (!site.organisation.empty()) {
            TRY_PREPARE(q, db, "SELECT id FROM organisations WHERE name = ?1");
            q.bind(1, site.organisation);
            auto row = q.step();
            if (!row) return row.error();
            if (!*row) return Error::invalid(site.url + ": there is no organisation named '" + site.organisation + "'");
            organisation = q.integer(0);
          }
          TRY_PREPARE(upsert, db,
                      "INSERT INTO sites(url, organisation_id, interval_seconds, keywords, tags, enabled, created_at, "
                      "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) ON CONFLICT(url) DO UPDATE SET "
                      "organisation_id = excluded.organisation_id, interval_seconds = excluded.interval_seconds, "
                      "keywords = excluded.keywords, tags = excluded.tags, enabled = excluded.enabled, "
                      "updated_at = excluded.updated_at RETURNING created_at = updated_at");
          upsert.bind(1, site.url).bind_optional(2, organisation).bind(3, static_cast<int64_t>(site.interval_seconds));
          upsert.bind(4, list_json(site.keywords)).bind(5, list_json(site.tags)).bind(6, int64_t{site.enabled});
          upsert.bind(7, now);
          auto row = upsert.step();
          if (!row) return Error{row.error().kind, site.url + ": " + row.error().message, ""};
          ++(*row && upsert.integer(0) ? counts.added : counts.updated);
          TRY(upsert.run());
        }
        return counts;
      },
      std::move(done), std::move(audit));
}

void SqliteStore::delete_site(std::string url, AuditEvent audit, Callback<bool> done) {
  submit_value<bool>(
      [url = std::move(url)](Connection& db) -> Result<bool> {
        TRY_PREPARE(remove, db, "DELETE FROM sites WHERE url = ?1");
        remove.bind(1, url);
        TRY(remove.run());
        return db.changes() > 0;
      },
      std::move(done), std::move(audit));
}

namespace {

// The sites of `filter`, each with its latest state (empty when never checked).
Result<std::vector<SiteState>> read_sites(Connection& db, const SiteFilter& filter) {
  std::vector<SiteState> out;
  TRY_PREPARE(q, db,
              "SELECT s.id, s.url, s.organisation_id, coalesce(o.name, ''), s.interval_seconds, s.keywords, s.tags, "
              "s.enabled, s.created_at, s.updated_at, coalesce(t.checked_at, ''), coalesce(t.up, 0), "
              "coalesce(t.status, 0), coalesce(t.total_ms, 0), coalesce(t.score, 0), coalesce(t.error, ''), "
              "coalesce(t.findings, '[]'), coalesce(t.failures_in_row, 0), coalesce(t.up_since, ''), "
              "coalesce(t.down_since, '') FROM sites s LEFT JOIN organisations o ON o.id = s.organisation_id "
              "LEFT JOIN site_status t ON t.site_id = s.id "
              "WHERE s.id > ?1 AND (?2 IS NULL OR o.name = ?2) "
              "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM json_each(s.tags) WHERE value = ?3)) "
              "AND (?4 IS NULL OR instr(s.url, ?4) > 0) ORDER BY s.id LIMIT ?5");
  q.bind(1, filter.after_id).bind_or_null(2, filter.organisation).bind_or_null(3, filter.tag);
  q.bind_or_null(4, filter.text).bind(5, static_cast<int64_t>(filter.limit));
  TRY(q.for_each_row([&](Statement& r) {
    SiteState state;
    Site& s = state.site;
    s.id = r.integer(0);
    s.url = r.text(1);
    if (!r.is_null(2)) s.organisation_id = r.integer(2);
    s.organisation = r.text(3);
    s.interval_seconds = static_cast<int>(r.integer(4));
    s.keywords = list_of(r.text(5));
    s.tags = list_of(r.text(6));
    s.enabled = r.integer(7) != 0;
    s.created_at = r.text(8);
    s.updated_at = r.text(9);
    state.checked_at = r.text(10);
    state.up = r.integer(11) != 0;
    state.status = static_cast<long>(r.integer(12));
    state.total_ms = static_cast<double>(r.integer(13));
    state.score = static_cast<int>(r.integer(14));
    state.error = r.text(15);
    state.findings_json = r.text(16);
    state.failures_in_row = static_cast<int>(r.integer(17));
    state.up_since = r.text(18);
    state.down_since = r.text(19);
    out.push_back(std::move(state));
  }));
  return out;
}

}  // namespace

Result<std::vector<Site>> SqliteStore::list_sites(const SiteFilter& filter) {
  auto lease = readers_.lease();
  auto states = read_sites(*lease, filter);
  if (!states) return states.error();
  std::vector<Site> out;
  out.reserve(states->size());
  for (auto& s : *states) out.push_back(std::move(s.site));
  return out;
}

Result<std::vector<SiteState>> SqliteStore::list_site_states(const SiteFilter& filter) {
  auto lease = readers_.lease();
  ReadTransaction snapshot(*lease);
  return read_sites(*lease, filter);
}

namespace {

// A problem seen again within this long of its alert closing reopens that
// alert and its incident instead of opening new ones: a flapping site is one
// incident, not one an hour.
constexpr auto kReopenWithin = std::chrono::hours(1);

// Opens, keeps or closes the site's alerts after a check; each new alert
// is an incident routed to the site's organisation, which is told.
Status apply_alerts(Connection& db, const NotificationOptions& options, const SiteCheckRecord& check) {
  std::optional<int64_t> organisation;
  std::string url;
  {
    TRY_PREPARE(q, db, "SELECT organisation_id, url FROM sites WHERE id = ?1");
    q.bind(1, check.site_id);
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return {};
    if (!q.is_null(0)) organisation = q.integer(0);
    url = q.text(1);
  }
  auto when = parse_rfc3339(check.checked_at);
  std::string reopen_after = when ? format_rfc3339(*when - kReopenWithin) : check.checked_at;
  for (const char* kind : kSiteProblemKinds) {
    if (std::find(check.unknown.begin(), check.unknown.end(), kind) != check.unknown.end()) continue;
    const SiteProblem* problem = nullptr;
    for (const auto& p : check.problems)
      if (p.kind == kind) problem = &p;
    int64_t open_id = 0, open_incident = 0;
    {
      TRY_PREPARE(q, db, "SELECT id, incident_id FROM site_alerts WHERE site_id = ?1 AND kind = ?2 AND closed_at = ''");
      q.bind(1, check.site_id).bind(2, kind);
      auto row = q.step();
      if (!row) return row.error();
      if (*row) {
        open_id = q.integer(0);
        open_incident = q.integer(1);
      }
    }
    if (!problem) {
      if (open_id == 0) continue;
      TRY_PREPARE(close, db, "UPDATE site_alerts SET closed_at = ?2 WHERE id = ?1");
      close.bind(1, open_id).bind(2, check.checked_at);
      TRY(close.run());
      TRY(add_event(db, open_incident, check.checked_at, std::nullopt, "monitor", false,
                    "Recovered: the monitor no longer sees the problem (" + std::string(kind) + ") at " + url + ".", ""));
      continue;
    }
    if (open_id != 0) {
      TRY_PREPARE(seen, db, "UPDATE site_alerts SET last_seen_at = ?2, seen = seen + 1 WHERE id = ?1");
      seen.bind(1, open_id).bind(2, check.checked_at);
      TRY(seen.run());
      continue;
    }
    {
      TRY_PREPARE(recent, db,
                  "SELECT id, incident_id FROM site_alerts WHERE site_id = ?1 AND kind = ?2 AND closed_at >= ?3 "
                  "ORDER BY id DESC LIMIT 1");
      recent.bind(1, check.site_id).bind(2, kind).bind(3, reopen_after);
      auto row = recent.step();
      if (!row) return row.error();
      if (*row) {
        int64_t alert = recent.integer(0), incident = recent.integer(1);
        TRY_PREPARE(reopen, db, "UPDATE site_alerts SET closed_at = '', last_seen_at = ?2, seen = seen + 1 WHERE id = ?1");
        reopen.bind(1, alert).bind(2, check.checked_at);
        TRY(reopen.run());
        TRY(add_event(db, incident, check.checked_at, std::nullopt, "monitor", false,
                      "The problem is back: " + problem->evidence, ""));
        continue;
      }
    }
    NewIncident incident;
    incident.title = problem->title;
    incident.category = problem->category;
    incident.severity = parse_severity(problem->severity).value_or(Severity::high);
    incident.tlp = Tlp::amber;
    incident.created_at = check.checked_at;
    incident.response_due = problem->response_due;
    incident.resolution_due = problem->resolution_due;
    auto inserted = insert_incident(db, incident);
    if (!inserted) return inserted.error();
    int64_t incident_id = inserted->first;
    TRY(add_event(db, incident_id, check.checked_at, std::nullopt, "monitor", false, problem->evidence, ""));
    if (organisation) {
      TRY_PREPARE(affected, db,
                  "INSERT INTO incident_organisations(incident_id, organisation_id, source, reason, indicators) "
                  "VALUES (?1, ?2, 'routing', ?3, '[]')");
      affected.bind(1, incident_id).bind(2, *organisation).bind(3, "owns the watched site " + url);
      TRY(affected.run());
      NotificationScope scope;
      scope.event = NotificationEvent::incident_opened;
      scope.only_organisations = std::vector<int64_t>{*organisation};
      scope.reporters = false;
      auto queued = queue_notifications(db, options, incident_id, scope, check.checked_at);
      if (!queued) return queued.error();
    }
    TRY_PREPARE(alert, db,
                "INSERT INTO site_alerts(site_id, kind, incident_id, opened_at, last_seen_at) VALUES (?1, ?2, ?3, ?4, ?4)");
    alert.bind(1, check.site_id).bind(2, kind).bind(3, incident_id).bind(4, check.checked_at);
    TRY(alert.run());
  }
  return {};
}

}  // namespace

void SqliteStore::record_site_checks(std::vector<SiteCheckRecord> checks, Callback<int> done) {
  submit_value<int>(
      [checks = std::move(checks), options = options_.notifications](Connection& db) -> Result<int> {
        int written = 0;
        for (const auto& c : checks) {
          // A site removed while it was being checked has no state to keep.
          TRY_PREPARE(status, db,
                      "INSERT INTO site_status(site_id, checked_at, up, status, total_ms, score, error, findings, "
                      "failures_in_row, up_since, down_since) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                      "CASE WHEN ?3 THEN 0 ELSE 1 END, CASE WHEN ?3 THEN ?2 ELSE '' END, CASE WHEN ?3 THEN '' ELSE ?2 END "
                      "WHERE EXISTS (SELECT 1 FROM sites WHERE id = ?1) "
                      "ON CONFLICT(site_id) DO UPDATE SET checked_at = excluded.checked_at, up = excluded.up, "
                      "status = excluded.status, total_ms = excluded.total_ms, score = excluded.score, "
                      "error = excluded.error, findings = excluded.findings, "
                      "failures_in_row = CASE WHEN excluded.up THEN 0 ELSE failures_in_row + 1 END, "
                      "up_since = CASE WHEN excluded.up AND NOT up THEN excluded.checked_at "
                      "WHEN excluded.up THEN up_since ELSE '' END, "
                      "down_since = CASE WHEN NOT excluded.up AND up THEN excluded.checked_at "
                      "WHEN NOT excluded.up THEN down_since ELSE '' END");
          status.bind(1, c.site_id).bind(2, c.checked_at).bind(3, int64_t{c.up}).bind(4, static_cast<int64_t>(c.status));
          status.bind(5, static_cast<int64_t>(c.total_ms)).bind(6, static_cast<int64_t>(c.score)).bind(7, c.error);
          status.bind(8, c.findings_json.empty() ? std::string("[]") : c.findings_json);
          TRY(status.run());
          if (db.changes() == 0) continue;
          TRY_PREPARE(history, db,
                      "INSERT OR REPLACE INTO site_checks(site_id, checked_at, up, status, total_ms, score) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
          history.bind(1, c.site_id).bind(2, c.checked_at).bind(3, int64_t{c.up}).bind(4, static_cast<int64_t>(c.status));
          history.bind(5, static_cast<int64_t>(c.total_ms)).bind(6, static_cast<int64_t>(c.score));
          TRY(history.run());
          TRY(apply_alerts(db, options, c));
          ++written;
        }
        return written;
      },
      std::move(done));
}

}  // namespace jaga::sqlite
