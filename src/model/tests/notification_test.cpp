#include "model/notification.h"

#include <gtest/gtest.h>

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

TEST(Notification, EveryEventHasTextInEveryLanguage) {
  for (auto event : {NotificationEvent::incident_opened, NotificationEvent::status_changed, NotificationEvent::public_note,
                     NotificationEvent::sla_reminder}) {
    for (auto language : {"id", "en", "zh"}) {
      auto t = default_template(event, language);
      EXPECT_NE(t.subject.find("{{reference}}"), std::string::npos) << to_string(event) << " " << language;
      EXPECT_FALSE(t.body.empty());
    }
    EXPECT_EQ(default_template(event, "fr").subject, default_template(event, "en").subject) << "English when the language is unknown";
    EXPECT_EQ(parse_notification_event(to_string(event)), event);
  }
  EXPECT_NE(default_template(NotificationEvent::incident_opened, "zh").body.find("事件"), std::string::npos);
}

}  // namespace
}  // namespace jaga
