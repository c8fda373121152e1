#include "model/notification.h"

namespace jaga {

namespace {

struct EventName {
  NotificationEvent event;
  std::string_view name;
};
constexpr EventName event_names[] = {{NotificationEvent::incident_opened, "incident_opened"},
                                     {NotificationEvent::status_changed, "status_changed"},
                                     {NotificationEvent::public_note, "public_note"},
                                     {NotificationEvent::sla_reminder, "sla_reminder"}};

struct Default {
  NotificationEvent event;
  std::string_view language;
  std::string_view subject;
  std::string_view body;
};

// The footer names the desk and the reference, so that a reply can be matched.
constexpr Default defaults[] = {
    {NotificationEvent::incident_opened, "id", "[{{reference}}] Insiden siber yang melibatkan {{organisation}}",
     "Yth. {{organisation}},\n\nKami menangani insiden siber yang melibatkan sistem Anda.\n\n"
     "Nomor: {{reference}}\nJudul: {{title}}\nKategori: {{category}}\nTingkat: {{severity}}\nTLP: {{tlp}}\n\n"
     "{{indicators}}\nMohon balas email ini dengan menyebut nomor {{reference}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::incident_opened, "en", "[{{reference}}] Cyber incident involving {{organisation}}",
     "Dear {{organisation}},\n\nWe are handling a cyber incident that involves your systems.\n\n"
     "Reference: {{reference}}\nTitle: {{title}}\nCategory: {{category}}\nSeverity: {{severity}}\nTLP: {{tlp}}\n\n"
     "{{indicators}}\nPlease reply to this email quoting {{reference}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::incident_opened, "zh", "[{{reference}}] 涉及{{organisation}}的网络安全事件",
     "{{organisation}}：\n\n我们正在处理一起涉及贵单位系统的网络安全事件。\n\n"
     "编号：{{reference}}\n标题：{{title}}\n类别：{{category}}\n严重程度：{{severity}}\nTLP：{{tlp}}\n\n"
     "{{indicators}}\n回复本邮件时请注明编号 {{reference}}。\n\n-- {{desk}}\n"},
    {NotificationEvent::status_changed, "id", "[{{reference}}] Status: {{status}}",
     "Status insiden {{reference}} ({{title}}) sekarang: {{status}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::status_changed, "en", "[{{reference}}] Status: {{status}}",
     "The status of incident {{reference}} ({{title}}) is now: {{status}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::status_changed, "zh", "[{{reference}}] 状态：{{status}}",
     "事件 {{reference}}（{{title}}）的状态已更新为：{{status}}。\n\n-- {{desk}}\n"},
    {NotificationEvent::public_note, "id", "[{{reference}}] Kabar terbaru", "{{note}}\n\n-- {{desk}}\n"},
    {NotificationEvent::public_note, "en", "[{{reference}}] An update", "{{note}}\n\n-- {{desk}}\n"},
    {NotificationEvent::public_note, "zh", "[{{reference}}] 最新进展", "{{note}}\n\n-- {{desk}}\n"},
    {NotificationEvent::sla_reminder, "id", "[{{reference}}] Pengingat: batas waktu {{due}}",
     "Insiden {{reference}} ({{title}}) belum selesai; batas waktunya {{due}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::sla_reminder, "en", "[{{reference}}] Reminder: due {{due}}",
     "Incident {{reference}} ({{title}}) is not resolved yet; it is due {{due}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::sla_reminder, "zh", "[{{reference}}] 提醒：期限 {{due}}",
     "事件 {{reference}}（{{title}}）尚未解决；期限为 {{due}}。\n\n-- {{desk}}\n"},
};

}  // namespace

std::string_view to_string(NotificationEvent event) {
  for (const auto& e : event_names)
    if (e.event == event) return e.name;
  return "incident_opened";
}

std::optional<NotificationEvent> parse_notification_event(std::string_view text) {
  for (const auto& e : event_names)
    if (e.name == text) return e.event;
  return std::nullopt;
}

bool may_receive_indicators(Tlp tlp, RecipientKind recipient) {
  if (recipient == RecipientKind::reporter) return false;
  return tlp != Tlp::red;
}

std::string render_template(std::string_view text, const std::map<std::string, std::string>& vars) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    auto open = text.find("{{", i);
    if (open == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    std::string name(text.substr(open + 2, close - open - 2));
    if (auto it = vars.find(name); it != vars.end()) out += it->second;
    i = close + 2;
  }
  return out;
}

MessageTemplate default_template(NotificationEvent event, std::string_view language) {
  const Default* english = nullptr;
  for (const auto& d : defaults) {
    if (d.event != event) continue;
    if (d.language == language) return {std::string(d.subject), std::string(d.body)};
    if (d.language == "en") english = &d;
  }
  return english ? MessageTemplate{std::string(english->subject), std::string(english->body)} : MessageTemplate{};
}

}  // namespace jaga
