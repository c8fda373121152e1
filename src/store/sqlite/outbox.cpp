// The SQLite backend: the notification outbox (composing messages in the
// transaction of the change that causes them, and recording their delivery),
// SLA reminders, and administrators' templates.
#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "store/sqlite/sqlite_store.h"
#include "util/text.h"
#include "util/time.h"

namespace jaga::sqlite {

namespace {

Result<NotificationFacts> read_facts(Connection& db, const NotificationOptions& options, int64_t incident_id) {
  NotificationFacts facts;
  facts.desk = options.desk_name;
  facts.public_url = options.public_url;
  {
    TRY_PREPARE(q, db, "SELECT reference, title, category, severity, tlp, status, resolution_due FROM incidents WHERE id = ?1");
    q.bind(1, incident_id);
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return Error::not_found("no incident " + std::to_string(incident_id));
    facts.reference = q.text(0);
    facts.title = q.text(1);
    facts.category = q.text(2);
    facts.severity = parse_severity(q.text(3)).value_or(Severity::medium);
    facts.tlp = parse_tlp(q.text(4)).value_or(Tlp::amber);
    facts.status = parse_incident_status(q.text(5)).value_or(IncidentStatus::new_);
    facts.resolution_due = q.text(6);
  }
  {
    TRY_PREPARE(q, db,
                "SELECT DISTINCT i.type, i.value FROM incident_reports ir "
                "JOIN report_indicators ri ON ri.report_id = ir.report_id JOIN indicators i ON i.id = ri.indicator_id "
                "WHERE ir.incident_id = ?1 ORDER BY i.type DESC, i.value");
    q.bind(1, incident_id);
    TRY(q.for_each_row([&](Statement& q) { facts.indicators.push_back({q.text(0), q.text(1), "report"}); }));
  }
  {
    TRY_PREPARE(q, db, "SELECT organisation_id, indicators FROM incident_organisations WHERE incident_id = ?1 AND source = 'routing'");
    q.bind(1, incident_id);
    TRY(q.for_each_row([&](Statement& q) {
      boost::system::error_code ec;
      auto matched = boost::json::parse(q.text(1), ec);
      if (ec || !matched.is_array()) return;
      for (const auto& value : matched.as_array())
        if (value.is_string()) facts.routed[std::string(value.as_string())].push_back(q.integer(0));
    }));
  }
  return facts;
}

Result<MessageTemplate> template_for(Connection& db, NotificationEvent event, RecipientKind recipient, const std::string& language) {
  TRY_PREPARE(q, db, "SELECT subject, body FROM notification_templates WHERE event = ?1 AND recipient_kind = ?2 AND language = ?3");
  q.bind(1, to_string(event)).bind(2, to_string(recipient)).bind(3, language);
  auto row = q.step();
  if (!row) return row.error();
  if (*row) return MessageTemplate{q.text(0), q.text(1)};
  return default_template(event, recipient, language);
}

std::string known_language(const std::string& language) {
  for (const char* known : kNotificationLanguages)
    if (language == known) return language;
  return "en";
}

bool wanted(const std::optional<std::vector<int64_t>>& only, int64_t id) {
  return !only || std::find(only->begin(), only->end(), id) != only->end();
}

Result<std::vector<Recipient>> recipients_of(Connection& db, int64_t incident_id, const NotificationScope& scope) {
  std::vector<Recipient> out;
  if (scope.organisations && event_reaches(scope.event, RecipientKind::organisation_contact, scope.new_status)) {
    // An organisation without an address still gets a row: a message that
    // cannot be sent must show, not vanish.
    TRY_PREPARE(q, db,
                "SELECT o.id, o.name, o.language, coalesce(c.name, ''), coalesce(c.email, '') "
                "FROM incident_organisations io JOIN organisations o ON o.id = io.organisation_id "
                "LEFT JOIN organisation_contacts c ON c.organisation_id = o.id AND c.email <> '' "
                "WHERE io.incident_id = ?1 ORDER BY o.id, c.id");
    q.bind(1, incident_id);
    TRY(q.for_each_row([&](Statement& q) {
      if (!wanted(scope.only_organisations, q.integer(0))) return;
      Recipient r;
      r.kind = RecipientKind::organisation_contact;
      r.organisation_id = q.integer(0);
      r.organisation = q.text(1);
      r.language = known_language(q.text(2));
      r.name = q.text(3);
      r.address = q.text(4);
      out.push_back(std::move(r));
    }));
  }
  if (scope.reporters && event_reaches(scope.event, RecipientKind::reporter, scope.new_status)) {
    TRY_PREPARE(q, db,
                "SELECT r.id, r.tracking_code, r.language, rc.name, rc.email FROM incident_reports ir "
                "JOIN reports r ON r.id = ir.report_id JOIN reporter_contacts rc ON rc.report_id = r.id "
                "WHERE ir.incident_id = ?1 AND rc.email <> '' ORDER BY r.id");
    q.bind(1, incident_id);
    std::set<std::string> addresses;  // one message to a person who filed two of the reports
    TRY(q.for_each_row([&](Statement& q) {
      if (!wanted(scope.only_reports, q.integer(0))) return;
      if (!addresses.insert(to_lower_ascii(q.text(4))).second) return;
      Recipient r;
      r.kind = RecipientKind::reporter;
      r.report_id = q.integer(0);
      r.tracking_code = q.text(1);
      r.language = known_language(q.text(2));
      r.name = q.text(3);
      r.address = q.text(4);
      out.push_back(std::move(r));
    }));
  }
  return out;
}

constexpr const char* outbox_columns =
    "SELECT m.id, coalesce(i.reference, ''), m.event, m.recipient_kind, coalesce(o.name, ''), m.recipient, "
    "m.recipient_name, m.language, m.subject, m.body, m.status, m.attempts, m.next_attempt_at, m.last_error, "
    "m.created_at, coalesce(m.sent_at, '') "
    "FROM outbox m LEFT JOIN incidents i ON i.id = m.incident_id LEFT JOIN organisations o ON o.id = m.organisation_id ";

OutboxMessage read_message(Statement& q) {
  OutboxMessage m;
  m.id = q.integer(0);
  m.incident = q.text(1);
  m.event = parse_notification_event(q.text(2)).value_or(NotificationEvent::incident_opened);
  m.recipient_kind = parse_recipient_kind(q.text(3)).value_or(RecipientKind::organisation_contact);
  m.organisation = q.text(4);
  m.recipient = q.text(5);
  m.recipient_name = q.text(6);
  m.language = q.text(7);
  m.subject = q.text(8);
  m.body = q.text(9);
  m.status = parse_delivery_status(q.text(10)).value_or(DeliveryStatus::queued);
  m.attempts = static_cast<int>(q.integer(11));
  m.next_attempt_at = q.text(12);
  m.last_error = q.text(13);
  m.created_at = q.text(14);
  m.sent_at = q.text(15);
  return m;
}

}  // namespace

Result<int> queue_notifications(Connection& db, const NotificationOptions& options, int64_t incident_id,
                                const NotificationScope& scope, const std::string& now) {
  auto recipients = recipients_of(db, incident_id, scope);
  if (!recipients) return recipients.error();
  if (recipients->empty()) return 0;
  auto facts = read_facts(db, options, incident_id);
  if (!facts) return facts.error();
  facts->note = scope.note;
  int queued = 0;
  for (const auto& recipient : *recipients) {
    auto tmpl = template_for(db, scope.event, recipient.kind, recipient.language);
    if (!tmpl) return tmpl.error();
    auto message = compose_message(*facts, recipient, *tmpl);
    TRY_PREPARE(insert, db,
                "INSERT INTO outbox(incident_id, event, recipient_kind, organisation_id, report_id, recipient, recipient_name, "
                "language, subject, body, status, next_attempt_at, last_error, created_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12)");
    insert.bind(1, incident_id).bind(2, to_string(scope.event)).bind(3, to_string(recipient.kind));
    insert.bind_optional(4, recipient.organisation_id ? std::optional<int64_t>(recipient.organisation_id) : std::nullopt);
    insert.bind_optional(5, recipient.report_id ? std::optional<int64_t>(recipient.report_id) : std::nullopt);
    insert.bind(6, recipient.address).bind(7, recipient.name).bind(8, recipient.language);
    insert.bind(9, message.subject).bind(10, message.body);
    insert.bind(11, recipient.address.empty() ? "failed" : "queued").bind(12, now);
    insert.bind(13, recipient.address.empty()
                        ? recipient.organisation + " has no contact with an email address: add one in the registry, then notify again."
                        : "");
    TRY(insert.run());
    ++queued;
  }
  TRY_PREPARE(event, db,
              "INSERT INTO incident_events(incident_id, at, actor_id, kind, visibility, text, details) "
              "VALUES (?1, ?2, ?3, 'notification', 'internal', ?4, ?5)");
  event.bind(1, incident_id).bind(2, now).bind_optional(3, scope.actor_id).bind(4, to_string(scope.event));
  event.bind(5, boost::json::serialize(boost::json::object{{"event", to_string(scope.event)}, {"messages", queued}}));
  TRY(event.run());
  return queued;
}

void SqliteStore::notify_organisations(std::string reference, int64_t actor_id, AuditEvent audit, Callback<int> done) {
  submit_value<int>(
      [reference = std::move(reference), options = options_.notifications, actor_id](Connection& db) -> Result<int> {
        auto id = incident_id_of(db, reference);
        if (!id) return id.error();
        NotificationScope scope;
        scope.event = NotificationEvent::incident_opened;
        scope.reporters = false;
        scope.actor_id = actor_id;
        std::string now = now_rfc3339();
        auto queued = queue_notifications(db, options, *id, scope, now);
        if (!queued) return queued.error();
        if (*queued == 0)
          return Error::conflict(reference + " has no affected organisation to notify; choose one first.");
        TRY_PREPARE(touch, db, "UPDATE incidents SET updated_at = ?2, first_response_at = coalesce(first_response_at, ?2) WHERE id = ?1");
        touch.bind(1, *id).bind(2, now);
        TRY(touch.run());
        return *queued;
      },
      std::move(done), std::move(audit));
}

void SqliteStore::queue_sla_reminders(std::string due_before, Callback<int> done) {
  submit_value<int>(
      [due_before = std::move(due_before), options = options_.notifications](Connection& db) -> Result<int> {
        std::vector<int64_t> due;
        {
          TRY_PREPARE(q, db,
                      "SELECT id FROM incidents WHERE status NOT IN ('resolved', 'closed') AND resolution_due <= ?1 "
                      "AND reminded_for IS NOT resolution_due "
                      "AND EXISTS (SELECT 1 FROM incident_organisations io WHERE io.incident_id = incidents.id) "
                      "ORDER BY resolution_due LIMIT 200");
          q.bind(1, due_before);
          TRY(q.for_each_row([&](Statement& q) { due.push_back(q.integer(0)); }));
        }
        std::string now = now_rfc3339();
        int queued = 0;
        for (int64_t id : due) {
          NotificationScope scope;
          scope.event = NotificationEvent::sla_reminder;
          auto n = queue_notifications(db, options, id, scope, now);
          if (!n) return n.error();
          queued += *n;
          TRY_PREPARE(mark, db, "UPDATE incidents SET reminded_for = resolution_due WHERE id = ?1");
          mark.bind(1, id);
          TRY(mark.run());
        }
        return queued;
      },
      std::move(done));
}

Result<std::vector<OutboxMessage>> SqliteStore::due_messages(const std::string& now, int limit) {
  static const std::string sql =
      std::string(outbox_columns) + "WHERE m.status = 'queued' AND m.next_attempt_at <= ?1 ORDER BY m.next_attempt_at, m.id LIMIT ?2";
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease, sql.c_str());
  q.bind(1, now).bind(2, static_cast<int64_t>(limit));
  std::vector<OutboxMessage> out;
  TRY(q.for_each_row([&](Statement& q) { out.push_back(read_message(q)); }));
  return out;
}

void SqliteStore::record_delivery(int64_t message_id, DeliveryOutcome outcome, Callback<bool> done) {
  submit_value<bool>(
      [message_id, outcome = std::move(outcome)](Connection& db) -> Result<bool> {
        TRY_PREPARE(update, db,
                    "UPDATE outbox SET attempts = attempts + 1, "
                    "status = CASE WHEN ?2 THEN 'sent' WHEN ?4 = '' THEN 'failed' ELSE 'queued' END, "
                    "sent_at = CASE WHEN ?2 THEN ?5 ELSE sent_at END, "
                    "last_error = ?3, next_attempt_at = CASE WHEN ?4 = '' THEN next_attempt_at ELSE ?4 END "
                    "WHERE id = ?1 AND status = 'queued'");
        update.bind(1, message_id).bind(2, int64_t{outcome.sent}).bind(3, outcome.sent ? "" : outcome.error);
        update.bind(4, outcome.sent ? "" : outcome.next_attempt_at).bind(5, outcome.at);
        TRY(update.run());
        return db.changes() > 0;
      },
      std::move(done));
}

Result<std::vector<OutboxMessage>> SqliteStore::list_outbox(const OutboxFilter& f) {
  static const std::string sql = std::string(outbox_columns) +
                                 "WHERE (?1 IS NULL OR m.incident_id = (SELECT id FROM incidents WHERE reference = ?1)) "
                                 "AND (?2 IS NULL OR m.status = ?2) ORDER BY m.id DESC LIMIT ?3 OFFSET ?4";
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease, sql.c_str());
  q.bind_or_null(1, f.incident).bind_or_null(2, f.status ? to_string(*f.status) : "");
  q.bind(3, static_cast<int64_t>(f.limit)).bind(4, static_cast<int64_t>(f.offset));
  std::vector<OutboxMessage> out;
  TRY(q.for_each_row([&](Statement& q) { out.push_back(read_message(q)); }));
  return out;
}

Result<OutboxCounts> SqliteStore::outbox_counts() {
  auto lease = readers_.lease();
  Connection& db = *lease;
  ReadTransaction snapshot(db);
  OutboxCounts counts;
  TRY_PREPARE(q, db,
              "SELECT (SELECT count(*) FROM outbox WHERE status = 'queued' AND attempts = 0), "
              "(SELECT count(*) FROM outbox WHERE status = 'queued' AND attempts > 0), "
              "(SELECT count(*) FROM outbox WHERE status = 'failed'), (SELECT count(*) FROM outbox WHERE status = 'sent')");
  auto row = q.step();
  if (!row) return row.error();
  counts.queued = q.integer(0);
  counts.retrying = q.integer(1);
  counts.failed = q.integer(2);
  counts.sent = q.integer(3);
  return counts;
}

void SqliteStore::retry_message(int64_t message_id, AuditEvent audit, Callback<bool> done) {
  submit_value<bool>(
      [message_id](Connection& db) -> Result<bool> {
        std::string status, recipient;
        {
          TRY_PREPARE(q, db, "SELECT status, recipient FROM outbox WHERE id = ?1");
          q.bind(1, message_id);
          auto row = q.step();
          if (!row) return row.error();
          if (!*row) return Error::not_found("no message " + std::to_string(message_id));
          status = q.text(0);
          recipient = q.text(1);
        }
        if (status == "sent") return Error::conflict("message " + std::to_string(message_id) + " was sent already");
        if (recipient.empty())
          return Error::conflict("message " + std::to_string(message_id) +
                                 " has no address to go to; add a contact to the organisation and notify it again");
        TRY_PREPARE(update, db, "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = ?2 WHERE id = ?1");
        update.bind(1, message_id).bind(2, now_rfc3339());
        TRY(update.run());
        return true;
      },
      std::move(done), std::move(audit));
}

Result<std::vector<TemplateOverride>> SqliteStore::list_template_overrides() {
  auto lease = readers_.lease();
  TRY_PREPARE(q, *lease,
              "SELECT t.event, t.recipient_kind, t.language, t.subject, t.body, t.updated_at, coalesce(u.username, '') "
              "FROM notification_templates t LEFT JOIN users u ON u.id = t.updated_by ORDER BY 1, 2, 3");
  std::vector<TemplateOverride> out;
  TRY(q.for_each_row([&](Statement& q) {
    TemplateOverride t;
    auto event = parse_notification_event(q.text(0));
    auto recipient = parse_recipient_kind(q.text(1));
    if (!event || !recipient) return;
    t.event = *event;
    t.recipient = *recipient;
    t.language = q.text(2);
    t.subject = q.text(3);
    t.body = q.text(4);
    t.updated_at = q.text(5);
    t.updated_by = q.text(6);
    out.push_back(std::move(t));
  }));
  return out;
}

void SqliteStore::save_template(TemplateOverride replacement, int64_t author_id, AuditEvent audit, Callback<bool> done) {
  submit_value<bool>(
      [t = std::move(replacement), author_id](Connection& db) -> Result<bool> {
        TRY_PREPARE(upsert, db,
                    "INSERT INTO notification_templates(event, recipient_kind, language, subject, body, updated_at, updated_by) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO UPDATE SET subject = excluded.subject, "
                    "body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by");
        upsert.bind(1, to_string(t.event)).bind(2, to_string(t.recipient)).bind(3, t.language);
        upsert.bind(4, t.subject).bind(5, t.body).bind(6, now_rfc3339()).bind(7, author_id);
        TRY(upsert.run());
        return true;
      },
      std::move(done), std::move(audit));
}

void SqliteStore::reset_template(NotificationEvent event, RecipientKind recipient, std::string language, AuditEvent audit,
                                 Callback<bool> done) {
  submit_value<bool>(
      [event, recipient, language = std::move(language)](Connection& db) -> Result<bool> {
        TRY_PREPARE(remove, db, "DELETE FROM notification_templates WHERE event = ?1 AND recipient_kind = ?2 AND language = ?3");
        remove.bind(1, to_string(event)).bind(2, to_string(recipient)).bind(3, language);
        TRY(remove.run());
        return db.changes() > 0;
      },
      std::move(done), std::move(audit));
}

}  // namespace jaga::sqlite
