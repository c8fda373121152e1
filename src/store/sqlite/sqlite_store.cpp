// The SQLite backend of Store.
//
// Threads: one writer thread owns the write connection and drains the queue of
// write jobs, many per transaction (group commit): BEGIN IMMEDIATE, each job in
// its own SAVEPOINT so one failing job does not undo the others, COMMIT, and
// only then the callbacks. Readers borrow one of a few read-only connections;
// WAL lets them run beside the writer.
#include <sqlite3.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"
#include "store/store.h"
#include "util/log.h"
#include "util/time.h"

namespace jaga {

namespace {

using sqlite::Connection;
using sqlite::ReadTransaction;
using sqlite::Statement;

#define TRY(expr)                     \
  do {                                \
    auto status_ = (expr);            \
    if (!status_) return status_.error(); \
  } while (0)

#define TRY_PREPARE(name, conn, sql)  \
  auto name##_result = (conn).prepare(sql); \
  if (!name##_result) return name##_result.error(); \
  Statement& name = *name##_result

struct WriteJob {
  std::function<Status(Connection&)> work;
  std::function<void(Status)> done;
  std::optional<AuditEvent> audit;  // appended in the job's savepoint when the work succeeds
};

class ReadPool {
 public:
  void add(std::unique_ptr<Connection> c) { free_.push_back(std::move(c)); }

  class Lease {
   public:
    Lease(ReadPool& pool, std::unique_ptr<Connection> c) : pool_(pool), connection_(std::move(c)) {}
    ~Lease() { pool_.give_back(std::move(connection_)); }
    Connection& operator*() { return *connection_; }

   private:
    ReadPool& pool_;
    std::unique_ptr<Connection> connection_;
  };

  Lease lease() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !free_.empty(); });
    auto c = std::move(free_.back());
    free_.pop_back();
    return Lease(*this, std::move(c));
  }

  void clear() {
    std::lock_guard lock(mutex_);
    free_.clear();
  }

 private:
  void give_back(std::unique_ptr<Connection> c) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(std::move(c));
    }
    available_.notify_one();
  }
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> free_;  // GUARDED_BY(mutex_)
};

Attachment read_attachment(Statement& s, int first) {
  Attachment a;
  a.id = s.integer(first);
  a.sha256 = s.text(first + 1);
  a.filename = s.text(first + 2);
  a.media_type = s.text(first + 3);
  a.size = s.integer(first + 4);
  a.created_at = s.text(first + 5);
  return a;
}

User read_user(Statement& s) {
  User u;
  u.id = s.integer(0);
  u.username = s.text(1);
  u.password_hash = s.text(2);
  u.role = parse_role(s.text(3)).value_or(Role::operator_);
  u.must_change_password = s.integer(4) != 0;
  u.failed_sign_ins = static_cast<int>(s.integer(5));
  u.locked_until = s.text(6);
  u.created_at = s.text(7);
  return u;
}

constexpr const char* user_columns_sql =
    "SELECT id, username, password_hash, role, must_change_password, failed_sign_ins, "
    "coalesce(locked_until, ''), created_at FROM users ";

Status link_indicators(Connection& db, int64_t report_id, const std::vector<Indicator>& indicators,
                       const std::string& now) {
  for (const auto& indicator : indicators) {
    TRY_PREPARE(upsert, db,
                "INSERT INTO indicators(type, value, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3) "
                "ON CONFLICT(type, value) DO UPDATE SET last_seen = excluded.last_seen RETURNING id");
    upsert.bind(1, indicator.type).bind(2, indicator.value).bind(3, now);
    auto row = upsert.step();
    if (!row) return row.error();
    int64_t indicator_id = upsert.integer(0);
    TRY(upsert.run());
    TRY_PREPARE(link, db,
                "INSERT INTO report_indicators(report_id, indicator_id, source) VALUES (?1, ?2, ?3) "
                "ON CONFLICT DO NOTHING");
    link.bind(1, report_id).bind(2, indicator_id).bind(3, indicator.source);
    TRY(link.run());
  }
  return {};
}

Status insert_attachments(Connection& db, int64_t report_id, std::optional<int64_t> addition_id,
                          const std::vector<Attachment>& attachments) {
  for (const auto& a : attachments) {
    TRY_PREPARE(insert, db,
                "INSERT INTO attachments(report_id, addition_id, sha256, filename, media_type, size, "
                "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    insert.bind(1, report_id).bind_optional(2, addition_id).bind(3, a.sha256).bind(4, a.filename);
    insert.bind(5, a.media_type).bind(6, a.size).bind(7, a.created_at);
    TRY(insert.run());
  }
  return {};
}

Result<int64_t> report_id_of(Connection& db, const std::string& tracking_code) {
  auto stmt = db.prepare("SELECT id FROM reports WHERE tracking_code = ?1");
  if (!stmt) return stmt.error();
  stmt->bind(1, tracking_code);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("no report with this tracking code");
  return stmt->integer(0);
}

// Appends one entry to the audit log, chained to the last one. Runs on the
// writer connection inside the transaction of the change it records, so the
// chain sees earlier entries of the same batch.
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
  TRY_PREPARE(insert, db,
              "INSERT INTO audit_log(id, at, actor_id, actor, action, target_type, target, details, "
              "remote_address, previous_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  insert.bind(1, entry.id).bind(2, entry.at).bind_optional(3, event.actor_id).bind(4, event.actor);
  insert.bind(5, event.action).bind(6, event.target_type).bind(7, event.target).bind(8, event.details);
  insert.bind(9, event.remote_address).bind(10, entry.previous_hash).bind(11, entry.hash);
  return insert.run();
}

constexpr const char* audit_columns_sql =
    "SELECT id, at, actor_id, actor, action, target_type, target, details, remote_address, previous_hash, hash "
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

constexpr const char* token_columns_sql =
    "SELECT t.id, t.user_id, u.username, t.name, t.token_hash, t.role, t.created_at, "
    "coalesce(t.last_used_at, ''), coalesce(t.revoked_at, '') FROM api_tokens t JOIN users u ON u.id = t.user_id ";

ApiToken read_token(Statement& q) {
  ApiToken t;
  t.id = q.integer(0);
  t.user_id = q.integer(1);
  t.username = q.text(2);
  t.name = q.text(3);
  t.token_hash = q.text(4);
  t.role = parse_role(q.text(5)).value_or(Role::operator_);
  t.created_at = q.text(6);
  t.last_used_at = q.text(7);
  t.revoked_at = q.text(8);
  return t;
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, StoreOptions options) : path_(std::move(path)), options_(options) {}

  ~SqliteStore() override { close(); }

  Status open() {
    auto writer = Connection::open(path_, false);
    if (!writer) return writer.error();
    writer_connection_ = std::move(*writer);
    if (auto st = migrate(*writer_connection_); !st) return st;
    for (size_t i = 0; i < options_.read_connections; ++i) {
      auto reader = Connection::open(path_, true);
      if (!reader) return reader.error();
      readers_.add(std::move(*reader));
    }
    writer_thread_ = std::thread([this] { write_loop(); });
    return {};
  }

  static Status migrate(Connection& db) {
    TRY(db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
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
        TRY_PREPARE(record, db,
                    "INSERT INTO schema_migrations(version, description, applied_at) VALUES (?1, ?2, ?3)");
        record.bind(1, static_cast<int64_t>(m.version)).bind(2, m.description).bind(3, now_rfc3339());
        applied = record.run();
      }
      if (!applied) {
        (void)db.exec("ROLLBACK");
        return Error::internal("migration " + std::to_string(m.version) + " failed: " + applied.error().message);
      }
      TRY(db.exec("COMMIT"));
      log::info("applied migration", {{"version", m.version}, {"description", m.description}});
    }
    return {};
  }

  Status ping() override {
    auto lease = readers_.lease();
    return (*lease).exec("SELECT 1");
  }

  int schema_version() override {
    auto lease = readers_.lease();
    auto q = (*lease).prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!q || !q->step().ok()) return 0;
    return static_cast<int>(q->integer(0));
  }

  // ---- writes ----

  void submit(std::function<Status(Connection&)> work, std::function<void(Status)> done,
              std::optional<AuditEvent> audit = std::nullopt) {
    {
      std::lock_guard lock(queue_mutex_);
      if (closing_ || queue_.size() >= options_.write_queue_capacity) {
        Error e = Error::unavailable(closing_ ? "the store is shutting down" : "the write queue is full");
        done(e);
        return;
      }
      queue_.push_back({std::move(work), std::move(done), std::move(audit)});
    }
    queue_ready_.notify_one();
  }

  template <class T>
  void submit_value(std::function<Result<T>(Connection&)> work, Callback<T> done,
                    std::optional<AuditEvent> audit = std::nullopt) {
    auto value = std::make_shared<std::optional<T>>();
    submit(
        [value, work = std::move(work)](Connection& db) -> Status {
          auto r = work(db);
          if (!r) return r.error();
          *value = std::move(*r);
          return {};
        },
        [value, done = std::move(done)](Status st) {
          if (!st) done(st.error());
          else done(std::move(**value));
        },
        std::move(audit));
  }

  void write_loop() {
    std::vector<WriteJob> batch;
    while (true) {
      {
        std::unique_lock lock(queue_mutex_);
        queue_ready_.wait(lock, [&] { return !queue_.empty() || closing_; });
        if (queue_.empty() && closing_) return;
        while (!queue_.empty() && batch.size() < options_.max_batch) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      run_batch(batch);
      batch.clear();
    }
  }

  void run_batch(std::vector<WriteJob>& batch) {
    Connection& db = *writer_connection_;
    std::vector<Status> results(batch.size());
    auto begun = db.exec("BEGIN IMMEDIATE");
    if (!begun) {
      for (auto& job : batch) job.done(begun.error());
      return;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      (void)db.exec("SAVEPOINT job");
      results[i] = batch[i].work(db);
      if (results[i] && batch[i].audit) results[i] = append_audit_row(db, *batch[i].audit);
      if (!results[i]) (void)db.exec("ROLLBACK TO job");
      (void)db.exec("RELEASE job");
    }
    auto committed = db.exec("COMMIT");
    if (!committed) {
      (void)db.exec("ROLLBACK");
      log::error("commit failed", {{"error", committed.error().message}});
      for (auto& job : batch) job.done(Error::unavailable("the database could not commit"));
      return;
    }
    for (size_t i = 0; i < batch.size(); ++i) batch[i].done(results[i]);
  }

  void close() override {
    {
      std::lock_guard lock(queue_mutex_);
      if (closing_ && !writer_thread_.joinable()) return;
      closing_ = true;
    }
    queue_ready_.notify_all();
    if (writer_thread_.joinable()) writer_thread_.join();
    readers_.clear();
    writer_connection_.reset();
  }

  void create_report(NewReport report, std::optional<AuditEvent> audit, Callback<int64_t> done) override {
    submit_value<int64_t>(
        [report = std::move(report)](Connection& db) -> Result<int64_t> {
          const auto& in = report.input;
          TRY_PREPARE(insert, db,
                      "INSERT INTO reports(tracking_code, secret_hash, category, description, occurred_at, "
                      "involved, language, channel, status, consent, operator_id, created_at, updated_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'received', ?9, ?10, ?11, ?11)");
          insert.bind(1, report.tracking_code).bind(2, report.secret_hash).bind(3, in.category);
          insert.bind(4, in.description);
          if (in.occurred_at.empty()) insert.bind(5, std::nullopt);
          else insert.bind(5, in.occurred_at);
          insert.bind(6, in.involved).bind(7, in.language).bind(8, to_string(in.channel));
          insert.bind(9, static_cast<int64_t>(in.consent)).bind_optional(10, report.operator_id);
          insert.bind(11, report.created_at);
          TRY(insert.run());
          int64_t id = db.last_insert_id();
          TRY_PREPARE(contact, db,
                      "INSERT INTO reporter_contacts(report_id, anonymous, name, email, phone) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)");
          contact.bind(1, id).bind(2, static_cast<int64_t>(in.anonymous)).bind(3, in.contact.name);
          contact.bind(4, in.contact.email).bind(5, in.contact.phone);
          TRY(contact.run());
          TRY(insert_attachments(db, id, std::nullopt, report.attachments));
          TRY(link_indicators(db, id, report.indicators, report.created_at));
          return id;
        },
        std::move(done), std::move(audit));
  }

  void add_addition(std::string tracking_code, Addition addition, std::vector<Indicator> indicators,
                    Callback<int64_t> done) override {
    submit_value<int64_t>(
        [code = std::move(tracking_code), addition = std::move(addition),
         indicators = std::move(indicators)](Connection& db) -> Result<int64_t> {
          auto report_id = report_id_of(db, code);
          if (!report_id) return report_id.error();
          TRY_PREPARE(insert, db,
                      "INSERT INTO report_additions(report_id, text, created_at) VALUES (?1, ?2, ?3)");
          insert.bind(1, *report_id).bind(2, addition.text).bind(3, addition.created_at);
          TRY(insert.run());
          int64_t id = db.last_insert_id();
          TRY(insert_attachments(db, *report_id, id, addition.attachments));
          TRY(link_indicators(db, *report_id, indicators, addition.created_at));
          TRY_PREPARE(touch, db, "UPDATE reports SET updated_at = ?2 WHERE id = ?1");
          touch.bind(1, *report_id).bind(2, addition.created_at);
          TRY(touch.run());
          return id;
        },
        std::move(done));
  }

  void add_public_note(std::string tracking_code, std::string text, std::optional<ReportStatus> new_status,
                       int64_t author_id, AuditEvent audit, Callback<int64_t> done) override {
    submit_value<int64_t>(
        [code = std::move(tracking_code), text = std::move(text), new_status,
         author_id](Connection& db) -> Result<int64_t> {
          auto report_id = report_id_of(db, code);
          if (!report_id) return report_id.error();
          std::string now = now_rfc3339();
          int64_t id = 0;
          if (!text.empty()) {
            TRY_PREPARE(insert, db,
                        "INSERT INTO public_notes(report_id, text, author_id, created_at) VALUES (?1, ?2, ?3, ?4)");
            insert.bind(1, *report_id).bind(2, text).bind(3, author_id).bind(4, now);
            TRY(insert.run());
            id = db.last_insert_id();
          }
          TRY_PREPARE(update, db,
                      "UPDATE reports SET updated_at = ?2, status = coalesce(?3, status) WHERE id = ?1");
          update.bind(1, *report_id).bind(2, now);
          if (new_status) update.bind(3, to_string(*new_status));
          else update.bind(3, std::nullopt);
          TRY(update.run());
          return id;
        },
        std::move(done), std::move(audit));
  }

  // ---- reads ----

  Result<Report> find_report(const std::string& tracking_code) override {
    auto lease = readers_.lease();
    Connection& db = *lease;
    ReadTransaction snapshot(db);
    Report r;
    {
      TRY_PREPARE(q, db,
                  "SELECT r.id, r.tracking_code, r.secret_hash, r.category, r.description, "
                  "coalesce(r.occurred_at, ''), r.involved, r.language, r.channel, r.status, r.consent, "
                  "r.operator_id, coalesce(u.username, ''), r.created_at, r.updated_at, c.anonymous, "
                  "coalesce(c.name, ''), coalesce(c.email, ''), coalesce(c.phone, '') "
                  "FROM reports r LEFT JOIN reporter_contacts c ON c.report_id = r.id "
                  "LEFT JOIN users u ON u.id = r.operator_id WHERE r.tracking_code = ?1");
      q.bind(1, tracking_code);
      auto row = q.step();
      if (!row) return row.error();
      if (!*row) return Error::not_found("no report with this tracking code");
      r.id = q.integer(0);
      r.tracking_code = q.text(1);
      r.secret_hash = q.text(2);
      r.input.category = q.text(3);
      r.input.description = q.text(4);
      r.input.occurred_at = q.text(5);
      r.input.involved = q.text(6);
      r.input.language = q.text(7);
      r.input.channel = parse_channel(q.text(8)).value_or(Channel::web);
      r.status = parse_report_status(q.text(9)).value_or(ReportStatus::received);
      r.input.consent = q.integer(10) != 0;
      if (!q.is_null(11)) r.operator_id = q.integer(11);
      r.operator_name = q.text(12);
      r.created_at = q.text(13);
      r.updated_at = q.text(14);
      r.input.anonymous = q.is_null(15) || q.integer(15) != 0;
      r.input.contact = {q.text(16), q.text(17), q.text(18)};
    }
    std::vector<std::pair<int64_t, Attachment>> attachments;
    {
      TRY_PREPARE(q, db,
                  "SELECT id, sha256, filename, media_type, size, created_at, coalesce(addition_id, 0) "
                  "FROM attachments WHERE report_id = ?1 ORDER BY id");
      q.bind(1, r.id);
      TRY(q.for_each_row([&](Statement& q) {
        attachments.emplace_back(q.integer(6), read_attachment(q, 0));
      }));
    }
    for (auto& [addition_id, a] : attachments)
      if (addition_id == 0) r.attachments.push_back(a);
    {
      TRY_PREPARE(q, db, "SELECT id, text, created_at FROM report_additions WHERE report_id = ?1 ORDER BY id");
      q.bind(1, r.id);
      TRY(q.for_each_row([&](Statement& q) {
        Addition a{q.integer(0), q.text(1), q.text(2), {}};
        for (auto& [addition_id, att] : attachments)
          if (addition_id == a.id) a.attachments.push_back(att);
        r.additions.push_back(std::move(a));
      }));
    }
    {
      TRY_PREPARE(q, db,
                  "SELECT i.type, i.value, ri.source FROM report_indicators ri "
                  "JOIN indicators i ON i.id = ri.indicator_id WHERE ri.report_id = ?1 ORDER BY ri.indicator_id");
      q.bind(1, r.id);
      TRY(q.for_each_row([&](Statement& q) {
        r.indicators.push_back({q.text(0), q.text(1), q.text(2)});
      }));
    }
    {
      TRY_PREPARE(q, db, "SELECT id, text, created_at FROM public_notes WHERE report_id = ?1 ORDER BY id");
      q.bind(1, r.id);
      TRY(q.for_each_row([&](Statement& q) {
        r.notes.push_back({q.integer(0), q.text(1), q.text(2)});
      }));
    }
    return r;
  }

  Result<std::vector<std::string>> find_related_reports(int64_t report_id, int limit) override {
    auto lease = readers_.lease();
    TRY_PREPARE(q, *lease,
                "SELECT DISTINCT other.tracking_code, other.created_at FROM report_indicators mine "
                "JOIN indicators i ON i.id = mine.indicator_id AND i.type IN ('url', 'domain') "
                "JOIN report_indicators theirs ON theirs.indicator_id = mine.indicator_id "
                "AND theirs.report_id <> mine.report_id "
                "JOIN reports other ON other.id = theirs.report_id "
                "WHERE mine.report_id = ?1 ORDER BY other.created_at DESC LIMIT ?2");
    q.bind(1, report_id).bind(2, static_cast<int64_t>(limit));
    std::vector<std::string> codes;
    TRY(q.for_each_row([&](Statement& q) { codes.push_back(q.text(0)); }));
    return codes;
  }

  Result<std::vector<ReportSummary>> list_reports(const ReportFilter& f) override {
    auto lease = readers_.lease();
    Connection& db = *lease;
    // One statement with optional filters: a NULL parameter switches its filter off.
    TRY_PREPARE(q, db,
                "SELECT r.tracking_code, r.category, r.channel, r.status, r.created_at, "
                "substr(r.description, 1, 160), (SELECT count(*) FROM attachments a WHERE a.report_id = r.id) "
                "FROM reports r WHERE (?1 IS NULL OR r.channel = ?1) "
                "AND (?2 IS NULL OR r.category = ?2 OR r.category LIKE ?2 || ':%') "
                "AND (?3 IS NULL OR r.created_at >= ?3) AND (?4 IS NULL OR r.created_at < ?4) "
                "ORDER BY r.created_at DESC, r.id DESC LIMIT ?5 OFFSET ?6");
    if (f.channel) q.bind(1, to_string(*f.channel));
    else q.bind(1, std::nullopt);
    if (!f.category.empty()) q.bind(2, f.category);
    else q.bind(2, std::nullopt);
    if (!f.from.empty()) q.bind(3, f.from);
    else q.bind(3, std::nullopt);
    if (!f.to.empty()) q.bind(4, f.to);
    else q.bind(4, std::nullopt);
    q.bind(5, static_cast<int64_t>(f.limit)).bind(6, static_cast<int64_t>(f.offset));
    std::vector<ReportSummary> out;
    TRY(q.for_each_row([&](Statement& q) {
      ReportSummary s;
      s.tracking_code = q.text(0);
      s.category = q.text(1);
      s.channel = parse_channel(q.text(2)).value_or(Channel::web);
      s.status = parse_report_status(q.text(3)).value_or(ReportStatus::received);
      s.created_at = q.text(4);
      s.description_excerpt = q.text(5);
      s.attachment_count = static_cast<int>(q.integer(6));
      out.push_back(std::move(s));
    }));
    return out;
  }

  Result<int64_t> count_reports() override { return count("SELECT count(*) FROM reports"); }
  Result<int64_t> count_users() override { return count("SELECT count(*) FROM users"); }

  Result<int64_t> count(const char* sql) {
    auto lease = readers_.lease();
    TRY_PREPARE(q, *lease, sql);
    auto row = q.step();
    if (!row) return row.error();
    return q.integer(0);
  }

  Result<Attachment> find_attachment(int64_t id) override {
    auto lease = readers_.lease();
    TRY_PREPARE(q, *lease,
                "SELECT id, sha256, filename, media_type, size, created_at FROM attachments WHERE id = ?1");
    q.bind(1, id);
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return Error::not_found("no attachment with this id");
    return read_attachment(q, 0);
  }

  void create_user(User user, AuditEvent audit, Callback<int64_t> done) override {
    submit_value<int64_t>(
        [user = std::move(user)](Connection& db) -> Result<int64_t> {
          TRY_PREPARE(insert, db,
                      "INSERT INTO users(username, password_hash, role, must_change_password, created_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)");
          insert.bind(1, user.username).bind(2, user.password_hash).bind(3, to_string(user.role));
          insert.bind(4, static_cast<int64_t>(user.must_change_password)).bind(5, now_rfc3339());
          auto st = insert.run();
          if (!st) {
            if (st.error().kind == ErrorKind::conflict)
              return Error::conflict("a user named '" + user.username + "' already exists");
            return st.error();
          }
          return db.last_insert_id();
        },
        std::move(done), std::move(audit));
  }

  void set_password(std::string username, std::string hash, bool must_change, AuditEvent audit,
                    Callback<bool> done) override {
    submit_value<bool>(
        [username = std::move(username), hash = std::move(hash), must_change](Connection& db) -> Result<bool> {
          TRY_PREPARE(update, db,
                      "UPDATE users SET password_hash = ?2, must_change_password = ?3, failed_sign_ins = 0, "
                      "locked_until = NULL WHERE username = ?1");
          update.bind(1, username).bind(2, hash).bind(3, static_cast<int64_t>(must_change));
          TRY(update.run());
          if (db.changes() == 0) return Error::not_found("no user named '" + username + "'");
          TRY_PREPARE(sessions, db,
                      "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?1)");
          sessions.bind(1, username);
          TRY(sessions.run());
          return true;
        },
        std::move(done), std::move(audit));
  }

  void record_sign_in(int64_t user_id, bool success, std::string locked_until, AuditEvent audit,
                      Callback<bool> done) override {
    submit_value<bool>(
        [user_id, success, locked_until = std::move(locked_until)](Connection& db) -> Result<bool> {
          if (success) {
            TRY_PREPARE(q, db, "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?1");
            q.bind(1, user_id);
            TRY(q.run());
          } else {
            TRY_PREPARE(q, db,
                        "UPDATE users SET failed_sign_ins = failed_sign_ins + 1, "
                        "locked_until = coalesce(?2, locked_until) WHERE id = ?1");
            q.bind(1, user_id);
            if (locked_until.empty()) q.bind(2, std::nullopt);
            else q.bind(2, locked_until);
            TRY(q.run());
          }
          return true;
        },
        std::move(done), std::move(audit));
  }

  Result<User> find_user(const std::string& username) override {
    static const std::string sql = std::string(user_columns_sql) + "WHERE username = ?1";
    return find_one_user(sql.c_str(), [&](Statement& q) { q.bind(1, username); });
  }

  Result<User> find_user_by_id(int64_t id) override {
    static const std::string sql = std::string(user_columns_sql) + "WHERE id = ?1";
    return find_one_user(sql.c_str(), [&](Statement& q) { q.bind(1, id); });
  }

  template <class Bind>
  Result<User> find_one_user(const char* sql, Bind bind) {
    auto lease = readers_.lease();
    TRY_PREPARE(q, *lease, sql);
    bind(q);
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return Error::not_found("no such user");
    return read_user(q);
  }

  Result<std::vector<User>> list_users() override {
    static const std::string sql = std::string(user_columns_sql) + "ORDER BY username";
    auto lease = readers_.lease();
    TRY_PREPARE(q, *lease, sql.c_str());
    std::vector<User> users;
    TRY(q.for_each_row([&](Statement& q) {
      users.push_back(read_user(q));
    }));
    return users;
  }

  void create_session(Session session, Callback<bool> done) override {
    submit_value<bool>(
        [session = std::move(session)](Connection& db) -> Result<bool> {
          TRY_PREPARE(q, db,
                      "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, expires_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)");
          q.bind(1, session.token_hash).bind(2, session.user_id).bind(3, session.csrf_token);
          q.bind(4, session.created_at).bind(5, session.expires_at);
          TRY(q.run());
          TRY_PREPARE(expired, db, "DELETE FROM sessions WHERE expires_at < ?1");
          expired.bind(1, session.created_at);
          TRY(expired.run());
          return true;
        },
        std::move(done));
  }

  void delete_session(std::string token_hash, AuditEvent audit, Callback<bool> done) override {
    submit_value<bool>(
        [token_hash = std::move(token_hash)](Connection& db) -> Result<bool> {
          TRY_PREPARE(q, db, "DELETE FROM sessions WHERE token_hash = ?1");
          q.bind(1, token_hash);
          TRY(q.run());
          return true;
        },
        std::move(done), std::move(audit));
  }

  // ---- API tokens ----

  void create_token(ApiToken token, AuditEvent audit, Callback<int64_t> done) override {
    submit_value<int64_t>(
        [token = std::move(token)](Connection& db) -> Result<int64_t> {
          TRY_PREPARE(insert, db,
                      "INSERT INTO api_tokens(user_id, name, token_hash, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
          insert.bind(1, token.user_id).bind(2, token.name).bind(3, token.token_hash);
          insert.bind(4, to_string(token.role)).bind(5, token.created_at);
          TRY(insert.run());
          return db.last_insert_id();
        },
        std::move(done), std::move(audit));
  }

  void revoke_token(int64_t id, AuditEvent audit, Callback<bool> done) override {
    submit_value<bool>(
        [id](Connection& db) -> Result<bool> {
          TRY_PREPARE(update, db, "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
          update.bind(1, id).bind(2, now_rfc3339());
          TRY(update.run());
          if (db.changes() == 0) return Error::not_found("no valid token with id " + std::to_string(id));
          return true;
        },
        std::move(done), std::move(audit));
  }

  void touch_token(int64_t id) override {
    auto now = Clock::now();
    submit(
        [id, used_at = format_rfc3339(now), minute_ago = format_rfc3339(now - std::chrono::minutes(1))](
            Connection& db) -> Status {
          TRY_PREPARE(update, db,
                      "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1 "
                      "AND (last_used_at IS NULL OR last_used_at < ?3)");
          update.bind(1, id).bind(2, used_at).bind(3, minute_ago);
          return update.run();
        },
        [](Status) {});
  }

  Result<ApiToken> find_token(const std::string& token_hash) override {
    static const std::string sql = std::string(token_columns_sql) + "WHERE t.token_hash = ?1";
    auto lease = readers_.lease();
    TRY_PREPARE(q, *lease, sql.c_str());
    q.bind(1, token_hash);
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return Error::unauthenticated("unknown token");
    return read_token(q);
  }

  Result<std::vector<ApiToken>> list_tokens() override {
    static const std::string sql = std::string(token_columns_sql) + "ORDER BY t.id";
    auto lease = readers_.lease();
    TRY_PREPARE(q, *lease, sql.c_str());
    std::vector<ApiToken> out;
    TRY(q.for_each_row([&](Statement& q) { out.push_back(read_token(q)); }));
    return out;
  }

  // ---- audit log ----

  void append_audit(AuditEvent event, Callback<int64_t> done) override {
    submit_value<int64_t>(
        [event = std::move(event)](Connection& db) -> Result<int64_t> {
          TRY(append_audit_row(db, event));
          return db.last_insert_id();
        },
        std::move(done));
  }

  Result<std::vector<AuditEntry>> list_audit(const AuditFilter& f) override {
    static const std::string sql = std::string(audit_columns_sql) +
                                   "WHERE (?1 IS NULL OR actor = ?1) "
                                   "AND (?2 IS NULL OR action = ?2 OR (substr(?2, -1) = '.' AND substr(action, 1, length(?2)) = ?2)) "
                                   "AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4) "
                                   "ORDER BY id DESC LIMIT ?5 OFFSET ?6";
    auto lease = readers_.lease();
    TRY_PREPARE(q, *lease, sql.c_str());
    auto bind_text = [&](int index, const std::string& value) {
      if (value.empty()) q.bind(index, std::nullopt);
      else q.bind(index, value);
    };
    bind_text(1, f.actor);
    bind_text(2, f.action);
    bind_text(3, f.from);
    bind_text(4, f.to);
    q.bind(5, static_cast<int64_t>(f.limit)).bind(6, static_cast<int64_t>(f.offset));
    std::vector<AuditEntry> out;
    TRY(q.for_each_row([&](Statement& q) { out.push_back(read_audit_entry(q)); }));
    return out;
  }

  Result<AuditCheck> verify_audit_log() override {
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

  Result<Session> find_session(const std::string& token_hash) override {
    auto lease = readers_.lease();
    TRY_PREPARE(q, *lease,
                "SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM sessions "
                "WHERE token_hash = ?1");
    q.bind(1, token_hash);
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return Error::unauthenticated("not signed in");
    return Session{q.text(0), q.integer(1), q.text(2), q.text(3), q.text(4)};
  }

 private:
  std::string path_;
  StoreOptions options_;
  std::unique_ptr<Connection> writer_connection_;  // used only by writer_thread_ after open()
  ReadPool readers_;
  std::thread writer_thread_;
  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<WriteJob> queue_;  // GUARDED_BY(queue_mutex_)
  bool closing_ = false;        // GUARDED_BY(queue_mutex_)
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const StoreOptions& options) {
  if (sqlite3_threadsafe() == 0) return Error::internal("SQLite was built without thread support");
  auto store = std::make_unique<SqliteStore>(path, options);
  if (auto st = store->open(); !st) return st.error();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace jaga
