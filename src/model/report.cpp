#include "model/report.h"

#include <cctype>

namespace jaga {

namespace {
struct ChannelName { Channel channel; std::string_view name; };
constexpr ChannelName channel_names[] = {{Channel::web, "web"},
                                         {Channel::phone, "phone"},
                                         {Channel::walk_in, "walk-in"},
                                         {Channel::letter, "letter"},
                                         {Channel::email, "email"}};
struct StatusName { ReportStatus status; std::string_view name; };
constexpr StatusName status_names[] = {{ReportStatus::received, "received"},
                                       {ReportStatus::in_review, "in_review"},
                                       {ReportStatus::incident_opened, "incident_opened"},
                                       {ReportStatus::resolved, "resolved"},
                                       {ReportStatus::closed, "closed"},
                                       {ReportStatus::spam, "spam"},
                                       {ReportStatus::duplicate, "duplicate"}};
}  // namespace

std::string_view to_string(Channel channel) {
  for (const auto& c : channel_names)
    if (c.channel == channel) return c.name;
  return "web";
}

std::optional<Channel> parse_channel(std::string_view text) {
  for (const auto& c : channel_names)
    if (c.name == text) return c.channel;
  return std::nullopt;
}

std::string_view to_string(ReportStatus status) {
  for (const auto& s : status_names)
    if (s.status == status) return s.name;
  return "received";
}

std::optional<ReportStatus> parse_report_status(std::string_view text) {
  for (const auto& s : status_names)
    if (s.name == text) return s.status;
  return std::nullopt;
}

}  // namespace jaga

#include "model/user.h"

namespace jaga {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::administrator: return "administrator";
    case Role::analyst: return "analyst";
    case Role::operator_: return "operator";
    case Role::organisation_contact: return "organisation-contact";
    case Role::partner_liaison: return "partner-liaison";
  }
  return "operator";
}

std::optional<Role> parse_role(std::string_view text) {
  // Names as people write them: underscores or hyphens, either spelling of
  // organisation, and the short forms.
  std::string name(text);
  for (char& c : name) c = c == '_' || c == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (auto at = name.find("organization"); at != std::string::npos) name.replace(at, 12, "organisation");
  for (Role role : kAllRoles)
    if (name == to_string(role)) return role;
  if (name == "admin") return Role::administrator;
  if (name == "desk-operator") return Role::operator_;
  if (name == "org-contact" || name == "contact") return Role::organisation_contact;
  if (name == "liaison" || name == "partner") return Role::partner_liaison;
  return std::nullopt;
}

}  // namespace jaga
