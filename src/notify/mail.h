// Email as it goes over the wire (RFC 5322 with MIME): UTF-8 subjects and
// names as RFC 2047 encoded words, the body in base64 so that Indonesian,
// English and Chinese text arrive unchanged whatever the relay does. Pure.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/time.h"

namespace jaga::notify {

struct MailMessage {
  std::string from_address;
  std::string from_name;
  std::string to_address;
  std::string to_name;
  std::string subject;  // UTF-8
  std::string body;     // UTF-8, lines ending in \n
  std::string message_id;  // without angle brackets: "outbox-42@desk.example"
  TimePoint date;
  std::vector<std::pair<std::string, std::string>> headers;  // more, e.g. X-Jaga-Reference
};

// The message with CRLF line ends, ready for SMTP DATA. Header values lose
// any CR or LF, so no field can add a header of its own.
std::string format_mail(const MailMessage& message);

// A header text as RFC 2047 encoded words when it is not plain ASCII,
// folded so that no line is longer than 78 characters.
std::string encode_header_text(std::string_view text);

// "Tue, 25 Nov 2026 14:28:58 +0000"
std::string mail_date(TimePoint when);

// A plain addr-spec check, enough to refuse what SMTP would: one @, a
// local part and a domain with a dot, no spaces, brackets or control characters.
bool plausible_mail_address(std::string_view address);

}  // namespace jaga::notify
