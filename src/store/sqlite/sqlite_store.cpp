// The SQLite backend: opening, migrations, the writer thread and group commit.
#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include "store/sqlite/migrations.h"
#include "util/log.h"
#include "util/time.h"

namespace jaga::sqlite {

Status SqliteStore::open() {
  auto writer = Connection::open(path_, false);
  if (!writer) return writer.error();
  writer_connection_ = std::move(*writer);
  if (auto st = migrate(*writer_connection_); !st) return st;
  for (size_t i = 0; i < options_.read_connections; ++i) {
    auto reader = Connection::open(path_, true);
    if (!reader) return reader.error();
    readers_.add(std::move(*reader));
  }
  for (size_t i = 0; i < options_.read_connections; ++i) {
    auto reader = Connection::open(path_, true);
    if (!reader) return reader.error();
    object_readers_.add(std::make_unique<SnapshotReader>(SnapshotReader{std::move(*reader)}));
  }
  // The writer keeps the pages it touched between batches: a partner's
  // next page or the next feed import finds the indexes it writes into in
  // memory instead of reading them back (SQLite takes the memory only as
  // the database grows).
  TRY(writer_connection_->exec("PRAGMA cache_size = -262144"));  // 256 MiB
  // The writer does not copy the log into the database at its commits: a
  // thread of its own does, beside it, so that a large write does not also
  // wait for the checkpoint of the one before.
  TRY(writer_connection_->exec("PRAGMA wal_autocheckpoint = 0"));
  auto checkpointer = Connection::open(path_, false);
  if (!checkpointer) return checkpointer.error();
  checkpoint_connection_ = std::move(*checkpointer);
  writer_thread_ = std::thread([this] { write_loop(); });
  checkpoint_thread_ = std::thread([this] { checkpoint_loop(); });
  return {};
}

void SqliteStore::checkpoint_loop() {
  std::unique_lock lock(queue_mutex_);
  uint64_t copied = commits_;
  while (!closing_) {
    // Asleep until something was written: a quiet server's thread does not
    // wake to find nothing to copy (each wake-up costs). A condition of its
    // own: the writer's notify_one must never wake this thread instead.
    checkpoint_due_.wait(lock, [&] { return closing_ || commits_ != copied; });
    if (closing_) break;
    copied = commits_;
    lock.unlock();
    // PASSIVE: copies what no reader still needs, never blocks the writer or a reader.
    (void)checkpoint_connection_->exec("PRAGMA wal_checkpoint(PASSIVE)");
    lock.lock();
    // At most five a second: a busy writer's commits are copied together.
    checkpoint_due_.wait_for(lock, std::chrono::milliseconds(200), [&] { return closing_; });
  }
}

Status SqliteStore::migrate(Connection& db) {
  TRY(
      db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
              "description TEXT NOT NULL, applied_at TEXT NOT NULL)"));
  int current = 0;
  {
    TRY_PREPARE(q, db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    auto row = q.step();
    if (!row) return row.error();
    current = static_cast<int>(q.integer(0));
  }
  for (const auto& m : sqlite::migrations()) {
    if (m.version <= current) continue;
    TRY(db.exec("BEGIN IMMEDIATE"));
    auto applied = db.exec(m.sql);
    if (applied) {
      TRY_PREPARE(
          record, db,
          "INSERT INTO schema_migrations(version, description, applied_at) VALUES (?1, ?2, ?3)");
      record.bind(1, static_cast<int64_t>(m.version)).bind(2, m.description).bind(3, now_rfc3339());
      applied = record.run();
    }
    if (!applied) {
      (void)db.exec("ROLLBACK");
      return Error::internal("migration " + std::to_string(m.version) +
                             " failed: " + applied.error().message);
    }
    TRY(db.exec("COMMIT"));
    log::info("applied migration", {{"version", m.version}, {"description", m.description}});
  }
  return {};
}

Status SqliteStore::ping() {
  auto lease = readers_.lease();
  return (*lease).exec("SELECT 1");
}

int SqliteStore::schema_version() {
  auto lease = readers_.lease();
  auto q = (*lease).prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!q || !q->step().ok()) return 0;
  return static_cast<int>(q->integer(0));
}

void SqliteStore::submit(std::function<Status(Connection&)> work, std::function<void(Status)> done,
                         std::optional<AuditEvent> audit, Batching batching) {
  {
    std::lock_guard lock(queue_mutex_);
    if (closing_ || queue_.size() >= options_.write_queue_capacity) {
      Error e =
          Error::unavailable(closing_ ? "the store is shutting down" : "the write queue is full");
      done(e);
      return;
    }
    queue_.push_back({std::move(work), std::move(done), std::move(audit), batching});
  }
  queue_ready_.notify_one();
}

void SqliteStore::write_loop() {
  std::vector<WriteJob> batch;
  while (true) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [&] { return !queue_.empty() || closing_; });
      if (queue_.empty() && closing_) return;
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        bool alone = queue_.front().batching == Batching::alone;
        if (alone && !batch.empty()) break;  // the next transaction is its own
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
        if (alone) break;
      }
    }
    run_batch(batch);
    batch.clear();
    // Index what a busy spell left queued as soon as the writer has nothing
    // else to do, so that search never waits for the next write.
    bool idle = false;
    if (search_pending_) {
      std::lock_guard lock(queue_mutex_);
      idle = queue_.empty();
    }
    if (idle && flush_search_transaction()) search_pending_ = false;
    {
      std::lock_guard lock(queue_mutex_);
      ++commits_;
    }
    checkpoint_due_.notify_one();
  }
}

bool SqliteStore::flush_search_transaction() {
  Connection& db = *writer_connection_;
  if (!db.exec("BEGIN IMMEDIATE")) return false;
  if (flush_search_queue(db) && db.exec("COMMIT")) return true;
  (void)db.exec("ROLLBACK");
  return false;
}

namespace {
// Prepared once on the writer connection (the cache is keyed by address).
constexpr const char* kSavepoint = "SAVEPOINT job";
constexpr const char* kRollbackToSavepoint = "ROLLBACK TO job";
constexpr const char* kReleaseSavepoint = "RELEASE job";
}  // namespace

Status queue_search(Connection& db, std::string_view kind, int64_t id) {
  TRY_PREPARE(insert, db, "INSERT INTO search_queue(kind, id) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  insert.bind(1, kind).bind(2, id);
  return insert.run();
}

Status flush_search_queue(Connection& db) {
  // Whole-set statements, rowids ascending: an FTS5 table writes a segment
  // whenever a delete or an out-of-order rowid interrupts its pending inserts,
  // so row-by-row refreshing cost a segment (and its merging) per row.
  for (const char* sql : {
           "DELETE FROM report_search WHERE rowid IN (SELECT id FROM search_queue WHERE kind = 'report')",
           "INSERT INTO report_search(rowid, body) SELECT r.id, r.description || ' ' || r.involved || ' ' || "
           "coalesce((SELECT group_concat(a.text, ' ') FROM report_additions a WHERE a.report_id = r.id), '') || ' ' || "
           "coalesce((SELECT group_concat(i.value, ' ') FROM report_indicators ri JOIN indicators i ON i.id = ri.indicator_id "
           "WHERE ri.report_id = r.id), '') FROM reports r "
           "WHERE r.id IN (SELECT id FROM search_queue WHERE kind = 'report') ORDER BY r.id",
           "DELETE FROM incident_search WHERE rowid IN (SELECT id FROM search_queue WHERE kind = 'incident')",
           "INSERT INTO incident_search(rowid, body) SELECT i.id, i.reference || ' ' || i.title || ' ' || "
           "coalesce((SELECT group_concat(e.text, ' ') FROM incident_events e WHERE e.incident_id = i.id "
           "AND e.kind IN ('comment', 'public_note')), '') FROM incidents i "
           "WHERE i.id IN (SELECT id FROM search_queue WHERE kind = 'incident') ORDER BY i.id",
           "DELETE FROM search_queue"}) {
    TRY_PREPARE(statement, db, sql);
    TRY(statement.run());
  }
  return {};
}

void SqliteStore::run_batch(std::vector<WriteJob>& batch) {
  Connection& db = *writer_connection_;
  std::vector<Status> results(batch.size());
  auto begun = db.exec("BEGIN IMMEDIATE");
  if (!begun) {
    for (auto& job : batch) job.done(begun.error());
    return;
  }
  auto run = [&](const char* sql) {
    if (auto statement = db.prepare(sql)) (void)statement->run();
  };
  auto work = [&](WriteJob& job) -> Status {
    auto done = job.work(db);
    if (done && job.audit) done = append_audit_row(db, *job.audit);
    return done;
  };
  if (batch.size() == 1 && batch[0].batching == Batching::alone) {
    // Undone, if it fails, by rolling its transaction back.
    results[0] = work(batch[0]);
    if (!results[0]) {
      (void)db.exec("ROLLBACK");
      objects_written_ = false;
      batch[0].done(results[0]);
      return;
    }
  } else {
    for (size_t i = 0; i < batch.size(); ++i) {
      run(kSavepoint);
      results[i] = work(batch[i]);
      if (!results[i]) run(kRollbackToSavepoint);
      run(kReleaseSavepoint);
    }
  }
  // Indexing for search costs the most per flush, not per entry: a quiet
  // desk indexes every write at once (search finds it straight away), a busy
  // one every 250 ms for all that came in meanwhile. The index is
  // derived: if it cannot be written now, the queue keeps the entries and
  // the jobs still commit.
  auto now = std::chrono::steady_clock::now();
  search_pending_ = true;
  if (batch.size() <= 2 || now - last_search_flush_ >= std::chrono::milliseconds(250)) {
    last_search_flush_ = now;
    search_pending_ = false;
    run(kSavepoint);
    if (auto indexed = flush_search_queue(db); !indexed) {
      log::warn("search indexing deferred", {{"error", indexed.error().message}});
      run(kRollbackToSavepoint);
    }
    run(kReleaseSavepoint);
  }
  auto committed = db.exec("COMMIT");
  // Before any answer: whoever hears of the write reads it next.
  if (std::exchange(objects_written_, false)) ++objects_generation_;
  if (!committed) {
    (void)db.exec("ROLLBACK");
    log::error("commit failed", {{"error", committed.error().message}});
    for (auto& job : batch) job.done(Error::unavailable("the database could not commit"));
    return;
  }
  for (size_t i = 0; i < batch.size(); ++i) batch[i].done(results[i]);
}

void SqliteStore::close() {
  {
    std::lock_guard lock(queue_mutex_);
    if (closing_ && !writer_thread_.joinable()) return;
    closing_ = true;
  }
  queue_ready_.notify_all();
  checkpoint_due_.notify_all();
  if (writer_thread_.joinable()) writer_thread_.join();
  if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
  readers_.clear();
  object_readers_.clear();
  // PASSIVE: another process's readers must not hold this one up; the last
  // connection to close copies the rest.
  if (checkpoint_connection_) (void)checkpoint_connection_->exec("PRAGMA wal_checkpoint(PASSIVE)");
  checkpoint_connection_.reset();
  writer_connection_.reset();
}

Result<Connection*> SnapshotReader::current(uint64_t objects_generation) {
  if (open && (generation != objects_generation || std::chrono::steady_clock::now() - begun > kSnapshotAge)) {
    open = false;
    TRY(connection->exec("COMMIT"));
  }
  if (!open) {
    // Read before the snapshot begins: a write committed in between only
    // makes the snapshot newer than recorded, and the next read renews it.
    generation = objects_generation;
    begun = std::chrono::steady_clock::now();
    // Deferred: the snapshot is taken by the caller's first read.
    TRY(connection->exec("BEGIN"));
    open = true;
  }
  return connection.get();
}

Result<int64_t> SqliteStore::count(const char* sql) {
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease, sql);
  auto row = q.step();
  if (!row) return row.error();
  return q.integer(0);
}

}  // namespace jaga::sqlite

namespace jaga {

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const StoreOptions& options) {
  if (sqlite3_threadsafe() == 0) return Error::internal("SQLite was built without thread support");
  auto store = std::make_unique<sqlite::SqliteStore>(path, options);
  if (auto st = store->open(); !st) return st.error();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace jaga
