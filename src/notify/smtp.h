// Sending one message over SMTP with libcurl: STARTTLS when the server
// offers it (or always, or never), optional authentication, a time limit.
// The answer says whether a failure is worth retrying: a 5xx reply is the
// server's final word, anything else (no connection, 4xx, a timeout) may pass.
#pragma once

#include <memory>
#include <string>

namespace jaga::notify {

struct SmtpSettings {
  std::string url;  // smtp://host:port or smtps://host:port; empty: nothing is sent
  std::string from;
  std::string username;
  std::string password;
  std::string tls = "try";  // none, try, required (STARTTLS on smtp://)
  int timeout_seconds = 30;
};

struct SendResult {
  bool sent = false;
  bool permanent = false;  // a 5xx reply: retrying will not help
  int smtp_code = 0;       // the server's last reply code, 0 when it never answered
  std::string error;       // for people: what went wrong
};

class MailSender {
 public:
  virtual ~MailSender() = default;
  // `message` is a whole RFC 5322 message with CRLF line ends.
  virtual SendResult send(const std::string& from, const std::string& to, const std::string& message) = 0;
};

std::unique_ptr<MailSender> make_smtp_sender(SmtpSettings settings);

}  // namespace jaga::notify
