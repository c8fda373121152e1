#include "app/settings.h"

#include <charconv>
#include <functional>
#include <vector>

#include "notify/mail.h"
#include "util/ini.h"
#include "util/text.h"

namespace jaga {

namespace {

struct Key {
  const char* section;
  const char* name;
  std::function<Status(Settings&, const std::string&)> apply;
};

Status parse_int(const std::string& text, int min, int max, int& out, const char* name) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return Error::invalid(std::string(name) + " must be a whole number from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", not '" + text + "'");
  out = value;
  return {};
}

Status parse_double(const std::string& text, double min, double max, double& out, const char* name) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || value < min || value > max)
    return Error::invalid(std::string(name) + " must be a number from " + std::to_string(static_cast<int>(min)) +
                          " to " + std::to_string(static_cast<int>(max)) + ", not '" + text + "'");
  out = value;
  return {};
}

Status parse_bool(const std::string& text, bool& out, const char* name) {
  std::string t = to_lower_ascii(text);
  if (t == "true" || t == "1" || t == "yes" || t == "on") out = true;
  else if (t == "false" || t == "0" || t == "no" || t == "off") out = false;
  else return Error::invalid(std::string(name) + " must be true or false, not '" + text + "'");
  return {};
}

#define STRING_KEY(section, field) \
  Key{section, #field, [](Settings& s, const std::string& v) -> Status { s.field = v; return {}; }}
#define INT_KEY(section, field, min, max) \
  Key{section, #field, [](Settings& s, const std::string& v) { return parse_int(v, min, max, s.field, #field); }}
#define DOUBLE_KEY(section, field, min, max) \
  Key{section, #field, [](Settings& s, const std::string& v) { return parse_double(v, min, max, s.field, #field); }}
#define BOOL_KEY(section, field) \
  Key{section, #field, [](Settings& s, const std::string& v) { return parse_bool(v, s.field, #field); }}

const std::vector<Key>& keys() {
  static const std::vector<Key> all = {
      STRING_KEY("server", listen),
      STRING_KEY("server", public_url),
      STRING_KEY("server", web_root),
      STRING_KEY("server", tls_certificate),
      STRING_KEY("server", tls_private_key),
      INT_KEY("server", threads, 0, 64),
      BOOL_KEY("server", access_log),
      STRING_KEY("store", data_dir),
      INT_KEY("reports", pow_difficulty, 0, 28),
      DOUBLE_KEY("reports", report_rate_per_minute, 0, 1000000),
      DOUBLE_KEY("reports", report_burst, 1, 1000000),
      INT_KEY("reports", max_attachments, 0, 50),
      INT_KEY("reports", max_attachment_mib, 1, 100),
      STRING_KEY("reports", calling_code),
      DOUBLE_KEY("desk", sign_in_rate_per_minute, 0, 100000),
      INT_KEY("desk", session_hours, 1, 168),
      INT_KEY("sla", critical_response_hours, 1, 8760),
      INT_KEY("sla", critical_resolution_hours, 1, 8760),
      INT_KEY("sla", high_response_hours, 1, 8760),
      INT_KEY("sla", high_resolution_hours, 1, 8760),
      INT_KEY("sla", medium_response_hours, 1, 8760),
      INT_KEY("sla", medium_resolution_hours, 1, 8760),
      INT_KEY("sla", low_response_hours, 1, 8760),
      INT_KEY("sla", low_resolution_hours, 1, 8760),
      STRING_KEY("notifications", desk_name),
      INT_KEY("notifications", notification_retry_seconds, 1, 86400),
      INT_KEY("notifications", notification_attempts, 1, 100),
      INT_KEY("notifications", reminder_hours, 0, 8760),
      INT_KEY("notifications", reminder_interval_seconds, 1, 86400),
      STRING_KEY("smtp", smtp_url),
      STRING_KEY("smtp", smtp_from),
      STRING_KEY("smtp", smtp_username),
      STRING_KEY("smtp", smtp_password),
      STRING_KEY("smtp", smtp_tls),
      INT_KEY("smtp", smtp_timeout_seconds, 1, 600),
      INT_KEY("monitor", monitor_down_after, 1, 100),
      INT_KEY("monitor", monitor_max_checks, 1, 20000),
      INT_KEY("monitor", monitor_per_host, 1, 100),
      INT_KEY("monitor", monitor_per_address, 1, 100),
      INT_KEY("monitor", monitor_timeout_seconds, 1, 120),
      INT_KEY("monitor", monitor_gather_ms, 0, 5000),
      STRING_KEY("monitor", monitor_ca_file),
      STRING_KEY("log", log_level),
  };
  return all;
}

}  // namespace

std::string Settings::host() const {
  auto colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return host;
}

std::string Settings::base_url() const {
  std::string url = public_url;
  if (url.empty()) url = (tls_certificate.empty() ? "http://" : "https://") + listen;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

uint16_t Settings::port() const {
  auto colon = listen.rfind(':');
  return static_cast<uint16_t>(std::stoi(listen.substr(colon + 1)));
}

Status apply_setting(Settings& settings, const std::string& key, const std::string& value) {
  for (const auto& k : keys())
    if (key == k.name) return k.apply(settings, value);
  return Error::invalid("unknown setting '" + key + "'");
}

Status apply_config_file(Settings& settings, std::string_view text) {
  auto entries = parse_ini(text);
  if (!entries) return entries.error();
  for (const auto& e : *entries) {
    const Key* match = nullptr;
    for (const auto& k : keys())
      if (e.key == k.name && (e.section.empty() || e.section == k.section)) match = &k;
    if (!match) {
      std::string where = e.section.empty() ? "" : " in [" + e.section + "]";
      return Error::invalid("line " + std::to_string(e.line) + ": unknown key '" + e.key + "'" + where);
    }
    if (auto st = match->apply(settings, e.value); !st)
      return Error::invalid("line " + std::to_string(e.line) + ": " + st.error().message);
  }
  return {};
}

Status apply_environment(Settings& settings, const std::map<std::string, std::string>& environment) {
  for (const auto& k : keys()) {
    std::string name = "JAGA_";
    for (const char* c = k.name; *c; ++c) name += static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
    auto it = environment.find(name);
    if (it == environment.end()) continue;
    if (auto st = k.apply(settings, it->second); !st) return Error::invalid(name + ": " + st.error().message);
  }
  return {};
}

Status validate(const Settings& s) {
  auto colon = s.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return Error::invalid("listen must be HOST:PORT, not '" + s.listen + "'");
  int port = 0;
  if (auto st = parse_int(s.listen.substr(colon + 1), 0, 65535, port, "the port in listen"); !st) return st;
  if (s.log_level != "debug" && s.log_level != "info" && s.log_level != "warn" && s.log_level != "error")
    return Error::invalid("log_level must be debug, info, warn or error");
  if (s.calling_code.empty() || s.calling_code.size() > 3 || s.calling_code.find_first_not_of("0123456789") != std::string::npos)
    return Error::invalid("calling_code must be 1 to 3 digits, such as 62");
  if (s.tls_certificate.empty() != s.tls_private_key.empty())
    return Error::invalid("set both tls_certificate and tls_private_key, or neither");
  if (!s.smtp_url.empty() && !starts_with_icase(s.smtp_url, "smtp://") && !starts_with_icase(s.smtp_url, "smtps://"))
    return Error::invalid("smtp_url must start with smtp:// or smtps://, not '" + s.smtp_url + "'");
  if (s.smtp_tls != "none" && s.smtp_tls != "try" && s.smtp_tls != "required")
    return Error::invalid("smtp_tls must be none, try or required, not '" + s.smtp_tls + "'");
  if (!s.smtp_from.empty() && !notify::plausible_mail_address(s.smtp_from))
    return Error::invalid("smtp_from must be an email address, not '" + s.smtp_from + "'");
  return {};
}

}  // namespace jaga
