// The SQLite backend: the store of indicators, their sources, and the
// correlations computed from the registrable-domain and network indexes.
#include <algorithm>
#include <string_view>
#include <tuple>

#include "store/sqlite/sqlite_store.h"
#include "util/time.h"

namespace jaga::sqlite {

namespace {

int64_t rank(Tlp tlp) { return static_cast<int64_t>(tlp); }
Tlp tlp_of(int64_t rank) { return static_cast<Tlp>(rank < 0 ? 0 : rank > 4 ? 4 : rank); }

std::optional<int64_t> optional_integer(const std::optional<int>& value) {
  if (!value) return std::nullopt;
  return *value;
}

// Adds the indicator or merges it into the one stored: seen times widen,
// confidence keeps the highest, an expiry holds only while every source
// gives one, the label is the least restrictive among the sources.
Result<bool> upsert_indicator(Connection& db, const IndicatorSourceKind source_kind, const std::string& source_name,
                              const IndicatorInput& in, const std::string& now) {
  const std::string& first_seen = in.first_seen.empty() ? now : in.first_seen;
  const std::string& last_seen = in.last_seen.empty() ? now : in.last_seen;
  // Most indicators of an import are new: the insert is tried first, and the
  // stored one looked up only when it is refused (one index probe, not two).
  int64_t id = 0;
  {
    TRY_PREPARE(insert, db,
                "INSERT INTO indicators(type, value, first_seen, last_seen, registrable, network, tlp, confidence, "
                "valid_until, warninglist) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                "ON CONFLICT(type, value) DO NOTHING");
    insert.bind_unowned(1, in.kind).bind_unowned(2, in.value).bind_unowned(3, first_seen).bind_unowned(4, last_seen);
    insert.bind_unowned_or_null(5, in.registrable).bind_unowned_or_null(6, in.network).bind(7, rank(in.tlp));
    insert.bind_optional(8, optional_integer(in.confidence)).bind_unowned_or_null(9, in.valid_until);
    insert.bind_unowned_or_null(10, in.warninglist);
    TRY(insert.run());
    if (db.changes() > 0) id = db.last_insert_id();
  }
  bool added = id != 0;
  if (!added) {
    TRY_PREPARE(find, db, "SELECT id FROM indicators WHERE type = ?1 AND value = ?2");
    find.bind(1, in.kind).bind(2, in.value);
    auto row = find.step();
    if (!row) return row.error();
    if (!*row) return Error::internal("an indicator refused as held is not there");
    id = find.integer(0);
  }
  {
    TRY_PREPARE(source, db,
                "INSERT INTO indicator_sources(indicator_id, kind, name, tlp, count, first_seen, last_seen) "
                "VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6) ON CONFLICT(indicator_id, kind, name) DO UPDATE SET "
                "count = count + 1, tlp = excluded.tlp, first_seen = min(first_seen, excluded.first_seen), "
                "last_seen = max(last_seen, excluded.last_seen)");
    source.bind(1, id).bind_unowned(2, to_string(source_kind)).bind_unowned(3, source_name).bind(4, rank(in.tlp));
    source.bind_unowned(5, first_seen).bind_unowned(6, last_seen);
    TRY(source.run());
  }
  if (!added) {
    // The label is recomputed from the sources: one that re-labels its
    // indicators more strictly must not leave the looser label behind.
    TRY_PREPARE(update, db,
                "UPDATE indicators SET first_seen = min(first_seen, ?2), last_seen = max(last_seen, ?3), "
                "registrable = coalesce(?4, registrable), network = coalesce(?5, network), "
                "tlp = (SELECT min(tlp) FROM indicator_sources WHERE indicator_id = ?1), "
                "confidence = CASE WHEN ?6 IS NULL THEN confidence ELSE max(coalesce(confidence, 0), ?6) END, "
                "valid_until = CASE WHEN valid_until IS NULL OR ?7 IS NULL THEN NULL ELSE max(valid_until, ?7) END, "
                "warninglist = ?8 WHERE id = ?1");
    update.bind(1, id).bind(2, first_seen).bind(3, last_seen).bind_or_null(4, in.registrable);
    update.bind_or_null(5, in.network).bind_optional(6, optional_integer(in.confidence));
    update.bind_or_null(7, in.valid_until).bind_or_null(8, in.warninglist);
    TRY(update.run());
  }
  return added;
}

StoredIndicator read_indicator(Statement& q) {
  StoredIndicator s;
  s.id = q.integer(0);
  s.kind = q.text(1);
  s.value = q.text(2);
  s.registrable = q.text(3);
  s.network = q.text(4);
  s.tlp = tlp_of(q.integer(5));
  if (!q.is_null(6)) s.confidence = static_cast<int>(q.integer(6));
  s.valid_until = q.text(7);
  s.first_seen = q.text(8);
  s.last_seen = q.text(9);
  s.warninglist = q.text(10);
  s.source_count = q.integer(11);
  return s;
}

// The columns read_indicator reads, spliced into each statement at compile
// time so that every statement text has one address for the statement cache.
#define JAGA_INDICATOR_COLUMNS                                                                              \
  "i.id, i.type, i.value, coalesce(i.registrable, ''), coalesce(i.network, ''), i.tlp, i.confidence, "      \
  "coalesce(i.valid_until, ''), i.first_seen, i.last_seen, coalesce(i.warninglist, ''), "                   \
  "(SELECT count(*) FROM indicator_sources s WHERE s.indicator_id = i.id) + "                               \
  "EXISTS (SELECT 1 FROM report_indicators ri WHERE ri.indicator_id = i.id)"

constexpr const char* kScanSql =
    "SELECT " JAGA_INDICATOR_COLUMNS
    " FROM indicators i WHERE i.id > ?1 AND (?2 IS NULL OR i.type = ?2) "
    "AND (?3 IS NULL OR substr(i.value, 1, length(?3)) = ?3) "
    "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM indicator_sources s WHERE s.indicator_id = i.id AND s.kind = ?4) "
    "OR (?4 = 'report' AND EXISTS (SELECT 1 FROM report_indicators ri WHERE ri.indicator_id = i.id))) "
    "AND (?5 IS NULL OR i.tlp <= ?5) AND (?6 OR i.warninglist IS NULL) "
    "AND (?7 OR i.valid_until IS NULL OR i.valid_until > ?8) "
    "AND (NOT ?10 OR EXISTS (SELECT 1 FROM indicator_sources s WHERE s.indicator_id = i.id)) "
    "ORDER BY i.id LIMIT ?9";

Status scan(Connection& db, const IndicatorFilter& f, const std::function<bool(const StoredIndicator&)>& each) {
  TRY_PREPARE(q, db, kScanSql);
  q.bind(1, f.after_id).bind_or_null(2, f.kind).bind_or_null(3, f.query);
  q.bind_or_null(4, f.source_kind ? to_string(*f.source_kind) : std::string_view());
  q.bind_optional(5, f.max_tlp ? std::optional<int64_t>(rank(*f.max_tlp)) : std::nullopt);
  q.bind(6, static_cast<int64_t>(f.include_warninglisted)).bind(7, static_cast<int64_t>(f.include_expired));
  q.bind(8, f.now.empty() ? now_rfc3339() : f.now).bind(9, static_cast<int64_t>(f.limit > 0 ? f.limit : -1));
  q.bind(10, static_cast<int64_t>(f.vetted_only));
  while (true) {
    auto row = q.step();
    if (!row) return row.error();
    if (!*row || !each(read_indicator(q))) return {};
  }
}

Result<StoredIndicator> with_sources(Connection& db, StoredIndicator indicator) {
  TRY_PREPARE(q, db,
              "SELECT kind, name, tlp, count, first_seen, last_seen FROM indicator_sources WHERE indicator_id = ?1 "
              "ORDER BY last_seen DESC, kind, name");
  q.bind(1, indicator.id);
  TRY(q.for_each_row([&](Statement& s) {
    IndicatorSource source;
    source.kind = parse_indicator_source_kind(s.text(0)).value_or(IndicatorSourceKind::feed);
    source.name = s.text(1);
    source.tlp = tlp_of(s.integer(2));
    source.count = s.integer(3);
    source.first_seen = s.text(4);
    source.last_seen = s.text(5);
    indicator.sources.push_back(std::move(source));
  }));
  // The reports naming it, from their links, as one source.
  TRY_PREPARE(reports, db,
              "SELECT count(*), coalesce(min(r.created_at), ''), coalesce(max(r.created_at), '') FROM report_indicators ri "
              "JOIN reports r ON r.id = ri.report_id WHERE ri.indicator_id = ?1");
  reports.bind(1, indicator.id);
  auto row = reports.step();
  if (!row) return row.error();
  if (*row && reports.integer(0) > 0)
    indicator.sources.push_back(
        {IndicatorSourceKind::report, "reports", Tlp::amber, reports.integer(0), reports.text(1), reports.text(2)});
  return indicator;
}

// The statements of one kind of shared key (registrable domain or network),
// each text with one address for the statement cache.
struct KeyQueries {
  const char* neighbours;  // other indicators with the same key, with their sources
  const char* reports;     // reports naming one of them, each once
  const char* incidents;   // incidents linking such reports
};

#define JAGA_KEY_QUERIES(column)                                                                                   \
  KeyQueries {                                                                                                     \
    "SELECT o.id, o.value, coalesce((SELECT group_concat(source, ', ') FROM (SELECT s.kind || ': ' || s.name "    \
        "AS source FROM indicator_sources s WHERE s.indicator_id = o.id UNION ALL SELECT 'report: reports' WHERE "  \
        "EXISTS (SELECT 1 FROM report_indicators ri WHERE ri.indicator_id = o.id))), '') "                        \
        "FROM indicators o WHERE o." column " = ?1 AND "                                                          \
        "o.id <> ?2 ORDER BY o.last_seen DESC LIMIT ?3",                                                           \
        "SELECT o.value, r.tracking_code, r.created_at FROM indicators o JOIN report_indicators ri ON "             \
        "ri.indicator_id = o.id JOIN reports r ON r.id = ri.report_id WHERE o." column " = ?1 AND o.id <> ?2 "     \
        "GROUP BY r.id ORDER BY r.id DESC LIMIT ?3",                                                               \
        "SELECT o.value, i.reference, i.title FROM indicators o JOIN report_indicators ri ON ri.indicator_id = "    \
        "o.id JOIN incident_reports ir ON ir.report_id = ri.report_id JOIN incidents i ON i.id = ir.incident_id "  \
        "WHERE o." column " = ?1 AND o.id <> ?2 GROUP BY i.id ORDER BY i.id DESC LIMIT ?3"                    \
  }

const KeyQueries kRegistrableQueries = JAGA_KEY_QUERIES("registrable");
const KeyQueries kNetworkQueries = JAGA_KEY_QUERIES("network");

// Where an indicator is among the runs of one write: run, then position.
struct RunPosition {
  uint32_t run, index;
};

// The positions of every run's indicators in (value, kind) order. The
// first eight bytes of each value sit beside its position, so that most
// comparisons never leave this array for the strings scattered through the
// runs; and the runs are not copied into one vector, whose fresh pages
// would cost more than the sorting (a page fault each).
std::vector<RunPosition> key_order(const std::vector<const std::vector<IndicatorInput>*>& runs) {
  struct Key {
    uint64_t prefix;
    RunPosition at;
  };
  auto prefix_of = [](const std::string& text) {
    uint64_t prefix = 0;
    for (size_t i = 0; i < 8; ++i)
      prefix = (prefix << 8) | (i < text.size() ? static_cast<unsigned char>(text[i]) : 0);
    return prefix;
  };
  size_t total = 0;
  for (const auto* run : runs) total += run->size();
  std::vector<Key> keys;
  keys.reserve(total);
  for (uint32_t r = 0; r < runs.size(); ++r)
    for (uint32_t i = 0; i < runs[r]->size(); ++i) keys.push_back({prefix_of((*runs[r])[i].value), {r, i}});
  auto input = [&runs](RunPosition at) -> const IndicatorInput& { return (*runs[at.run])[at.index]; };
  std::sort(keys.begin(), keys.end(), [&input](const Key& a, const Key& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    const auto &x = input(a.at), &y = input(b.at);
    return std::tie(x.value, x.kind) < std::tie(y.value, y.kind);
  });
  std::vector<RunPosition> order(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].at;
  return order;
}

}  // namespace

Status bump_indicator_generation(Connection& db) {
  TRY_PREPARE(bump, db, "UPDATE indicator_generation SET generation = generation + 1");
  return bump.run();
}

Result<IndicatorImportCounts> write_indicator_import(Connection& db, IndicatorSourceKind source_kind,
                                                     const std::string& source_name,
                                                     const std::vector<const std::vector<IndicatorInput>*>& runs,
                                                     const std::function<void(int64_t)>& progress) {
  IndicatorImportCounts counts;
  const std::string now = now_rfc3339();
  // In key order the (kind, value) index and the new rows are written
  // nearly in sequence, touching each page once instead of once per
  // indicator, and with the writer's large page cache a million
  // indicators take seconds, not minutes.
  int64_t written = 0;
  const IndicatorInput* previous = nullptr;
  for (RunPosition at : key_order(runs)) {
    const IndicatorInput& in = (*runs[at.run])[at.index];
    // A value named twice in one write is one sighting by its source.
    if (previous && previous->kind == in.kind && previous->value == in.value) continue;
    previous = &in;
    auto added = upsert_indicator(db, source_kind, source_name, in, now);
    if (!added) return added.error();
    ++(*added ? counts.added : counts.updated);
    if (progress && ++written % 8192 == 0) progress(written);
  }
  if (progress) progress(written);
  TRY(bump_indicator_generation(db));
  return counts;
}

Result<IndicatorImportCounts> write_indicator_import(Connection& db, const IndicatorImport& batch,
                                                     const std::function<void(int64_t)>& progress) {
  return write_indicator_import(db, batch.source_kind, batch.source_name, {&batch.indicators}, progress);
}

void SqliteStore::import_indicators(IndicatorImport batch, std::function<void(int64_t)> progress,
                                    std::optional<AuditEvent> audit, Callback<IndicatorImportCounts> done) {
  submit_value<IndicatorImportCounts>(
      [batch = std::move(batch), progress = std::move(progress)](Connection& db) {
        return write_indicator_import(db, batch, progress);
      },
      std::move(done), std::move(audit), Batching::alone);
}

Result<std::vector<StoredIndicator>> SqliteStore::list_indicators(const IndicatorFilter& filter) {
  std::vector<StoredIndicator> out;
  auto lease = readers_.lease();
  TRY(scan(*lease, filter, [&](const StoredIndicator& s) {
    out.push_back(s);
    return true;
  }));
  return out;
}

Status SqliteStore::scan_indicators(const IndicatorFilter& filter,
                                    const std::function<bool(const StoredIndicator&)>& each) {
  auto lease = readers_.lease();
  ReadTransaction snapshot(*lease);
  return scan(*lease, filter, each);
}

Result<StoredIndicator> SqliteStore::find_indicator(int64_t id) {
  auto lease = readers_.lease();
  ReadTransaction snapshot(*lease);
  TRY_PREPARE(q, *lease, "SELECT " JAGA_INDICATOR_COLUMNS " FROM indicators i WHERE i.id = ?1");
  q.bind(1, id);
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("no indicator " + std::to_string(id));
  return with_sources(*lease, read_indicator(q));
}

Result<StoredIndicator> SqliteStore::find_indicator_by_value(const std::string& kind, const std::string& value) {
  auto lease = readers_.lease();
  ReadTransaction snapshot(*lease);
  TRY_PREPARE(q, *lease, "SELECT " JAGA_INDICATOR_COLUMNS " FROM indicators i WHERE i.type = ?1 AND i.value = ?2");
  q.bind(1, kind).bind(2, value);
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("no " + kind + " indicator " + value);
  return with_sources(*lease, read_indicator(q));
}

Result<std::vector<Correlation>> SqliteStore::correlate_indicator(int64_t id, int limit) {
  auto lease = readers_.lease();
  Connection& db = *lease;
  ReadTransaction snapshot(db);
  std::vector<Correlation> out;
  std::string value, registrable, network;
  {
    TRY_PREPARE(q, db, "SELECT value, coalesce(registrable, ''), coalesce(network, '') FROM indicators WHERE id = ?1");
    q.bind(1, id);
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return Error::not_found("no indicator " + std::to_string(id));
    value = q.text(0);
    registrable = q.text(1);
    network = q.text(2);
  }
  {
    TRY_PREPARE(q, db,
                "SELECT r.tracking_code, r.created_at FROM report_indicators ri JOIN reports r ON r.id = ri.report_id "
                "WHERE ri.indicator_id = ?1 ORDER BY r.id DESC LIMIT ?2");
    q.bind(1, id).bind(2, static_cast<int64_t>(limit));
    TRY(q.for_each_row([&](Statement& s) {
      out.push_back({CorrelationLink::same_value, value, "report", s.text(0), s.text(1)});
    }));
  }
  {
    TRY_PREPARE(q, db,
                "SELECT i.reference, i.title FROM report_indicators ri JOIN incident_reports ir ON ir.report_id = "
                "ri.report_id JOIN incidents i ON i.id = ir.incident_id WHERE ri.indicator_id = ?1 GROUP BY i.id "
                "ORDER BY i.id DESC LIMIT ?2");
    q.bind(1, id).bind(2, static_cast<int64_t>(limit));
    TRY(q.for_each_row([&](Statement& s) {
      out.push_back({CorrelationLink::same_value, value, "incident", s.text(0), s.text(1)});
    }));
  }
  for (auto [queries, key] : {std::pair{&kRegistrableQueries, &registrable}, std::pair{&kNetworkQueries, &network}}) {
    if (key->empty()) continue;
    CorrelationLink link = queries == &kRegistrableQueries ? CorrelationLink::same_registrable_domain
                           : key->find(':') != std::string::npos ? CorrelationLink::same_network_48
                                                                 : CorrelationLink::same_network_24;
    TRY_PREPARE(neighbours, db, queries->neighbours);
    neighbours.bind(1, *key).bind(2, id).bind(3, static_cast<int64_t>(limit));
    TRY(neighbours.for_each_row([&](Statement& s) {
      out.push_back({link, s.text(1), "indicator", std::to_string(s.integer(0)), s.text(2)});
    }));
    TRY_PREPARE(reports, db, queries->reports);
    reports.bind(1, *key).bind(2, id).bind(3, static_cast<int64_t>(limit));
    TRY(reports.for_each_row([&](Statement& s) { out.push_back({link, s.text(0), "report", s.text(1), s.text(2)}); }));
    TRY_PREPARE(incidents, db, queries->incidents);
    incidents.bind(1, *key).bind(2, id).bind(3, static_cast<int64_t>(limit));
    TRY(incidents.for_each_row(
        [&](Statement& s) { out.push_back({link, s.text(0), "incident", s.text(1), s.text(2)}); }));
  }
  return out;
}

Result<IndicatorContext> SqliteStore::indicator_context(int64_t id) {
  auto lease = readers_.lease();
  ReadTransaction snapshot(*lease);
  IndicatorContext context;
  TRY_PREPARE(sources, *lease,
              "SELECT kind || ':' || name, kind, name FROM indicator_sources WHERE indicator_id = ?1 "
              "ORDER BY last_seen DESC LIMIT 10");
  sources.bind(1, id);
  TRY(sources.for_each_row([&](Statement& q) {
    context.sources.push_back(q.text(0));
    if (q.text(1) == "incident") context.incidents.push_back(q.text(2));
  }));
  {
    TRY_PREPARE(reported, *lease, "SELECT EXISTS (SELECT 1 FROM report_indicators WHERE indicator_id = ?1)");
    reported.bind(1, id);
    auto row = reported.step();
    if (!row) return row.error();
    if (*row && reported.integer(0)) context.sources.push_back("report:reports");
  }
  TRY_PREPARE(incidents, *lease,
              "SELECT i.reference FROM report_indicators ri JOIN incident_reports ir ON ir.report_id = ri.report_id "
              "JOIN incidents i ON i.id = ir.incident_id WHERE ri.indicator_id = ?1 GROUP BY i.id ORDER BY i.id DESC "
              "LIMIT 10");
  incidents.bind(1, id);
  TRY(incidents.for_each_row([&](Statement& q) {
    auto reference = q.text(0);
    if (std::find(context.incidents.begin(), context.incidents.end(), reference) == context.incidents.end())
      context.incidents.push_back(std::move(reference));
  }));
  return context;
}

}  // namespace jaga::sqlite
