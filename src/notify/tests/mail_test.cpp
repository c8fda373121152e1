#include "notify/mail.h"

#include <gtest/gtest.h>

#include "util/text.h"

namespace jaga::notify {
namespace {

MailMessage sample() {
  MailMessage m;
  m.from_address = "desk@lapor.example.go.id";
  m.from_name = "Pusat Kontak Siber";
  m.to_address = "csirt@pajak-contoh.go.id";
  m.to_name = "Tim CSIRT \"Pajak\"";
  m.subject = "[INC-2026-000042] 涉及税务局的网络安全事件";
  m.body = "第一行\nSecond line\n";
  m.message_id = "outbox-42@lapor.example.go.id";
  m.date = *parse_rfc3339("2026-11-25T14:28:58Z");
  m.headers = {{"X-Jaga-Reference", "INC-2026-000042"}};
  return m;
}

std::string header_of(const std::string& mail, const std::string& name) {
  auto at = mail.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return mail.substr(at, mail.find("\r\n", at) - at);
}

TEST(Mail, HeadersAreEncodedAndTheBodyArrivesUnchanged) {
  auto mail = format_mail(sample());
  EXPECT_EQ(mail.substr(0, 37), "Date: Wed, 25 Nov 2026 14:28:58 +0000");
  EXPECT_EQ(header_of(mail, "From"), "\"Pusat Kontak Siber\" <desk@lapor.example.go.id>");
  EXPECT_EQ(header_of(mail, "To"), "\"Tim CSIRT \\\"Pajak\\\"\" <csirt@pajak-contoh.go.id>");
  EXPECT_EQ(header_of(mail, "Message-ID"), "<outbox-42@lapor.example.go.id>");
  EXPECT_EQ(header_of(mail, "X-Jaga-Reference"), "INC-2026-000042");
  EXPECT_EQ(header_of(mail, "Subject").substr(0, 10), "=?UTF-8?B?");
  // The encoded words decode back to the subject.
  std::string subject, decoded;
  auto start = mail.find("Subject: ") + 9;
  auto value = mail.substr(start, mail.find("\r\nMessage-ID") - start);
  for (size_t at = value.find("=?UTF-8?B?"); at != std::string::npos; at = value.find("=?UTF-8?B?", at + 1)) {
    auto end = value.find("?=", at + 10);
    ASSERT_LE(end - at + 2, 75u) << "RFC 2047 limits an encoded word to 75 characters";
    ASSERT_TRUE(decode_base64(value.substr(at + 10, end - at - 10), decoded));
    subject += decoded;
  }
  EXPECT_EQ(subject, sample().subject);
  auto body_start = mail.find("\r\n\r\n") + 4;
  ASSERT_TRUE(decode_base64(mail.substr(body_start), decoded));
  EXPECT_EQ(decoded, "第一行\r\nSecond line\r\n") << "canonical CRLF line ends";
  for (size_t at = 0, next; (next = mail.find("\r\n", at)) != std::string::npos; at = next + 2)
    EXPECT_LE(next - at, 78u) << "no line longer than 78 characters";
}

TEST(Mail, NoFieldCanAddAHeader) {
  auto m = sample();
  m.subject = "Hello\r\nBcc: victim@example.org";
  m.to_name = "Name\nBcc: other@example.org";
  auto mail = format_mail(m);
  EXPECT_EQ(mail.find("\r\nBcc:"), std::string::npos);
  EXPECT_EQ(mail.find("\nBcc:"), std::string::npos);
  EXPECT_EQ(header_of(mail, "Subject"), "Hello  Bcc: victim@example.org");
}

TEST(Mail, AddressesThatSmtpWouldRefuseAreRefusedFirst) {
  for (auto good : {"csirt@pajak-contoh.go.id", "a.b+tag@sub.example.org"}) EXPECT_TRUE(plausible_mail_address(good)) << good;
  for (auto bad : {"", "no-at.example.org", "@example.org", "a@b", "a@@example.org", "a b@example.org",
                   "a@example.org>\r\nRCPT TO:<x@y.z", "a@example.org.", "<a@example.org>"})
    EXPECT_FALSE(plausible_mail_address(bad)) << bad;
}

}  // namespace
}  // namespace jaga::notify
