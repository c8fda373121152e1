// Internal to the SQLite backend: the SqliteStore class. Its members are
// defined by topic: sqlite_store.cpp (opening, migrations, the writer thread
// and group commit), reports.cpp, users.cpp (users, sessions, API tokens) and
// audit.cpp.
//
// Threads: one writer thread owns the write connection and drains the queue of
// write jobs, many per transaction (group commit): BEGIN IMMEDIATE, each job in
// its own SAVEPOINT so one failing job does not undo the others, COMMIT, and
// only then the callbacks. A bulk job (a partner's envelopes, an indicator
// feed) runs in a transaction of its own without a savepoint: a savepoint
// keeps a copy of every page its job changes, which for a bulk job is most
// of an index, and a job alone is undone by rolling the transaction back.
// Readers borrow one of a few read-only connections; WAL lets them run
// beside the writer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/store.h"

namespace jaga::sqlite {

#define TRY(expr)                         \
  do {                                    \
    auto status_ = (expr);                \
    if (!status_) return status_.error(); \
  } while (0)

#define TRY_PREPARE(name, conn, sql)                \
  auto name##_result = (conn).prepare(sql);         \
  if (!name##_result) return name##_result.error(); \
  Statement& name = *name##_result

// Whether a write job shares its transaction with others (see the top).
enum class Batching { shared, alone };

struct WriteJob {
  std::function<Status(Connection&)> work;
  std::function<void(Status)> done;
  std::optional<AuditEvent> audit;  // appended in the job's savepoint when the work succeeds
  Batching batching = Batching::shared;
};

// Connections (or connections with state) lent to one reader at a time.
template <class Item>
class Pool {
 public:
  void add(std::unique_ptr<Item> item) { free_.push_back(std::move(item)); }

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Item> item) : pool_(pool), item_(std::move(item)) {}
    ~Lease() { pool_.give_back(std::move(item_)); }
    Item& operator*() { return *item_; }

   private:
    Pool& pool_;
    std::unique_ptr<Item> item_;
  };

  Lease lease() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !free_.empty(); });
    auto item = std::move(free_.back());
    free_.pop_back();
    return Lease(*this, std::move(item));
  }

  void clear() {
    std::lock_guard lock(mutex_);
    free_.clear();
  }

 private:
  void give_back(std::unique_ptr<Item> item) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(std::move(item));
    }
    available_.notify_one();
  }
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Item>> free_;  // GUARDED_BY(mutex_)
};
using ReadPool = Pool<Connection>;

// A reader of shared objects that keeps its read transaction between
// listings. SQLite drops a connection's page cache whenever a read
// transaction begins after any commit, and a partner's every page is a
// commit (to the transfer log): without this, each listing read its pages
// again. The snapshot is renewed once shared objects were written (so a
// write is seen by the next read; another process's write is seen
// within kSnapshotAge, when the snapshot is renewed anyway).
struct SnapshotReader {
  static constexpr auto kSnapshotAge = std::chrono::seconds(5);
  std::unique_ptr<Connection> connection;
  bool open = false;
  uint64_t generation = 0;  // of the shared objects when the snapshot began
  std::chrono::steady_clock::time_point begun{};
  // The connection, in a read transaction no older than what `generation` says.
  Result<Connection*> current(uint64_t objects_generation);
};


User read_user(Statement& s);
// Search indexing. A write only queues what changed (queue_search, kind
// "report" or "incident"); the writer indexes the queue in whole-set
// statements after the jobs of a transaction and before COMMIT
// (flush_search_queue), because indexing row by row inside each job made
// filing a report more than twice as slow.
Status queue_search(Connection& db, std::string_view kind, int64_t id);
Status flush_search_queue(Connection& db);
// A user's words as one FTS5 phrase (quotes doubled), so that no input is
// read as query syntax.
std::string search_phrase(std::string_view text);
Result<int64_t> report_id_of(Connection& db, const std::string& tracking_code);
Result<int64_t> incident_id_of(Connection& db, const std::string& reference);
// A new incident with its "created" event, queued for search; answers its
// id and reference. created_by 0 is the desk's own software (incidents.cpp).
Result<std::pair<int64_t, std::string>> insert_incident(Connection& db, const NewIncident& incident);
// A timeline event (incidents.cpp).
Status add_event(Connection& db, int64_t incident_id, const std::string& at, std::optional<int64_t> actor_id,
                 std::string_view kind, bool is_public, const std::string& text, const std::string& details);
// A public note to the reporter (when text is given) and/or a new status of
// the report; answers the note's id, or 0 (reports.cpp).
Result<int64_t> note_report(Connection& db, int64_t report_id, const std::string& text,
                            std::optional<ReportStatus> new_status, std::optional<int64_t> author_id,
                            const std::string& now);
// Who a notification goes to (outbox.cpp): the affected organisations'
// contacts, the reporters of the linked reports who gave an address, or
// only some of them (the newly affected organisation, the newly linked report).
struct NotificationScope {
  NotificationEvent event = NotificationEvent::incident_opened;
  bool organisations = true;
  std::optional<std::vector<int64_t>> only_organisations;
  bool reporters = true;
  std::optional<std::vector<int64_t>> only_reports;
  std::optional<IncidentStatus> new_status;  // for status_changed
  std::string note;                          // for public_note
  std::optional<int64_t> actor_id;           // whose action it follows, for the timeline
};
// Composes and queues one message per recipient; answers how many.
Result<int> queue_notifications(Connection& db, const NotificationOptions& options, int64_t incident_id,
                                const NotificationScope& scope, const std::string& now);
// Tells readers of the indicators (the lookup matcher) that they changed (indicators.cpp).
Status bump_indicator_generation(Connection& db);
// The writes of import_indicators, inside a transaction the caller holds.
Result<IndicatorImportCounts> write_indicator_import(Connection& db, const IndicatorImport& batch,
                                                     const std::function<void(int64_t)>& progress);
// The same for several runs of indicators from one source, as one import.
Result<IndicatorImportCounts> write_indicator_import(Connection& db, IndicatorSourceKind source_kind,
                                                     const std::string& source_name,
                                                     const std::vector<const std::vector<IndicatorInput>*>& runs,
                                                     const std::function<void(int64_t)>& progress);
// Appends one entry to the audit log, chained to the last one (audit.cpp).
Status append_audit_row(Connection& db, const AuditEvent& event);

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, StoreOptions options) : path_(std::move(path)), options_(options) {}

  ~SqliteStore() override { close(); }

  Status open();
  static Status migrate(Connection& db);
  Status ping() override;
  int schema_version() override;
  void submit(std::function<Status(Connection&)> work, std::function<void(Status)> done,
              std::optional<AuditEvent> audit = std::nullopt, Batching batching = Batching::shared);
  template <class T>
  void submit_value(std::function<Result<T>(Connection&)> work, Callback<T> done,
                    std::optional<AuditEvent> audit = std::nullopt, Batching batching = Batching::shared) {
    auto value = std::make_shared<std::optional<T>>();
    submit(
        [value, work = std::move(work)](Connection& db) -> Status {
          auto r = work(db);
          if (!r) return r.error();
          *value = std::move(*r);
          return {};
        },
        [value, done = std::move(done)](Status st) {
          if (!st)
            done(st.error());
          else
            done(std::move(**value));
        },
        std::move(audit), batching);
  }

  void write_loop();
  void run_batch(std::vector<WriteJob>& batch);
  void close() override;
  void create_report(NewReport report, std::optional<AuditEvent> audit,
                     Callback<int64_t> done) override;
  void add_addition(std::string tracking_code, Addition addition, std::vector<Indicator> indicators,
                    Callback<int64_t> done) override;
  void add_public_note(std::string tracking_code, std::string text,
                       std::optional<ReportStatus> new_status, int64_t author_id, AuditEvent audit,
                       Callback<int64_t> done) override;
  Result<Report> find_report(const std::string& tracking_code) override;
  Result<std::vector<std::string>> find_related_reports(int64_t report_id, int limit) override;
  Result<std::vector<ReportSummary>> list_reports(const ReportFilter& f) override;
  Result<int64_t> count_reports() override { return count("SELECT count(*) FROM reports"); }

  Result<int64_t> count_users() override { return count("SELECT count(*) FROM users"); }

  Result<int64_t> count(const char* sql);
  Result<Attachment> find_attachment(int64_t id) override;
  void triage_reports(std::vector<std::string> tracking_codes, ReportStatus status, std::string note,
                      int64_t author_id, AuditEvent audit, Callback<int> done) override;
  void create_incident(NewIncident incident, AuditEvent audit, Callback<std::string> done) override;
  void update_incident(std::string reference, IncidentChange change, int64_t actor_id, AuditEvent audit,
                       Callback<bool> done) override;
  void comment_incident(std::string reference, std::string text, bool public_note, int64_t actor_id,
                        AuditEvent audit, Callback<int64_t> done) override;
  void link_reports(std::string reference, std::vector<std::string> tracking_codes, int64_t actor_id,
                    AuditEvent audit, Callback<int> done) override;
  Result<Incident> find_incident(const std::string& reference) override;
  Result<std::vector<IncidentSummary>> list_incidents(const IncidentFilter& filter) override;
  Result<IncidentStats> incident_stats(const std::string& since, const std::string& now) override;

  void set_incident_organisations(std::string reference, std::string source,
                                  std::vector<IncidentOrganisation> organisations, int64_t actor_id,
                                  std::optional<AuditEvent> audit, Callback<bool> done) override;
  void save_organisation(Organisation organisation, AuditEvent audit, Callback<int64_t> done) override;
  void delete_organisation(int64_t id, AuditEvent audit, Callback<bool> done) override;
  void import_organisations(std::vector<Organisation> organisations, AuditEvent audit, Callback<int> done) override;
  Result<std::vector<Organisation>> list_organisations() override;
  void save_sites(std::vector<Site> sites, AuditEvent audit, Callback<SiteSaveCounts> done) override;
  void delete_site(std::string url, AuditEvent audit, Callback<bool> done) override;
  Result<std::vector<Site>> list_sites(const SiteFilter& filter) override;
  void record_site_checks(std::vector<SiteCheckRecord> checks, Callback<int> done) override;
  Result<std::vector<SiteState>> list_site_states(const SiteFilter& filter) override;
  void roll_up_site_history(SiteHistoryPolicy policy, std::string now, Callback<int> done) override;
  Result<std::vector<SiteRollup>> site_history(int64_t site_id, const std::string& since) override;
  Result<std::vector<SiteBaseline>> list_site_baselines() override;
  Result<int64_t> site_generation() override;
  Result<std::optional<SiteBaseline>> find_site_baseline(int64_t site_id) override;
  void reset_site_baseline(int64_t site_id, AuditEvent audit, Callback<bool> done) override;
  Result<std::vector<SiteAlert>> list_site_alerts(int64_t site_id, int limit) override;
  Result<SiteEvidence> find_site_evidence(int64_t id) override;
  Result<Organisation> find_organisation(int64_t id) override;
  void set_user_organisation(std::string username, std::optional<int64_t> organisation_id, AuditEvent audit,
                             Callback<bool> done) override;

  Result<std::pair<ApiToken, User>> find_token_with_user(const std::string& token_hash) override;
  void import_indicators(IndicatorImport batch, std::function<void(int64_t)> progress,
                         std::optional<AuditEvent> audit, Callback<IndicatorImportCounts> done) override;
  Result<std::vector<StoredIndicator>> list_indicators(const IndicatorFilter& filter) override;
  Status scan_indicators(const IndicatorFilter& filter, const std::function<bool(const StoredIndicator&)>& each) override;
  Result<StoredIndicator> find_indicator(int64_t id) override;
  Result<StoredIndicator> find_indicator_by_value(const std::string& kind, const std::string& value) override;
  Result<std::vector<Correlation>> correlate_indicator(int64_t id, int limit) override;
  Result<IndicatorContext> indicator_context(int64_t id) override;
  Result<int64_t> indicator_generation() override { return count("SELECT generation FROM indicator_generation"); }
  Result<int64_t> count_indicators() override { return count("SELECT count(*) FROM indicators"); }

  void set_totp(int64_t user_id, std::string secret, bool enabled, std::vector<std::string> recovery_code_hashes,
                AuditEvent audit, Callback<bool> done) override;
  void claim_totp_step(int64_t user_id, int64_t step, Callback<bool> done) override;
  void use_recovery_code(int64_t user_id, std::string code_hash, Callback<bool> done) override;

  void create_user(User user, AuditEvent audit, Callback<int64_t> done) override;
  void set_password(std::string username, std::string hash, bool must_change, AuditEvent audit,
                    Callback<bool> done) override;
  void record_sign_in(int64_t user_id, bool success, std::string locked_until, AuditEvent audit,
                      Callback<bool> done) override;
  Result<User> find_user(const std::string& username) override;
  Result<User> find_user_by_id(int64_t id) override;
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

  Result<std::vector<User>> list_users() override;
  void create_session(Session session, Callback<bool> done) override;
  void delete_session(std::string token_hash, AuditEvent audit, Callback<bool> done) override;
  void create_token(ApiToken token, AuditEvent audit, Callback<int64_t> done) override;
  void revoke_token(int64_t id, AuditEvent audit, Callback<bool> done) override;
  void touch_token(int64_t id) override;
  Result<std::vector<ApiToken>> list_tokens() override;
  void append_audit(AuditEvent event, Callback<int64_t> done) override;
  Result<std::vector<AuditEntry>> list_audit(const AuditFilter& f) override;
  Result<AuditCheck> verify_audit_log() override;
  Result<Session> find_session(const std::string& token_hash) override;

  void notify_organisations(std::string reference, int64_t actor_id, AuditEvent audit, Callback<int> done) override;
  void queue_sla_reminders(std::string due_before, Callback<int> done) override;
  Result<std::vector<OutboxMessage>> due_messages(const std::string& now, int limit) override;
  void record_delivery(int64_t message_id, DeliveryOutcome outcome, Callback<bool> done) override;
  Result<std::vector<OutboxMessage>> list_outbox(const OutboxFilter& filter) override;
  Result<OutboxCounts> outbox_counts() override;
  void retry_message(int64_t message_id, AuditEvent audit, Callback<bool> done) override;
  Result<std::vector<TemplateOverride>> list_template_overrides() override;
  void save_template(TemplateOverride replacement, int64_t author_id, AuditEvent audit, Callback<bool> done) override;
  void reset_template(NotificationEvent event, RecipientKind recipient, std::string language, AuditEvent audit,
                      Callback<bool> done) override;

  void save_collection(Collection collection, std::optional<AuditEvent> audit, Callback<Collection> done) override;
  Result<std::vector<Collection>> list_collections() override;
  Result<Collection> find_collection(const std::string& id_or_alias) override;
  void save_partner(Partner partner, AuditEvent audit, Callback<int64_t> done) override;
  Result<Partner> find_partner(const std::string& name) override;
  Result<std::vector<Partner>> list_partners() override;
  void add_shared_objects(Collection collection, std::vector<SharedObjectInput> objects, WriteOrigin origin,
                          std::optional<Transfer> transfer, Callback<WriteStatus> done) override;
  void receive_shared_objects(std::shared_ptr<std::vector<ReceivedObjects>> writes,
                              Callback<std::vector<WriteStatus>> done) override;
  Result<ObjectPage> list_shared_objects(const ObjectQuery& query) override;
  void delete_shared_object(ObjectQuery query, std::string stix_id, AuditEvent audit, Callback<int> done) override;
  void receive_following_indicators(std::shared_ptr<std::vector<IndicatorImport>> imports,
                                    std::vector<std::string> status_ids, Callback<int64_t> done) override;
  Result<std::vector<std::string>> list_waiting_indicators() override;
  Result<WriteStatus> find_write_status(const std::string& id) override;
  void log_transfer(Transfer transfer, Callback<int64_t> done) override;
  Result<std::vector<Transfer>> list_transfers(const TransferFilter& filter) override;
  void create_share(Share share, bool publish, AuditEvent audit, Callback<Share> done) override;
  void decide_share(int64_t id, std::string decided_by, bool approve, std::string reason, AuditEvent audit,
                    Callback<Share> done) override;
  Result<Share> find_share(int64_t id) override;
  Result<std::vector<Share>> list_shares(const std::string& state, const std::string& incident) override;
  void save_partner_remote(PartnerRemote remote, AuditEvent audit, Callback<bool> done) override;
  Result<std::vector<PartnerRemote>> list_partner_remotes() override;
  void record_sync(PartnerRemote state, Callback<bool> done) override;

 private:
  std::string path_;
  StoreOptions options_;
  std::unique_ptr<Connection> writer_connection_;  // used only by writer_thread_ after open()
  ReadPool readers_;
  Pool<SnapshotReader> object_readers_;
  std::atomic<uint64_t> objects_generation_{0};  // grows after every commit that wrote shared objects
  bool objects_written_ = false;                 // writer thread only: in the transaction being written
  std::thread writer_thread_;
  std::unique_ptr<Connection> checkpoint_connection_;  // used only by checkpoint_thread_
  std::thread checkpoint_thread_;
  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::condition_variable checkpoint_due_;  // wakes checkpoint_thread_: a commit, or the close
  std::deque<WriteJob> queue_;  // GUARDED_BY(queue_mutex_)
  bool closing_ = false;        // GUARDED_BY(queue_mutex_)
  uint64_t commits_ = 0;        // GUARDED_BY(queue_mutex_): transactions the writer has ended
  std::chrono::steady_clock::time_point last_search_flush_{};  // writer thread only
  bool search_pending_ = false;                                 // writer thread only
  int64_t last_added_micros_ = 0;  // writer thread only: the last date_added given, in microseconds
  bool flush_search_transaction();
  void checkpoint_loop();  // copies the write-ahead log into the database, beside the writer
  // The writes of add_shared_objects, inside a transaction the caller holds.
  Result<WriteStatus> write_shared_objects(Connection& db, const Collection& collection,
                                           const std::vector<SharedObjectInput>& objects, const WriteOrigin& origin,
                                           std::optional<Transfer>& transfer);
  // The same in three steps, so that several writes' objects can be
  // inserted in one order: a write begun, each object inserted (its outcome
  // in the write's status), the write's status, sightings and transfer
  // log entry written.
  struct ObjectWrite;
  ObjectWrite begin_object_write(const Collection& collection, const std::vector<SharedObjectInput>& objects,
                                 const WriteOrigin& origin, std::optional<Transfer>& transfer);
  Status insert_shared_object(Connection& db, ObjectWrite& write, const SharedObjectInput& object);
  Result<WriteStatus> finish_object_write(Connection& db, ObjectWrite& write);
  Status write_indicator_imports(Connection& db, const std::vector<const IndicatorImport*>& imports);
  // Writes a share's objects and remembers the incident they came from.
  Status publish_share(Connection& db, const Collection& collection, Share& share);  // indexes the search queue in a transaction of its own
};

}  // namespace jaga::sqlite
