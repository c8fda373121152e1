#include "model/notification.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace jaga {
namespace {

TEST(Notification, TlpDecidesWhoMayReceiveIndicatorsByEmail) {
  for (Tlp tlp : {Tlp::clear, Tlp::green, Tlp::amber, Tlp::amber_strict})
    EXPECT_TRUE(may_receive_indicators(tlp, RecipientKind::organisation_contact)) << to_string(tlp);
  EXPECT_FALSE(may_receive_indicators(Tlp::red, RecipientKind::organisation_contact)) << "RED is never emailed";
  EXPECT_FALSE(may_receive_indicators(Tlp::clear, RecipientKind::reporter)) << "reporters get status and notes only";
}

TEST(Notification, TemplatesFillKnownFieldsAndDropUnknownOnes) {
  std::map<std::string, std::string> vars{{"reference", "INC-2026-000042"}, {"title", "Deface"}};
  EXPECT_EQ(render_template("[{{reference}}] {{title}} {{secret}}!", vars), "[INC-2026-000042] Deface !");
  EXPECT_EQ(render_template("no fields, {{unclosed", vars), "no fields, {{unclosed");
  EXPECT_EQ(render_template("{{reference}}{{reference}}", vars), "INC-2026-000042INC-2026-000042");
}

TEST(Notification, EveryEventHasTextInEveryLanguageForEveryoneItReaches) {
  for (auto event : kNotificationEvents) {
    for (auto recipient : {RecipientKind::organisation_contact, RecipientKind::reporter}) {
      if (!event_reaches(event, recipient, IncidentStatus::resolved)) continue;
      for (auto language : kNotificationLanguages) {
        auto t = default_template(event, recipient, language);
        EXPECT_FALSE(t.subject.empty()) << to_string(event) << " " << to_string(recipient) << " " << language;
        EXPECT_NE(t.body.find("{{desk}}"), std::string::npos) << "signed by the desk";
        // Every field a template names is one the editor offers.
        auto fields = template_fields(recipient);
        for (size_t at = t.body.find("{{"); at != std::string::npos; at = t.body.find("{{", at + 2)) {
          auto name = t.body.substr(at + 2, t.body.find("}}", at) - at - 2);
          EXPECT_NE(std::find(fields.begin(), fields.end(), name), fields.end()) << name;
        }
      }
      EXPECT_EQ(default_template(event, recipient, "fr").subject, default_template(event, recipient, "en").subject)
          << "English when the language is unknown";
    }
    EXPECT_EQ(parse_notification_event(to_string(event)), event);
  }
  EXPECT_NE(default_template(NotificationEvent::incident_opened, RecipientKind::organisation_contact, "zh").body.find("事件"),
            std::string::npos);
  EXPECT_NE(default_template(NotificationEvent::incident_opened, RecipientKind::reporter, "en").subject.find("{{tracking_code}}"),
            std::string::npos);
}

TEST(Notification, ReportersHearOfTheStartTheNotesAndTheEndOnly) {
  auto reporter = RecipientKind::reporter;
  EXPECT_TRUE(event_reaches(NotificationEvent::incident_opened, reporter));
  EXPECT_TRUE(event_reaches(NotificationEvent::public_note, reporter));
  EXPECT_TRUE(event_reaches(NotificationEvent::status_changed, reporter, IncidentStatus::resolved));
  EXPECT_FALSE(event_reaches(NotificationEvent::status_changed, reporter, IncidentStatus::waiting_on_organisation));
  EXPECT_FALSE(event_reaches(NotificationEvent::sla_reminder, reporter));
  EXPECT_TRUE(event_reaches(NotificationEvent::status_changed, RecipientKind::organisation_contact, IncidentStatus::in_progress));
  EXPECT_TRUE(event_reaches(NotificationEvent::sla_reminder, RecipientKind::organisation_contact));
}

NotificationFacts sample_facts() {
  NotificationFacts facts;
  facts.reference = "INC-2026-000042";
  facts.title = "Phishing page on the tax portal\r\nBcc: someone@example.org";
  facts.category = "fraud:phishing";
  facts.severity = Severity::high;
  facts.tlp = Tlp::amber;
  facts.status = IncidentStatus::waiting_on_organisation;
  facts.resolution_due = "2026-11-28T10:00:00Z";
  facts.desk = "Pusat Kontak Siber";
  facts.public_url = "https://lapor.example.go.id";
  facts.indicators = {{"url", "http://pajak-contoh.go.id.evil.example/login", "text"},
                      {"domain", "sso.pajak-contoh.go.id", "text"},
                      {"ipv4", "103.10.20.5", "text"}};
  facts.routed = {{"sso.pajak-contoh.go.id", {7}}, {"103.10.20.5", {9}}};
  return facts;
}

Recipient contact_of(int64_t organisation_id, std::string language) {
  Recipient r;
  r.kind = RecipientKind::organisation_contact;
  r.address = "csirt@pajak-contoh.go.id";
  r.organisation_id = organisation_id;
  r.organisation = "Direktorat Pajak Contoh";
  r.language = std::move(language);
  return r;
}

TEST(Notification, AnOrganisationGetsTheSharedIndicatorsAndItsOwnButNotAnothersAssets) {
  auto facts = sample_facts();
  auto shown = indicators_for(facts, contact_of(7, "en"));
  ASSERT_EQ(shown.size(), 2u);
  EXPECT_EQ(shown[0].value, "http://pajak-contoh.go.id.evil.example/login") << "attacker infrastructure is for everyone";
  EXPECT_EQ(shown[1].value, "sso.pajak-contoh.go.id") << "its own asset";
  auto message = compose_message(facts, contact_of(7, "en"),
                                 default_template(NotificationEvent::incident_opened, RecipientKind::organisation_contact, "en"));
  EXPECT_NE(message.body.find("Indicators (TLP:AMBER):\n- url: http://pajak-contoh.go.id.evil.example/login\n"), std::string::npos)
      << message.body;
  EXPECT_EQ(message.body.find("103.10.20.5"), std::string::npos) << "organisation 9's address";
  EXPECT_NE(message.body.find("Dear Direktorat Pajak Contoh,"), std::string::npos);
  EXPECT_NE(message.body.find("To be resolved by: 2026-11-28T10:00:00Z"), std::string::npos);
  EXPECT_EQ(message.subject.find('\n'), std::string::npos);
}

TEST(Notification, RedIncidentsAreNotEmailedWithIndicatorsAndSaySo) {
  auto facts = sample_facts();
  facts.tlp = Tlp::red;
  auto message = compose_message(facts, contact_of(7, "id"),
                                 default_template(NotificationEvent::incident_opened, RecipientKind::organisation_contact, "id"));
  EXPECT_EQ(message.body.find("evil.example"), std::string::npos) << message.body;
  EXPECT_NE(message.body.find("TLP:RED tidak dikirim lewat email"), std::string::npos) << message.body;
}

TEST(Notification, AReporterIsToldOfTheirReportNotOfTheIncidentsDetails) {
  auto facts = sample_facts();
  facts.status = IncidentStatus::resolved;
  Recipient reporter;
  reporter.kind = RecipientKind::reporter;
  reporter.address = "warga@example.org";
  reporter.language = "zh";
  reporter.tracking_code = "JG-ABCD-2345";
  auto message = compose_message(facts, reporter, default_template(NotificationEvent::status_changed, RecipientKind::reporter, "zh"));
  EXPECT_EQ(message.subject, "报告 JG-ABCD-2345：已解决");
  EXPECT_NE(message.body.find("https://lapor.example.go.id/status/JG-ABCD-2345"), std::string::npos);
  // Even a template that asks for the incident's fields gets nothing for a reporter.
  auto nosy = compose_message(facts, reporter, {"{{title}}", "{{indicators}}{{organisation}}{{tlp}}"});
  EXPECT_EQ(nosy.subject, "");
  EXPECT_EQ(nosy.body, "");
}

TEST(Notification, StatusesAreNamedInTheReadersLanguage) {
  EXPECT_EQ(status_label(IncidentStatus::waiting_on_organisation, "id"), "menunggu tindakan organisasi");
  EXPECT_EQ(status_label(IncidentStatus::in_progress, "en"), "in progress");
  EXPECT_EQ(status_label(IncidentStatus::closed, "zh"), "已关闭");
}

TEST(Notification, RetriesBackOffFourfoldThenGiveUp) {
  RetryPolicy policy;  // 60 s, up to 6 h, 8 attempts
  EXPECT_EQ(retry_delay(policy, 1), std::chrono::seconds(60));
  EXPECT_EQ(retry_delay(policy, 2), std::chrono::seconds(240));
  EXPECT_EQ(retry_delay(policy, 3), std::chrono::seconds(960));
  EXPECT_EQ(retry_delay(policy, 6), std::chrono::seconds(6 * 3600)) << "capped";
  EXPECT_EQ(retry_delay(policy, 7), std::chrono::seconds(6 * 3600));
  EXPECT_EQ(retry_delay(policy, 8), std::nullopt) << "the eighth failure is the last";
  for (auto s : {DeliveryStatus::queued, DeliveryStatus::sent, DeliveryStatus::failed})
    EXPECT_EQ(parse_delivery_status(to_string(s)), s);
  EXPECT_EQ(parse_recipient_kind("organization"), RecipientKind::organisation_contact);
}

}  // namespace
}  // namespace jaga
