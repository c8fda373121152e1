// Notifications: who hears of an incident, what they may be told, and the
// text they get. Pure: the templates are rendered here, the outbox and its
// delivery over SMTP live in the store and the server.
#pragma once

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

enum class RecipientKind { organisation_contact, reporter };

// What TLP 2.0 allows to be sent by email to a recipient outside the desk:
// the contacts of an affected organisation may receive the indicators of
// CLEAR, GREEN, AMBER and AMBER+STRICT incidents (their organisation is the
// one the label lets them share within); RED is for named people in a
// meeting or call, never for email. Reporters get the status and public
// notes only, never indicators the desk found elsewhere.
bool may_receive_indicators(Tlp tlp, RecipientKind recipient);

struct MessageTemplate {
  std::string subject;
  std::string body;
};

// "{{name}}" is replaced by vars["name"]; an unknown name by nothing, so a
// template edited by an administrator can never leak a field it should not.
std::string render_template(std::string_view text, const std::map<std::string, std::string>& vars);

// The built-in template of an event in a language (id, en, zh); an
// administrator may replace any of them.
MessageTemplate default_template(NotificationEvent event, std::string_view language);

}  // namespace jaga
