#include "notify/mail.h"

#include <ctime>

#include "util/text.h"

namespace jaga::notify {

namespace {

bool is_plain_ascii(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

// The length of the longest prefix of at most `limit` bytes that does not
// cut a UTF-8 sequence in two.
size_t utf8_prefix(std::string_view text, size_t limit) {
  if (text.size() <= limit) return text.size();
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return end == 0 ? limit : end;
}

std::string address_field(std::string_view name, std::string_view address) {
  std::string clean_address = one_line(address);
  if (name.empty()) return clean_address;
  std::string clean_name = one_line(name);
  if (!is_plain_ascii(clean_name)) return encode_header_text(clean_name) + " <" + clean_address + ">";
  std::string quoted = "\"";
  for (char c : clean_name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\" <" + clean_address + ">";
}

std::string crlf_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    if (text[i] == '\n') out += "\r\n";
    else out += text[i];
  }
  return out;
}

}  // namespace

std::string encode_header_text(std::string_view text) {
  std::string clean = one_line(text);
  if (is_plain_ascii(clean)) return clean;
  // 39 bytes become 52 base64 characters: with "=?UTF-8?B?" and "?=" an
  // encoded word is 64 long, so that even after "Subject: " a line stays
  // under 78.
  std::string out;
  std::string_view rest = clean;
  while (!rest.empty()) {
    size_t take = utf8_prefix(rest, 39);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + to_base64(rest.substr(0, take)) + "?=";
    rest.remove_prefix(take);
  }
  return out;
}

std::string mail_date(TimePoint when) {
  std::time_t t = Clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&t, &utc);
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[utc.tm_wday], utc.tm_mday,
                months[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return buffer;
}

bool plausible_mail_address(std::string_view address) {
  if (address.size() > 254) return false;
  auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || address.find('@', at + 1) != std::string_view::npos) return false;
  auto domain = address.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.')
    return false;
  for (unsigned char c : address)
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '(' || c == ')' ||
        c == '[' || c == ']' || c == '\\')
      return false;
  return true;
}

std::string format_mail(const MailMessage& m) {
  std::string out;
  auto header = [&](std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
  };
  header("Date", mail_date(m.date));
  header("From", address_field(m.from_name, m.from_address));
  header("To", address_field(m.to_name, m.to_address));
  header("Subject", encode_header_text(m.subject));
  header("Message-ID", "<" + one_line(m.message_id) + ">");
  for (const auto& [name, value] : m.headers) header(one_line(name), encode_header_text(value));
  header("MIME-Version", "1.0");
  header("Content-Type", "text/plain; charset=UTF-8");
  header("Content-Transfer-Encoding", "base64");
  out += "\r\n";
  std::string encoded = to_base64(crlf_lines(m.body));
  for (size_t i = 0; i < encoded.size(); i += 76) out.append(encoded, i, 76).append("\r\n");
  return out;
}

}  // namespace jaga::notify
