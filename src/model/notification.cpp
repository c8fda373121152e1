#include "model/notification.h"

#include <algorithm>

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
  RecipientKind recipient;
  std::string_view language;
  std::string_view subject;
  std::string_view body;
};

constexpr auto org = RecipientKind::organisation_contact;
constexpr auto reporter = RecipientKind::reporter;

// The subject carries the reference, so that a reply can be matched; the
// footer names the desk.
constexpr Default defaults[] = {
    {NotificationEvent::incident_opened, org, "id", "[{{reference}}] Insiden siber yang melibatkan {{organisation}}",
     "Yth. {{organisation}},\n\nKami menangani insiden siber yang melibatkan sistem Anda.\n\n"
     "Nomor: {{reference}}\nJudul: {{title}}\nKategori: {{category}}\nTingkat: {{severity}}\nTLP: {{tlp}}\n"
     "Batas waktu penyelesaian: {{due}}\n\n"
     "{{indicators}}\nMohon balas email ini dengan menyebut nomor {{reference}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::incident_opened, org, "en", "[{{reference}}] Cyber incident involving {{organisation}}",
     "Dear {{organisation}},\n\nWe are handling a cyber incident that involves your systems.\n\n"
     "Reference: {{reference}}\nTitle: {{title}}\nCategory: {{category}}\nSeverity: {{severity}}\nTLP: {{tlp}}\n"
     "To be resolved by: {{due}}\n\n"
     "{{indicators}}\nPlease reply to this email quoting {{reference}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::incident_opened, org, "zh", "[{{reference}}] 涉及{{organisation}}的网络安全事件",
     "{{organisation}}：\n\n我们正在处理一起涉及贵单位系统的网络安全事件。\n\n"
     "编号：{{reference}}\n标题：{{title}}\n类别：{{category}}\n严重程度：{{severity}}\nTLP：{{tlp}}\n"
     "解决期限：{{due}}\n\n"
     "{{indicators}}\n回复本邮件时请注明编号 {{reference}}。\n\n-- {{desk}}\n"},
    {NotificationEvent::status_changed, org, "id", "[{{reference}}] Status: {{status}}",
     "Status insiden {{reference}} ({{title}}) sekarang: {{status}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::status_changed, org, "en", "[{{reference}}] Status: {{status}}",
     "The status of incident {{reference}} ({{title}}) is now: {{status}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::status_changed, org, "zh", "[{{reference}}] 状态：{{status}}",
     "事件 {{reference}}（{{title}}）的状态已更新为：{{status}}。\n\n-- {{desk}}\n"},
    {NotificationEvent::public_note, org, "id", "[{{reference}}] Kabar terbaru", "{{note}}\n\n-- {{desk}}\n"},
    {NotificationEvent::public_note, org, "en", "[{{reference}}] An update", "{{note}}\n\n-- {{desk}}\n"},
    {NotificationEvent::public_note, org, "zh", "[{{reference}}] 最新进展", "{{note}}\n\n-- {{desk}}\n"},
    {NotificationEvent::sla_reminder, org, "id", "[{{reference}}] Pengingat: batas waktu {{due}}",
     "Insiden {{reference}} ({{title}}) belum selesai; batas waktunya {{due}}.\n"
     "Mohon kabari kami langkah yang sudah diambil.\n\n-- {{desk}}\n"},
    {NotificationEvent::sla_reminder, org, "en", "[{{reference}}] Reminder: due {{due}}",
     "Incident {{reference}} ({{title}}) is not resolved yet; it is due {{due}}.\n"
     "Please tell us what has been done so far.\n\n-- {{desk}}\n"},
    {NotificationEvent::sla_reminder, org, "zh", "[{{reference}}] 提醒：期限 {{due}}",
     "事件 {{reference}}（{{title}}）尚未解决；期限为 {{due}}。\n请告知目前已采取的措施。\n\n-- {{desk}}\n"},
    {NotificationEvent::incident_opened, reporter, "id", "Laporan {{tracking_code}} sedang ditangani",
     "Terima kasih atas laporan Anda. Laporan {{tracking_code}} sekarang ditangani sebagai insiden {{reference}}.\n\n"
     "Lihat perkembangannya di {{status_url}} dengan kode rahasia yang Anda terima saat melapor.\n\n-- {{desk}}\n"},
    {NotificationEvent::incident_opened, reporter, "en", "Your report {{tracking_code}} is being handled",
     "Thank you for your report. Report {{tracking_code}} is now handled as incident {{reference}}.\n\n"
     "Follow it at {{status_url}} with the secret you were given when you reported.\n\n-- {{desk}}\n"},
    {NotificationEvent::incident_opened, reporter, "zh", "您的报告 {{tracking_code}} 正在处理",
     "感谢您的报告。报告 {{tracking_code}} 已作为事件 {{reference}} 进行处理。\n\n"
     "请使用报告时获得的密钥在 {{status_url}} 查看进展。\n\n-- {{desk}}\n"},
    {NotificationEvent::status_changed, reporter, "id", "Laporan {{tracking_code}}: {{status}}",
     "Insiden yang berasal dari laporan {{tracking_code}} sekarang berstatus: {{status}}.\n\n"
     "Rinciannya ada di {{status_url}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::status_changed, reporter, "en", "Report {{tracking_code}}: {{status}}",
     "The incident your report {{tracking_code}} belongs to is now: {{status}}.\n\n"
     "Details are at {{status_url}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::status_changed, reporter, "zh", "报告 {{tracking_code}}：{{status}}",
     "与您的报告 {{tracking_code}} 相关的事件状态已更新为：{{status}}。\n\n详情请见 {{status_url}}。\n\n-- {{desk}}\n"},
    {NotificationEvent::public_note, reporter, "id", "Kabar terbaru untuk laporan {{tracking_code}}",
     "{{note}}\n\nLihat laporan Anda di {{status_url}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::public_note, reporter, "en", "An update on report {{tracking_code}}",
     "{{note}}\n\nSee your report at {{status_url}}.\n\n-- {{desk}}\n"},
    {NotificationEvent::public_note, reporter, "zh", "报告 {{tracking_code}} 的最新进展",
     "{{note}}\n\n请在 {{status_url}} 查看您的报告。\n\n-- {{desk}}\n"},
};

struct StatusLabel {
  IncidentStatus status;
  std::string_view id, en, zh;
};
constexpr StatusLabel status_labels[] = {
    {IncidentStatus::new_, "baru", "new", "新建"},
    {IncidentStatus::triaged, "sudah ditelaah", "triaged", "已分诊"},
    {IncidentStatus::in_progress, "sedang ditangani", "in progress", "处理中"},
    {IncidentStatus::waiting_on_organisation, "menunggu tindakan organisasi", "waiting on the organisation", "等待单位处理"},
    {IncidentStatus::resolved, "selesai ditangani", "resolved", "已解决"},
    {IncidentStatus::closed, "ditutup", "closed", "已关闭"},
};

std::string_view in_language(std::string_view language, std::string_view id, std::string_view en, std::string_view zh) {
  if (language == "id") return id;
  if (language == "zh") return zh;
  return en;
}

// The indicators as a block of the body: a heading and one line each, or
// the reason they are left out.
std::string indicator_block(const NotificationFacts& facts, const Recipient& recipient) {
  if (recipient.kind != RecipientKind::organisation_contact || facts.indicators.empty()) return "";
  if (!may_receive_indicators(facts.tlp, recipient.kind))
    return std::string(in_language(recipient.language, "Indikator berlabel TLP:RED tidak dikirim lewat email; silakan hubungi kami.",
                                   "Indicators labelled TLP:RED are not sent by email; please call us.",
                                   "TLP:RED 级别的指标不通过电子邮件发送，请与我们联系。")) + "\n";
  auto shown = indicators_for(facts, recipient);
  if (shown.empty()) return "";
  std::string out(in_language(recipient.language, "Indikator", "Indicators", "指标"));
  out += " (" + std::string(to_string(facts.tlp)) + "):\n";
  for (const auto& i : shown) out += "- " + i.type + ": " + i.value + "\n";
  return out;
}

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

MessageTemplate default_template(NotificationEvent event, RecipientKind recipient, std::string_view language) {
  const Default* english = nullptr;
  for (const auto& d : defaults) {
    if (d.event != event || d.recipient != recipient) continue;
    if (d.language == language) return {std::string(d.subject), std::string(d.body)};
    if (d.language == "en") english = &d;
  }
  return english ? MessageTemplate{std::string(english->subject), std::string(english->body)} : MessageTemplate{};
}

std::string_view to_string(RecipientKind kind) {
  return kind == RecipientKind::reporter ? "reporter" : "organisation";
}

std::optional<RecipientKind> parse_recipient_kind(std::string_view text) {
  if (text == "organisation" || text == "organization") return RecipientKind::organisation_contact;
  if (text == "reporter") return RecipientKind::reporter;
  return std::nullopt;
}

bool event_reaches(NotificationEvent event, RecipientKind recipient, std::optional<IncidentStatus> new_status) {
  if (recipient == RecipientKind::organisation_contact) return true;
  switch (event) {
    case NotificationEvent::incident_opened:
    case NotificationEvent::public_note:
      return true;
    case NotificationEvent::status_changed:
      return new_status == IncidentStatus::resolved || new_status == IncidentStatus::closed;
    case NotificationEvent::sla_reminder:
      return false;
  }
  return false;
}

std::vector<std::string> template_fields(RecipientKind recipient) {
  if (recipient == RecipientKind::reporter) return {"tracking_code", "reference", "status", "status_url", "note", "desk"};
  return {"organisation", "reference", "title", "category", "severity", "tlp", "status", "due", "indicators", "note", "desk"};
}

std::string status_label(IncidentStatus status, std::string_view language) {
  for (const auto& l : status_labels)
    if (l.status == status) return std::string(in_language(language, l.id, l.en, l.zh));
  return std::string(to_string(status));
}

std::vector<Indicator> indicators_for(const NotificationFacts& facts, const Recipient& recipient) {
  if (!may_receive_indicators(facts.tlp, recipient.kind)) return {};
  std::vector<Indicator> out;
  for (const auto& indicator : facts.indicators) {
    auto routed = facts.routed.find(indicator.value);
    bool someone_elses = routed != facts.routed.end() && !routed->second.empty() &&
                         std::find(routed->second.begin(), routed->second.end(), recipient.organisation_id) == routed->second.end();
    if (!someone_elses) out.push_back(indicator);
  }
  return out;
}

MessageTemplate compose_message(const NotificationFacts& facts, const Recipient& recipient, const MessageTemplate& tmpl) {
  std::map<std::string, std::string> vars{
      {"reference", facts.reference},
      {"status", status_label(facts.status, recipient.language)},
      {"note", facts.note},
      {"desk", facts.desk},
  };
  if (recipient.kind == RecipientKind::organisation_contact) {
    vars["organisation"] = recipient.organisation;
    vars["title"] = facts.title;
    vars["category"] = facts.category;
    vars["severity"] = std::string(to_string(facts.severity));
    vars["tlp"] = std::string(to_string(facts.tlp));
    vars["due"] = facts.resolution_due;
    vars["indicators"] = indicator_block(facts, recipient);
  } else {
    // A reporter is told of the report they filed, not of the incident's
    // details, which may come from other people's reports.
    vars["tracking_code"] = recipient.tracking_code;
    vars["status_url"] = facts.public_url + "/status/" + recipient.tracking_code;
  }
  // A subject is one line, whatever a template or a title holds.
  std::string subject = render_template(tmpl.subject, vars);
  for (char& c : subject)
    if (c == '\r' || c == '\n') c = ' ';
  return {subject, render_template(tmpl.body, vars)};
}

std::optional<std::chrono::seconds> retry_delay(const RetryPolicy& policy, int failed_attempts) {
  if (failed_attempts >= policy.max_attempts) return std::nullopt;
  auto delay = policy.base;
  for (int i = 1; i < failed_attempts && delay < policy.max_delay; ++i) delay *= 4;
  return std::min(delay, policy.max_delay);
}

std::string_view to_string(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::queued: return "queued";
    case DeliveryStatus::sent: return "sent";
    case DeliveryStatus::failed: return "failed";
  }
  return "queued";
}

std::optional<DeliveryStatus> parse_delivery_status(std::string_view text) {
  for (auto s : {DeliveryStatus::queued, DeliveryStatus::sent, DeliveryStatus::failed})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

}  // namespace jaga
