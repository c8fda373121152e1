// The SQLite backend: the hash-chained audit log.
#include "store/sqlite/sqlite_store.h"
#include "util/time.h"

namespace jaga::sqlite {

Status append_audit_row(Connection& db, const AuditEvent& event) {
  AuditEntry entry;
  entry.event = event;
  entry.previous_hash = kAuditGenesisHash;
  {
    TRY_PREPARE(last, db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
    auto row = last.step();
    if (!row) return row.error();
    if (*row) {
      entry.id = last.integer(0);
      entry.previous_hash = last.text(1);
    }
  }
  entry.id += 1;
  entry.at = now_rfc3339();
  entry.hash = audit_hash(entry);
  TRY_PREPARE(
      insert, db,
      "INSERT INTO audit_log(id, at, actor_id, actor, action, target_type, target, details, "
      "remote_address, previous_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  insert.bind(1, entry.id).bind(2, entry.at).bind_optional(3, event.actor_id).bind(4, event.actor);
  insert.bind(5, event.action)
      .bind(6, event.target_type)
      .bind(7, event.target)
      .bind(8, event.details);
  insert.bind(9, event.remote_address).bind(10, entry.previous_hash).bind(11, entry.hash);
  return insert.run();
}

namespace {

constexpr const char* audit_columns_sql =
    "SELECT id, at, actor_id, actor, action, target_type, target, details, remote_address, "
    "previous_hash, hash "
    "FROM audit_log ";

AuditEntry read_audit_entry(Statement& q) {
  AuditEntry e;
  e.id = q.integer(0);
  e.at = q.text(1);
  if (!q.is_null(2)) e.event.actor_id = q.integer(2);
  e.event.actor = q.text(3);
  e.event.action = q.text(4);
  e.event.target_type = q.text(5);
  e.event.target = q.text(6);
  e.event.details = q.text(7);
  e.event.remote_address = q.text(8);
  e.previous_hash = q.text(9);
  e.hash = q.text(10);
  return e;
}

}  // namespace

void SqliteStore::append_audit(AuditEvent event, Callback<int64_t> done) {
  submit_value<int64_t>(
      [event = std::move(event)](Connection& db) -> Result<int64_t> {
        TRY(append_audit_row(db, event));
        return db.last_insert_id();
      },
      std::move(done));
}

Result<std::vector<AuditEntry>> SqliteStore::list_audit(const AuditFilter& f) {
  static const std::string sql = std::string(audit_columns_sql) +
                                 "WHERE (?1 IS NULL OR actor = ?1) "
                                 "AND (?2 IS NULL OR action = ?2 OR (substr(?2, -1) = '.' AND "
                                 "substr(action, 1, length(?2)) = ?2)) "
                                 "AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4) "
                                 "ORDER BY id DESC LIMIT ?5 OFFSET ?6";
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease, sql.c_str());
  q.bind_or_null(1, f.actor).bind_or_null(2, f.action).bind_or_null(3, f.from).bind_or_null(4, f.to);
  q.bind(5, static_cast<int64_t>(f.limit)).bind(6, static_cast<int64_t>(f.offset));
  std::vector<AuditEntry> out;
  TRY(q.for_each_row([&](Statement& q) { out.push_back(read_audit_entry(q)); }));
  return out;
}

Result<AuditCheck> SqliteStore::verify_audit_log() {
  static const std::string sql = std::string(audit_columns_sql) + "ORDER BY id";
  auto lease = readers_.lease();
  ReadTransaction snapshot(*lease);
  TRY_PREPARE(q, *lease, sql.c_str());
  AuditChainChecker checker;
  bool intact = true;
  while (intact) {
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) break;
    intact = checker.add(read_audit_entry(q));
  }
  return checker.result();
}

}  // namespace jaga::sqlite
