// Notifications: who hears of an incident, what they may be told, and the
// text they get. Pure: the templates are rendered and the retry schedule is
// decided here; the outbox lives in the store and delivery over SMTP in
// notify/.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/incident.h"

namespace jaga {

enum class NotificationEvent { incident_opened, status_changed, public_note, sla_reminder };
std::string_view to_string(NotificationEvent event);
std::optional<NotificationEvent> parse_notification_event(std::string_view text);
inline constexpr NotificationEvent kNotificationEvents[] = {NotificationEvent::incident_opened, NotificationEvent::status_changed,
                                                            NotificationEvent::public_note, NotificationEvent::sla_reminder};

enum class RecipientKind { organisation_contact, reporter };
std::string_view to_string(RecipientKind kind);  // "organisation", "reporter"
std::optional<RecipientKind> parse_recipient_kind(std::string_view text);
inline constexpr const char* kNotificationLanguages[] = {"id", "en", "zh"};

// What TLP 2.0 allows to be sent by email to a recipient outside the desk:
// the contacts of an affected organisation may receive the indicators of
// CLEAR, GREEN, AMBER and AMBER+STRICT incidents (their organisation is the
// one the label lets them share within); RED is for named people in a
// meeting or call, never for email. Reporters get the status and public
// notes only, never indicators the desk found elsewhere.
bool may_receive_indicators(Tlp tlp, RecipientKind recipient);

// Whether an event is worth an email to a kind of recipient. Organisations
// hear of everything; a reporter hears that the report became an incident,
// the public notes, and the end (resolved, closed), not every step between.
bool event_reaches(NotificationEvent event, RecipientKind recipient, std::optional<IncidentStatus> new_status = {});

struct MessageTemplate {
  std::string subject;
  std::string body;
};

// "{{name}}" is replaced by vars["name"]; an unknown name by nothing, so a
// template edited by an administrator can never leak a field it should not.
std::string render_template(std::string_view text, const std::map<std::string, std::string>& vars);

// The built-in template of an event for a kind of recipient in a language
// (id, en, zh; English for any other); an administrator may replace any of them.
MessageTemplate default_template(NotificationEvent event, RecipientKind recipient, std::string_view language);
// The fields a template for this recipient may use, for the editor.
std::vector<std::string> template_fields(RecipientKind recipient);

// A status as a reader of the language says it ("menunggu organisasi").
std::string status_label(IncidentStatus status, std::string_view language);

// What a message may say about an incident, read in the transaction that
// queues it.
struct NotificationFacts {
  std::string reference;
  std::string title;
  std::string category;
  Severity severity = Severity::medium;
  Tlp tlp = Tlp::amber;
  IncidentStatus status = IncidentStatus::new_;
  std::string resolution_due;
  std::string note;        // the public note, for public_note
  std::string desk;        // the desk's name, signed under every message
  std::string public_url;  // where the status page is
  std::vector<Indicator> indicators;
  // Indicators that routing matched to organisations (value → their ids):
  // the assets of one organisation are not sent to another.
  std::map<std::string, std::vector<int64_t>> routed;
};

struct Recipient {
  RecipientKind kind = RecipientKind::organisation_contact;
  std::string address;
  std::string name;
  std::string language = "id";
  int64_t organisation_id = 0;  // organisation contacts
  std::string organisation;
  int64_t report_id = 0;        // reporters
  std::string tracking_code;
};

// The indicators this recipient may be sent: none for reporters or when TLP
// forbids; otherwise all but those routed to other organisations only.
std::vector<Indicator> indicators_for(const NotificationFacts& facts, const Recipient& recipient);

// The subject and body for one recipient, from the template for the event.
MessageTemplate compose_message(const NotificationFacts& facts, const Recipient& recipient, const MessageTemplate& tmpl);

// Retries after a delivery failure: the delay grows fourfold from `base`
// up to `max_delay`; after max_attempts the message is marked failed (and
// stays visible until someone retries it).
struct RetryPolicy {
  std::chrono::seconds base{60};
  std::chrono::seconds max_delay{6 * 3600};
  int max_attempts = 8;
};
// The wait before the next attempt after `failed_attempts` failures, or
// nothing when it is time to give up.
std::optional<std::chrono::seconds> retry_delay(const RetryPolicy& policy, int failed_attempts);

// The outbox: one message per recipient.
enum class DeliveryStatus { queued, sent, failed };
std::string_view to_string(DeliveryStatus status);
std::optional<DeliveryStatus> parse_delivery_status(std::string_view text);

struct OutboxMessage {
  int64_t id = 0;
  std::string incident;  // reference
  NotificationEvent event = NotificationEvent::incident_opened;
  RecipientKind recipient_kind = RecipientKind::organisation_contact;
  std::string organisation;  // for organisation contacts
  std::string recipient;     // email address; empty when the organisation has none
  std::string recipient_name;
  std::string language;
  std::string subject;
  std::string body;
  DeliveryStatus status = DeliveryStatus::queued;
  int attempts = 0;
  std::string next_attempt_at;
  std::string last_error;
  std::string created_at;
  std::string sent_at;
};

struct OutboxFilter {
  std::string incident;  // reference
  std::optional<DeliveryStatus> status;
  int limit = 50;
  int offset = 0;
};

struct OutboxCounts {
  int64_t queued = 0;
  int64_t retrying = 0;  // queued after a failed attempt
  int64_t failed = 0;
  int64_t sent = 0;
};

// What happened to one attempt: sent, to be retried at next_attempt_at, or
// failed for good (next_attempt_at empty).
struct DeliveryOutcome {
  bool sent = false;
  std::string error;
  std::string next_attempt_at;
  std::string at;
};

// An administrator's replacement of a built-in template.
struct TemplateOverride {
  NotificationEvent event = NotificationEvent::incident_opened;
  RecipientKind recipient = RecipientKind::organisation_contact;
  std::string language;
  std::string subject;
  std::string body;
  std::string updated_at;
  std::string updated_by;  // username, filled in by reads
};

}  // namespace jaga
