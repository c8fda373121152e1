// Store: the one interface through which jaga reads and writes its records.
// Callers never see SQL; the SQLite backend (sqlite/) is the embedded default
// and a PostgreSQL backend implements the same interface.
//
// Writes are asynchronous: a write is queued, committed together with others
// (group commit) and its callback runs after the commit is durable, on a store
// thread. A full queue fails at once with ErrorKind::unavailable. Reads are
// synchronous and may be called from any thread.
//
// A write that a person makes carries the AuditEvent recording it; the store
// appends it to the audit log in the same transaction, so that neither the
// change nor its record exists without the other.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/audit.h"
#include "model/exchange.h"
#include "model/incident.h"
#include "model/indicator.h"
#include "model/notification.h"
#include "model/organisation.h"
#include "model/site.h"
#include "model/report.h"
#include "model/user.h"
#include "util/result.h"

namespace jaga {

template <class T>
using Callback = std::function<void(Result<T>)>;

class Store {
 public:
  virtual ~Store() = default;

  // Whether the store answers (for /readyz).
  virtual Status ping() = 0;
  virtual int schema_version() = 0;

  // Reports. create_report fails with conflict when the tracking code exists.
  // Reports filed on the public site carry no audit event; desk intake does.
  virtual void create_report(NewReport report, std::optional<AuditEvent> audit, Callback<int64_t> done) = 0;
  virtual void add_addition(std::string tracking_code, Addition addition,
                            std::vector<Indicator> indicators, Callback<int64_t> done) = 0;
  virtual void add_public_note(std::string tracking_code, std::string text,
                               std::optional<ReportStatus> new_status, int64_t author_id,
                               AuditEvent audit, Callback<int64_t> done) = 0;
  // The report with its attachments, indicators, additions and notes; not
  // `related`, which costs a join over every report naming the same indicator.
  virtual Result<Report> find_report(const std::string& tracking_code) = 0;
  // Tracking codes of other reports naming the same URL or domain, newest first.
  virtual Result<std::vector<std::string>> find_related_reports(int64_t report_id, int limit) = 0;
  virtual Result<std::vector<ReportSummary>> list_reports(const ReportFilter& filter) = 0;
  virtual Result<int64_t> count_reports() = 0;
  virtual Result<Attachment> find_attachment(int64_t id) = 0;

  // Marks reports as spam or duplicate in one go, each with a public note to
  // its reporter. Fails, changing nothing, if any code is unknown.
  virtual void triage_reports(std::vector<std::string> tracking_codes, ReportStatus status, std::string note,
                              int64_t author_id, AuditEvent audit, Callback<int> done) = 0;

  // Incidents. Writes that break a rule (an unknown report, a transition the
  // lifecycle does not allow) fail with invalid_input or conflict and change
  // nothing. create_incident answers the new reference.
  virtual void create_incident(NewIncident incident, AuditEvent audit, Callback<std::string> done) = 0;
  virtual void update_incident(std::string reference, IncidentChange change, int64_t actor_id, AuditEvent audit,
                               Callback<bool> done) = 0;
  // A comment on the timeline: internal, or public (then also a note on the
  // status page of every linked report).
  virtual void comment_incident(std::string reference, std::string text, bool public_note, int64_t actor_id,
                                AuditEvent audit, Callback<int64_t> done) = 0;
  virtual void link_reports(std::string reference, std::vector<std::string> tracking_codes, int64_t actor_id,
                            AuditEvent audit, Callback<int> done) = 0;
  virtual Result<Incident> find_incident(const std::string& reference) = 0;
  virtual Result<std::vector<IncidentSummary>> list_incidents(const IncidentFilter& filter) = 0;
  // Counts for the dashboard since `since` (RFC 3339); `now` decides overdue.
  virtual Result<IncidentStats> incident_stats(const std::string& since, const std::string& now) = 0;

  // Sets the affected organisations: with source "routing" it replaces what
  // routing found before and keeps an analyst's choices; with "analyst" it
  // replaces them all.
  virtual void set_incident_organisations(std::string reference, std::string source,
                                          std::vector<IncidentOrganisation> organisations, int64_t actor_id,
                                          std::optional<AuditEvent> audit, Callback<bool> done) = 0;

  // The constituency. save_organisation adds (id 0) or replaces one with its
  // domains, networks, AS numbers and contacts; a domain, network or AS
  // number owned by another organisation is a conflict that names it.
  virtual void save_organisation(Organisation organisation, AuditEvent audit, Callback<int64_t> done) = 0;
  // Refused (conflict) while it has child organisations, users or incidents.
  virtual void delete_organisation(int64_t id, AuditEvent audit, Callback<bool> done) = 0;
  // Adds or replaces each organisation by name, parents by name (from the
  // same import or already stored); all or nothing. Answers how many were added.
  virtual void import_organisations(std::vector<Organisation> organisations, AuditEvent audit, Callback<int> done) = 0;
  virtual Result<std::vector<Organisation>> list_organisations() = 0;
  virtual Result<Organisation> find_organisation(int64_t id) = 0;
  virtual void set_user_organisation(std::string username, std::optional<int64_t> organisation_id, AuditEvent audit,
                                     Callback<bool> done) = 0;

  // The website monitor's sites. save_sites adds or replaces each by URL,
  // its organisation named by `organisation` (empty: none); all or nothing,
  // an unknown organisation is invalid input naming the site.
  virtual void save_sites(std::vector<Site> sites, AuditEvent audit, Callback<SiteSaveCounts> done) = 0;
  virtual void delete_site(std::string url, AuditEvent audit, Callback<bool> done) = 0;
  // In id order, `filter.limit` at a time after `filter.after_id`.
  virtual Result<std::vector<Site>> list_sites(const SiteFilter& filter) = 0;
  // Each site's latest state follows its check; the check joins the history.
  virtual void record_site_checks(std::vector<SiteCheckRecord> checks, Callback<int> done) = 0;
  // Rolls checks older than the policy's raw days into hours, and hours older
  // than its hourly days into days, removing what was rolled up; answers how
  // many rows were rolled. `now` is RFC 3339.
  virtual void roll_up_site_history(SiteHistoryPolicy policy, std::string now, Callback<int> done) = 0;
  // A site's history since `since`: hours and days, oldest first.
  virtual Result<std::vector<SiteRollup>> site_history(int64_t site_id, const std::string& since) = 0;
  // The same sites as list_sites, each with its latest state.
  virtual Result<std::vector<SiteState>> list_site_states(const SiteFilter& filter) = 0;
  // The content baselines the monitor learnt (without their text), one site's
  // with its text, and forgetting one so that the next clean check learns it
  // again (answers whether there was one).
  virtual Result<std::vector<SiteBaseline>> list_site_baselines() = 0;
  // Grows with every change to the sites (added, changed, removed).
  virtual Result<int64_t> site_generation() = 0;
  virtual Result<std::optional<SiteBaseline>> find_site_baseline(int64_t site_id) = 0;
  virtual void reset_site_baseline(int64_t site_id, AuditEvent audit, Callback<bool> done) = 0;
  // A site's alerts, open ones first, then the latest, each with the pages
  // kept as its evidence (without their bodies); one kept page with its body.
  virtual Result<std::vector<SiteAlert>> list_site_alerts(int64_t site_id, int limit) = 0;
  virtual Result<SiteEvidence> find_site_evidence(int64_t id) = 0;

  // Users and sessions.
  virtual void create_user(User user, AuditEvent audit, Callback<int64_t> done) = 0;
  virtual void set_password(std::string username, std::string password_hash,
                            bool must_change_password, AuditEvent audit, Callback<bool> done) = 0;
  // Records a sign-in attempt: success resets the failure count; a failure
  // increments it and sets locked_until when given.
  virtual void record_sign_in(int64_t user_id, bool success, std::string locked_until,
                              AuditEvent audit, Callback<bool> done) = 0;
  // The second factor. set_totp stores a secret (pending until enabled) and
  // replaces the recovery codes (their hashes); an empty secret turns it off.
  virtual void set_totp(int64_t user_id, std::string secret, bool enabled, std::vector<std::string> recovery_code_hashes,
                        AuditEvent audit, Callback<bool> done) = 0;
  // True when `step` is later than the last one used (and records it); false
  // for a replayed code.
  virtual void claim_totp_step(int64_t user_id, int64_t step, Callback<bool> done) = 0;
  // True when an unused recovery code with this hash existed; it is used up.
  virtual void use_recovery_code(int64_t user_id, std::string code_hash, Callback<bool> done) = 0;
  virtual Result<User> find_user(const std::string& username) = 0;
  virtual Result<User> find_user_by_id(int64_t id) = 0;
  virtual Result<std::vector<User>> list_users() = 0;
  virtual Result<int64_t> count_users() = 0;

  virtual void create_session(Session session, Callback<bool> done) = 0;
  virtual void delete_session(std::string token_hash, AuditEvent audit, Callback<bool> done) = 0;
  virtual Result<Session> find_session(const std::string& token_hash) = 0;

  // API tokens. find_token_with_user returns revoked ones too (the caller
  // says why it refuses); touch_token records the last use, at most once a minute.
  virtual void create_token(ApiToken token, AuditEvent audit, Callback<int64_t> done) = 0;
  virtual void revoke_token(int64_t id, AuditEvent audit, Callback<bool> done) = 0;
  virtual void touch_token(int64_t id) = 0;
  // The token and its user in one read: every API call with a token asks.
  virtual Result<std::pair<ApiToken, User>> find_token_with_user(const std::string& token_hash) = 0;
  virtual Result<std::vector<ApiToken>> list_tokens() = 0;

  // The audit log. append_audit records an event that changes nothing else
  // (a failed sign-in for an unknown name, an export).
  virtual void append_audit(AuditEvent event, Callback<int64_t> done) = 0;
  virtual Result<std::vector<AuditEntry>> list_audit(const AuditFilter& filter) = 0;
  // Reads the whole chain in order and checks every hash.
  virtual Result<AuditCheck> verify_audit_log() = 0;

  // Notifications. The writes above that affect people outside the desk
  // (an organisation newly affected, a status change, a public note, a
  // report linked) queue their messages in the outbox in their own
  // transaction. notify_organisations sends the incident's summary to every
  // affected organisation again; it is a conflict when there is none.
  virtual void notify_organisations(std::string reference, int64_t actor_id, AuditEvent audit, Callback<int> done) = 0;
  // Queues a reminder to the organisations of every open incident due
  // before `due_before` that has not had one for its current due time.
  virtual void queue_sla_reminders(std::string due_before, Callback<int> done) = 0;
  // Queued messages whose next attempt is due, oldest first.
  virtual Result<std::vector<OutboxMessage>> due_messages(const std::string& now, int limit) = 0;
  virtual void record_delivery(int64_t message_id, DeliveryOutcome outcome, Callback<bool> done) = 0;
  virtual Result<std::vector<OutboxMessage>> list_outbox(const OutboxFilter& filter) = 0;
  virtual Result<OutboxCounts> outbox_counts() = 0;
  // Queues a failed (or waiting) message for an attempt now, with a fresh
  // count of attempts; a conflict when it was sent.
  virtual void retry_message(int64_t message_id, AuditEvent audit, Callback<bool> done) = 0;
  virtual Result<std::vector<TemplateOverride>> list_template_overrides() = 0;
  // Replaces a built-in template (author_id names who); reset_template goes
  // back to the built-in one.
  virtual void save_template(TemplateOverride replacement, int64_t author_id, AuditEvent audit, Callback<bool> done) = 0;
  virtual void reset_template(NotificationEvent event, RecipientKind recipient, std::string language, AuditEvent audit,
                              Callback<bool> done) = 0;

  // The store of indicators. import_indicators adds or updates each by
  // (kind, value) and counts the source once more (a value twice in the
  // batch counts once); all in one transaction.
  // `progress` (may be empty) is called on the store thread every few
  // thousand indicators with how many are written.
  virtual void import_indicators(IndicatorImport batch, std::function<void(int64_t)> progress,
                                 std::optional<AuditEvent> audit, Callback<IndicatorImportCounts> done) = 0;
  // A page in id order, from after the filter's after_id.
  virtual Result<std::vector<StoredIndicator>> list_indicators(const IndicatorFilter& filter) = 0;
  // Every indicator the filter lets through, in id order, one at a time (for
  // exports and the matcher: a million need not be held twice). `each`
  // returns false to stop.
  virtual Status scan_indicators(const IndicatorFilter& filter,
                                 const std::function<bool(const StoredIndicator&)>& each) = 0;
  // With its sources.
  virtual Result<StoredIndicator> find_indicator(int64_t id) = 0;
  virtual Result<StoredIndicator> find_indicator_by_value(const std::string& kind, const std::string& value) = 0;
  // What shares it: reports and incidents naming the same value, and other
  // indicators (with their reports and incidents) under the same registrable
  // domain or in the same /24 or /48; at most `limit` per kind of link.
  virtual Result<std::vector<Correlation>> correlate_indicator(int64_t id, int limit) = 0;
  // At most ten of each, for annotating matches.
  virtual Result<IndicatorContext> indicator_context(int64_t id) = 0;
  virtual Result<int64_t> count_indicators() = 0;
  // A number that grows whenever an import adds or changes indicators, so
  // that a cache of them (the lookup matcher) knows when to rebuild. Reports
  // do not move it: what only reports name is never matched.
  virtual Result<int64_t> indicator_generation() = 0;

  // Partner exchange. Collections are saved by alias (added or replaced);
  // a partner is saved by name with its agreement and rights, and any
  // collection its rights name that does not exist yet is created with the
  // partner's label (TLP:GREEN unless said). Answers the partner's id.
  virtual void save_collection(Collection collection, std::optional<AuditEvent> audit, Callback<Collection> done) = 0;
  virtual Result<std::vector<Collection>> list_collections() = 0;
  // By TAXII id or alias.
  virtual Result<Collection> find_collection(const std::string& id_or_alias) = 0;
  virtual void save_partner(Partner partner, AuditEvent audit, Callback<int64_t> done) = 0;
  virtual Result<Partner> find_partner(const std::string& name) = 0;
  virtual Result<std::vector<Partner>> list_partners() = 0;
  // Writes objects into a collection, each checked on its own: a new version
  // is added, the same object again is a success that adds nothing, and a
  // different object under an id and version already held is a failure
  // (and recorded as a conflict). The status is stored with the outcomes,
  // and a partner's write goes into the transfer log, all in one transaction.
  virtual void add_shared_objects(Collection collection, std::vector<SharedObjectInput> objects, WriteOrigin origin,
                                  std::optional<Transfer> transfer, Callback<WriteStatus> done) = 0;
  // What partners sent, several writes at once: each as by
  // add_shared_objects, and the indicators read from them taken into the
  // store of indicators (or the write remembered as waiting for them), all
  // in one transaction (one commit costs about as much for 100,000 objects
  // as for 10,000 once the indexes are large).
  // Answers a status per write, in order. The caller keeps its own
  // reference to the writes: they are freed where it lets go of them, not
  // on the store's writer, which has better things to do (a million parsed
  // objects take a second to free).
  virtual void receive_shared_objects(std::shared_ptr<std::vector<ReceivedObjects>> writes,
                                      Callback<std::vector<WriteStatus>> done) = 0;
  // The indicators of envelopes written before with indicators_follow,
  // read since: taken into the store of indicators, and the envelopes no
  // longer waiting for them, in one transaction. Answers how many
  // envelopes were still waiting.
  virtual void receive_following_indicators(std::shared_ptr<std::vector<IndicatorImport>> imports,
                                            std::vector<std::string> status_ids, Callback<int64_t> done) = 0;
  // The status ids of the envelopes whose indicators are still to be read.
  virtual Result<std::vector<std::string>> list_waiting_indicators() = 0;
  // A page of objects in the order they were added.
  virtual Result<ObjectPage> list_shared_objects(const ObjectQuery& query) = 0;
  // Removes the versions of an object that the query's version and
  // spec_version matches name; answers how many.
  virtual void delete_shared_object(ObjectQuery query, std::string stix_id, AuditEvent audit, Callback<int> done) = 0;
  virtual Result<WriteStatus> find_write_status(const std::string& id) = 0;
  virtual void log_transfer(Transfer transfer, Callback<int64_t> done) = 0;
  virtual Result<std::vector<Transfer>> list_transfers(const TransferFilter& filter) = 0;
  // Shares from incidents. A share is saved pending, or published at once:
  // its objects written into the collection (as by add_shared_objects) and
  // remembered as shared from the incident, so that a partner's sighting of
  // one of them later joins the incident's timeline. Deciding a pending
  // share takes an analyst other than the one who asked (else forbidden).
  virtual void create_share(Share share, bool publish, AuditEvent audit, Callback<Share> done) = 0;
  virtual void decide_share(int64_t id, std::string decided_by, bool approve, std::string reason, AuditEvent audit,
                            Callback<Share> done) = 0;
  virtual Result<Share> find_share(int64_t id) = 0;
  // Newest first; state and incident narrow it when given. Without objects.
  virtual Result<std::vector<Share>> list_shares(const std::string& state, const std::string& incident) = 0;
  // Partners' TAXII servers and where each sync stands.
  virtual void save_partner_remote(PartnerRemote remote, AuditEvent audit, Callback<bool> done) = 0;
  virtual Result<std::vector<PartnerRemote>> list_partner_remotes() = 0;
  // The outcome of one sync: the cursors move only with a success.
  virtual void record_sync(PartnerRemote state, Callback<bool> done) = 0;

  // Stops accepting writes, commits what is queued, closes connections.
  virtual void close() = 0;
};

// What the store writes into the messages it composes.
struct NotificationOptions {
  std::string desk_name = "jaga";
  std::string public_url = "http://127.0.0.1:8080";  // for reporters' status pages
};

struct StoreOptions {
  NotificationOptions notifications;
  size_t write_queue_capacity = 20000;
  size_t max_batch = 1024;
  size_t read_connections = 4;
};

// Opens (creating if needed) the SQLite store at `path` and applies pending migrations.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const StoreOptions& options = {});

// Every site `filter` selects, its pages followed (exports, the monitor's
// schedule); pages of 1,000.
inline Result<std::vector<SiteState>> list_all_site_states(Store& store, SiteFilter filter) {
  std::vector<SiteState> out;
  filter.limit = 1000;
  while (true) {
    auto page = store.list_site_states(filter);
    if (!page) return page.error();
    out.insert(out.end(), std::make_move_iterator(page->begin()), std::make_move_iterator(page->end()));
    if (static_cast<int>(page->size()) < filter.limit) return out;
    filter.after_id = out.back().site.id;
  }
}

// Runs an asynchronous store call and waits for its result (CLI, tests).
template <class T, class Fn>
Result<T> wait_for(Fn&& call);

}  // namespace jaga

#include "store/wait.h"
