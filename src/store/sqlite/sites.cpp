// The website monitor's sites in SQLite.
#include <boost/json.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>

#include "store/sqlite/sqlite_store.h"
#include "util/crypto.h"
#include "util/text.h"
#include "util/text_diff.h"
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
              "CASE WHEN ?6 THEN coalesce(t.findings, '[]') ELSE '[]' END, coalesce(t.failures_in_row, 0), coalesce(t.up_since, ''), "
              "coalesce(t.down_since, '') FROM sites s LEFT JOIN organisations o ON o.id = s.organisation_id "
              "LEFT JOIN site_status t ON t.site_id = s.id "
              "WHERE s.id > ?1 AND (?2 IS NULL OR o.name = ?2) "
              "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM json_each(s.tags) WHERE value = ?3)) "
              "AND (?4 IS NULL OR instr(s.url, ?4) > 0) ORDER BY s.id LIMIT ?5");
  q.bind(1, filter.after_id).bind_or_null(2, filter.organisation).bind_or_null(3, filter.tag);
  q.bind_or_null(4, filter.text).bind(5, static_cast<int64_t>(filter.limit)).bind(6, int64_t{filter.findings});
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
    state.total_ms = r.real(13);
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

Result<int64_t> SqliteStore::site_generation() {
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease, "SELECT generation FROM site_generation WHERE id = 1");
  auto row = q.step();
  if (!row) return row.error();
  return *row ? q.integer(0) : int64_t{0};
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

// Keeps the copy of the page a problem was seen on, with its incident, and
// answers what the timeline says of it and of the text's change from the
// site's baseline.
Result<std::string> page_evidence(Connection& db, const SiteCheckRecord& check, const SiteProblem& problem,
                                  int64_t incident_id) {
  std::string out;
  if (!problem.page_text.empty() || !problem.page_copy.empty()) {
    TRY_PREPARE(q, db, "SELECT text, learned_at FROM site_baselines WHERE site_id = ?1");
    q.bind(1, check.site_id);
    auto row = q.step();
    if (!row) return row.error();
    if (*row) {
      out += "\n\nThe text against the site's baseline (learnt " + q.text(1) + "):\n" +
             describe_text_change(text_change(q.text(0), problem.page_text), 3000);
    }
  }
  if (problem.page_copy.empty()) return out;
  std::string sha256 = sha256_hex(problem.page_copy);
  TRY_PREPARE(keep, db,
              "INSERT INTO site_evidence(incident_id, site_id, kind, captured_at, url, sha256, body) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
  keep.bind(1, incident_id).bind(2, check.site_id).bind(3, problem.kind).bind(4, check.checked_at);
  keep.bind(5, problem.page_url).bind(6, sha256).bind_blob(7, problem.page_copy);
  auto row = keep.step();
  if (!row) return row.error();
  int64_t id = keep.integer(0);
  TRY(keep.run());
  out += "\n\nA copy of the page as it was served (" + with_commas(problem.page_copy.size()) + " bytes, SHA-256 " +
         sha256 + ") is kept as evidence " + std::to_string(id) + ": /api/v1/site-evidence/" + std::to_string(id) + ".";
  return out;
}

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
        auto evidence = page_evidence(db, check, *problem, incident);
        if (!evidence) return evidence.error();
        TRY(add_event(db, incident, check.checked_at, std::nullopt, "monitor", false,
                      "The problem is back: " + problem->evidence + *evidence, ""));
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
    auto evidence = page_evidence(db, check, *problem, incident_id);
    if (!evidence) return evidence.error();
    TRY(add_event(db, incident_id, check.checked_at, std::nullopt, "monitor", false, problem->evidence + *evidence, ""));
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

namespace {

Status save_baseline(Connection& db, const SiteBaseline& b) {
  TRY_PREPARE(q, db,
              "INSERT OR REPLACE INTO site_baselines(site_id, learned_at, title, sketch, script_hosts, frame_hosts, text) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  q.bind(1, b.site_id).bind(2, b.learned_at).bind(3, b.title).bind(4, b.sketch).bind(5, list_json(b.script_hosts));
  q.bind(6, list_json(b.frame_hosts)).bind(7, b.text.substr(0, kBaselineTextLimit));
  return q.run();
}

// The columns of a site_baselines row in table order; its text is the seventh when `with_text`.
SiteBaseline read_baseline(Statement& r, bool with_text) {
  SiteBaseline b;
  b.site_id = r.integer(0);
  b.learned_at = r.text(1);
  b.title = r.text(2);
  b.sketch = r.text(3);
  b.script_hosts = list_of(r.text(4));
  b.frame_hosts = list_of(r.text(5));
  if (with_text) b.text = r.text(6);
  return b;
}

}  // namespace

Result<std::vector<SiteBaseline>> SqliteStore::list_site_baselines() {
  auto lease = readers_.lease();
  std::vector<SiteBaseline> out;
  TRY_PREPARE(q, *lease, "SELECT site_id, learned_at, title, sketch, script_hosts, frame_hosts FROM site_baselines");
  TRY(q.for_each_row([&](Statement& r) { out.push_back(read_baseline(r, false)); }));
  return out;
}

Result<std::optional<SiteBaseline>> SqliteStore::find_site_baseline(int64_t site_id) {
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease,
              "SELECT site_id, learned_at, title, sketch, script_hosts, frame_hosts, text FROM site_baselines "
              "WHERE site_id = ?1");
  q.bind(1, site_id);
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return std::optional<SiteBaseline>();
  return std::optional<SiteBaseline>(read_baseline(q, true));
}

void SqliteStore::reset_site_baseline(int64_t site_id, AuditEvent audit, Callback<bool> done) {
  submit_value<bool>(
      [site_id](Connection& db) -> Result<bool> {
        TRY_PREPARE(remove, db, "DELETE FROM site_baselines WHERE site_id = ?1");
        remove.bind(1, site_id);
        TRY(remove.run());
        return db.changes() > 0;
      },
      std::move(done), std::move(audit));
}

Result<std::vector<SiteAlert>> SqliteStore::list_site_alerts(int64_t site_id, int limit) {
  auto lease = readers_.lease();
  Connection& db = *lease;
  ReadTransaction snapshot(db);
  std::vector<SiteAlert> out;
  {
    TRY_PREPARE(q, db,
                "SELECT a.id, a.kind, a.incident_id, i.reference, a.opened_at, a.last_seen_at, a.closed_at, a.seen "
                "FROM site_alerts a JOIN incidents i ON i.id = a.incident_id WHERE a.site_id = ?1 "
                "ORDER BY a.closed_at != '', a.id DESC LIMIT ?2");
    q.bind(1, site_id).bind(2, static_cast<int64_t>(limit));
    TRY(q.for_each_row([&](Statement& r) {
      out.push_back({r.integer(0), r.text(1), r.integer(2), r.text(3), r.text(4), r.text(5), r.text(6),
                     static_cast<int>(r.integer(7)), {}});
    }));
  }
  for (auto& alert : out) {
    TRY_PREPARE(q, db,
                "SELECT id, site_id, incident_id, kind, captured_at, url, sha256, length(body) FROM site_evidence "
                "WHERE incident_id = ?1 AND site_id = ?2 ORDER BY id DESC LIMIT 20");
    q.bind(1, alert.incident_id).bind(2, site_id);
    TRY(q.for_each_row([&](Statement& r) {
      alert.evidence.push_back({r.integer(0), r.integer(1), r.integer(2), r.text(3), r.text(4), r.text(5), r.text(6),
                                r.integer(7), ""});
    }));
  }
  return out;
}

Result<SiteEvidence> SqliteStore::find_site_evidence(int64_t id) {
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease,
              "SELECT id, site_id, incident_id, kind, captured_at, url, sha256, length(body), body FROM site_evidence "
              "WHERE id = ?1");
  q.bind(1, id);
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("There is no kept page " + std::to_string(id) + ".");
  return SiteEvidence{q.integer(0), q.integer(1), q.integer(2), q.text(3), q.text(4), q.text(5), q.text(6),
                      q.integer(7), q.blob(8)};
}

void SqliteStore::record_site_checks(std::vector<SiteCheckRecord> checks, Callback<int> done) {
  submit_value<int>(
      [checks = std::move(checks), options = options_.notifications](Connection& db) -> Result<int> {
        int written = 0;
        for (const auto& c : checks) {
          // A site removed while it was being checked has no state to keep.
          TRY_PREPARE(status, db,
                      "INSERT INTO site_status(site_id, checked_at, up, status, total_ms, score, error, findings, "
                      "failures_in_row, up_since, down_since) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, '[]'), "
                      "CASE WHEN ?3 THEN 0 ELSE 1 END, CASE WHEN ?3 THEN ?2 ELSE '' END, CASE WHEN ?3 THEN '' ELSE ?2 END "
                      "WHERE EXISTS (SELECT 1 FROM sites WHERE id = ?1) "
                      "ON CONFLICT(site_id) DO UPDATE SET checked_at = excluded.checked_at, up = excluded.up, "
                      "status = excluded.status, total_ms = excluded.total_ms, score = excluded.score, "
                      "error = excluded.error, findings = coalesce(?8, findings), "
                      "failures_in_row = CASE WHEN excluded.up THEN 0 ELSE failures_in_row + 1 END, "
                      "up_since = CASE WHEN excluded.up AND NOT up THEN excluded.checked_at "
                      "WHEN excluded.up THEN up_since ELSE '' END, "
                      "down_since = CASE WHEN NOT excluded.up AND up THEN excluded.checked_at "
                      "WHEN NOT excluded.up THEN down_since ELSE '' END");
          status.bind(1, c.site_id).bind(2, c.checked_at).bind(3, int64_t{c.up}).bind(4, static_cast<int64_t>(c.status));
          status.bind_real(5, c.total_ms).bind(6, static_cast<int64_t>(c.score)).bind(7, c.error);
          if (!c.findings_json) status.bind(8, std::nullopt);
          else status.bind(8, c.findings_json->empty() ? std::string_view("[]") : std::string_view(*c.findings_json));
          TRY(status.run());
          if (db.changes() == 0) continue;
          TRY_PREPARE(history, db,
                      "INSERT OR REPLACE INTO site_checks(site_id, checked_at, up, status, total_ms, score) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
          history.bind(1, c.site_id).bind(2, c.checked_at).bind(3, int64_t{c.up}).bind(4, static_cast<int64_t>(c.status));
          history.bind_real(5, c.total_ms).bind(6, static_cast<int64_t>(c.score));
          TRY(history.run());
          TRY(apply_alerts(db, options, c));
          if (c.learned) TRY(save_baseline(db, *c.learned));
          ++written;
        }
        return written;
      },
      std::move(done));
}

namespace {

// The RFC 3339 start of the hour or day a time falls in ("2026-12-03T10").
std::string hour_of(const std::string& at) { return at.substr(0, 13) + ":00:00.000Z"; }
std::string day_of(const std::string& at) { return at.substr(0, 10) + "T00:00:00.000Z"; }

// Nearest rank: the smallest value that `share` of the values do not exceed.
double percentile(std::vector<double>& values, double share) {
  if (values.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(share * static_cast<double>(values.size())));
  size_t at = std::clamp<size_t>(rank, 1, values.size()) - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(at), values.end());
  return values[at];
}

// Checks of one site in one hour, rolled into one row.
struct HourBuilder {
  int64_t site_id = 0;
  SiteRollup rollup;
  std::vector<double> latencies;  // of the checks that were up

  void add(bool up, double total_ms) {
    ++rollup.checks;
    if (!up) return;
    ++rollup.up_checks;
    latencies.push_back(total_ms);
  }
  SiteRollup finish() {
    rollup.p50_ms = percentile(latencies, 0.5);
    rollup.p95_ms = percentile(latencies, 0.95);
    rollup.max_ms = latencies.empty() ? 0 : *std::max_element(latencies.begin(), latencies.end());
    return rollup;
  }
};

// Reads checks (site_id, checked_at, up, total_ms) in site and time order
// and calls `each(site_id, rollup)` once per site and hour.
template <class Each>
Status roll_checks(Statement& q, Each each) {
  HourBuilder current;
  bool open = false;
  TRY(q.for_each_row([&](Statement& r) {
    int64_t site = r.integer(0);
    std::string hour = hour_of(r.text(1));
    if (open && (site != current.site_id || hour != current.rollup.start)) {
      each(current.site_id, current.finish());
      open = false;
    }
    if (!open) {
      current = HourBuilder{site, SiteRollup{"hour", hour}, {}};
      open = true;
    }
    current.add(r.integer(2) != 0, r.real(3));
  }));
  if (open) each(current.site_id, current.finish());
  return {};
}

// Adds a roll-up, merging with one already there for the same period (the
// percentiles of a merge are weighted by the checks that were up).
Status merge_rollup(Connection& db, int64_t site_id, const SiteRollup& r) {
  TRY_PREPARE(upsert, db,
              "INSERT INTO site_rollups(site_id, period, start, checks, up_checks, p50_ms, p95_ms, max_ms) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(site_id, period, start) DO UPDATE SET "
              "p50_ms = CASE WHEN up_checks + excluded.up_checks = 0 THEN 0 ELSE "
              "(p50_ms * up_checks + excluded.p50_ms * excluded.up_checks) / (up_checks + excluded.up_checks) END, "
              "p95_ms = CASE WHEN up_checks + excluded.up_checks = 0 THEN 0 ELSE "
              "(p95_ms * up_checks + excluded.p95_ms * excluded.up_checks) / (up_checks + excluded.up_checks) END, "
              "max_ms = max(max_ms, excluded.max_ms), checks = checks + excluded.checks, "
              "up_checks = up_checks + excluded.up_checks");
  upsert.bind(1, site_id).bind(2, r.period).bind(3, r.start).bind(4, static_cast<int64_t>(r.checks));
  upsert.bind(5, static_cast<int64_t>(r.up_checks));
  upsert.bind_real(6, r.p50_ms).bind_real(7, r.p95_ms).bind_real(8, r.max_ms);
  return upsert.run();
}

// Adds `more` (of the same site and period) into `into`; the percentiles
// are weighted by the checks that were up.
void merge_into(SiteRollup& into, const SiteRollup& more) {
  int up = into.up_checks + more.up_checks;
  if (up > 0) {
    into.p50_ms = (into.p50_ms * into.up_checks + more.p50_ms * more.up_checks) / up;
    into.p95_ms = (into.p95_ms * into.up_checks + more.p95_ms * more.up_checks) / up;
  }
  into.max_ms = std::max(into.max_ms, more.max_ms);
  into.checks += more.checks;
  into.up_checks = up;
}

// A roll-up row: start, checks, up_checks, p50_ms, p95_ms, max_ms from column `start`.
SiteRollup read_rollup(Statement& r, std::string period, int start) {
  return {std::move(period), r.text(start), static_cast<int>(r.integer(start + 1)), static_cast<int>(r.integer(start + 2)),
          r.real(start + 3), r.real(start + 4), r.real(start + 5)};
}

std::string days_before(const std::string& now, int days) {
  auto when = parse_rfc3339(now).value_or(Clock::now());
  return format_rfc3339(when - std::chrono::hours(24 * days));
}

}  // namespace

void SqliteStore::roll_up_site_history(SiteHistoryPolicy policy, std::string now, Callback<int> done) {
  submit_value<int>(
      [policy, now = std::move(now)](Connection& db) -> Result<int> {
        int rolled = 0;
        // Whole hours only: an hour still filling stays as checks.
        std::string raw_before = hour_of(days_before(now, policy.raw_days));
        {
          TRY_PREPARE(q, db,
                      "SELECT site_id, checked_at, up, total_ms FROM site_checks "
                      "WHERE checked_at < ?1 ORDER BY site_id, checked_at");
          q.bind(1, raw_before);
          std::vector<std::pair<int64_t, SiteRollup>> hours;
          TRY(roll_checks(q, [&](int64_t site, SiteRollup r) { hours.emplace_back(site, std::move(r)); }));
          for (const auto& [site, r] : hours) {
            TRY(merge_rollup(db, site, r));
            rolled += r.checks;
          }
          TRY_PREPARE(remove, db, "DELETE FROM site_checks WHERE checked_at < ?1");
          remove.bind(1, raw_before);
          TRY(remove.run());
        }
        std::string hours_before = day_of(days_before(now, policy.hourly_days));
        {
          TRY_PREPARE(q, db,
                      "SELECT site_id, start, checks, up_checks, p50_ms, p95_ms, max_ms FROM site_rollups "
                      "WHERE period = 'hour' AND start < ?1 ORDER BY site_id, start");
          q.bind(1, hours_before);
          std::vector<std::pair<int64_t, SiteRollup>> days;
          TRY(q.for_each_row([&](Statement& r) {
            int64_t site = r.integer(0);
            std::string day = day_of(r.text(1));
            SiteRollup hour = read_rollup(r, "hour", 1);
            if (days.empty() || days.back().first != site || days.back().second.start != day)
              days.emplace_back(site, SiteRollup{"day", day});
            merge_into(days.back().second, hour);
            ++rolled;
          }));
          for (const auto& [site, d] : days) TRY(merge_rollup(db, site, d));
          TRY_PREPARE(remove, db, "DELETE FROM site_rollups WHERE period = 'hour' AND start < ?1");
          remove.bind(1, hours_before);
          TRY(remove.run());
        }
        return rolled;
      },
      std::move(done));
}

Result<std::vector<SiteRollup>> SqliteStore::site_history(int64_t site_id, const std::string& since) {
  auto lease = readers_.lease();
  Connection& db = *lease;
  ReadTransaction snapshot(db);
  std::vector<SiteRollup> out;
  {
    TRY_PREPARE(q, db,
                "SELECT period, start, checks, up_checks, p50_ms, p95_ms, max_ms FROM site_rollups "
                "WHERE site_id = ?1 AND start >= ?2 ORDER BY start, period");
    q.bind(1, site_id).bind(2, since);
    TRY(q.for_each_row([&](Statement& r) { out.push_back(read_rollup(r, r.text(0), 1)); }));
  }
  // The checks not rolled up yet, as hours in the same form.
  TRY_PREPARE(q, db,
              "SELECT site_id, checked_at, up, total_ms FROM site_checks "
              "WHERE site_id = ?1 AND checked_at >= ?2 ORDER BY site_id, checked_at");
  q.bind(1, site_id).bind(2, since);
  TRY(roll_checks(q, [&](int64_t, SiteRollup r) {
    // An hour partly rolled up already: the two are one hour.
    if (!out.empty() && out.back().period == "hour" && out.back().start == r.start) {
      merge_into(out.back(), r);
      return;
    }
    out.push_back(std::move(r));
  }));
  return out;
}

}  // namespace jaga::sqlite
