#include "store/sqlite/connection.h"

#include "store/sqlite/wal_buffer.h"

#include <sqlite3.h>

namespace jaga::sqlite {

Statement::Statement(Connection& connection, sqlite3_stmt* stmt) : connection_(connection), stmt_(stmt) {}

Statement::~Statement() {
  if (!stmt_) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::bind_text(int index, std::string_view text, bool copy) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), copy ? SQLITE_TRANSIENT : SQLITE_STATIC) !=
      SQLITE_OK)
    failed_bind_ = true;
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  if (sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT) != SQLITE_OK) failed_bind_ = true;
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) { return bind_text(index, text, true); }
Statement& Statement::bind_unowned(int index, std::string_view text) { return bind_text(index, text, false); }

Statement& Statement::bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) failed_bind_ = true;
  return *this;
}

Statement& Statement::bind_real(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) failed_bind_ = true;
  return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) failed_bind_ = true;
  return *this;
}

Statement& Statement::bind_or_null(int index, std::string_view text) {
  return text.empty() ? bind(index, std::nullopt) : bind(index, text);
}

Statement& Statement::bind_unowned_or_null(int index, std::string_view text) {
  return text.empty() ? bind(index, std::nullopt) : bind_unowned(index, text);
}

Statement& Statement::bind_optional(int index, const std::optional<int64_t>& value) {
  return value ? bind(index, *value) : bind(index, std::nullopt);
}

Result<bool> Statement::step() {
  if (failed_bind_) return Error::internal("binding a statement parameter failed");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return connection_.error(rc, sqlite3_sql(stmt_));
}

Status Statement::run() {
  while (true) {
    auto r = step();
    if (!r) return r.error();
    if (!*r) return {};
  }
}

std::string Statement::text(int column) const {
  auto* p = sqlite3_column_text(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

std::string Statement::blob(int column) const {
  auto* p = sqlite3_column_blob(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, bool read_only) {
  // SQLite's allocation statistics take a global mutex on every malloc, which
  // readers on several threads then queue on; nothing here reads them. This
  // must happen before SQLite initialises, so the first open does it.
  static const bool statistics_off = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // refused harmlessly if SQLite is already initialised
    return true;
  }();
  (void)statistics_off;
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (read_only ? 0 : SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, buffered_wal_vfs());
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error::unavailable("cannot open the database " + path + ": " + message);
  }
  std::unique_ptr<Connection> connection(new Connection(db));
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  // synchronous=FULL also keeps the WAL's buffered frames from other
  // connections until the commit's sync has written them (wal_buffer.h).
  const char* pragmas = read_only ? "PRAGMA foreign_keys=ON; PRAGMA query_only=ON; PRAGMA cache_size=-65536;"
                                  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                                    "PRAGMA foreign_keys=ON;";
  if (auto st = connection->exec(pragmas); !st) return st.error();
  return connection;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<Statement> Connection::prepare(const char* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return error(rc, sql);
    it = statements_.emplace(sql, stmt).first;
  }
  return Statement(*this, it->second);
}

Status Connection::exec(const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return Error::internal("database error: " + text);
  }
  return {};
}

namespace {
// Prepared once per connection (the cache is keyed by these addresses):
// sqlite3_exec would parse the text again on every transaction.
constexpr const char* kBeginRead = "BEGIN";
constexpr const char* kCommitRead = "COMMIT";
}  // namespace

ReadTransaction::ReadTransaction(Connection& connection) : connection_(connection), open_(false) {
  auto begin = connection_.prepare(kBeginRead);
  open_ = begin && begin->run().ok();
}

ReadTransaction::~ReadTransaction() {
  if (!open_) return;
  if (auto commit = connection_.prepare(kCommitRead)) (void)commit->run();
}

int64_t Connection::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
int Connection::changes() const { return sqlite3_changes(db_); }
std::string Connection::last_error() const { return sqlite3_errmsg(db_); }

Error Connection::error(int code, std::string_view context) const {
  int primary = code & 0xFF;
  std::string message = sqlite3_errmsg(db_);
  if (primary == SQLITE_CONSTRAINT) return Error::conflict(message);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Error::unavailable("database is busy");
  if (primary == SQLITE_FULL) return Error::unavailable("disk is full");
  return Error::internal("database error: " + message + " in: " + std::string(context.substr(0, 80)));
}

}  // namespace jaga::sqlite
