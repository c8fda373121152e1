// jaga's settings and where they come from. Later sources override earlier
// ones: built-in defaults, then the configuration file (TOML/INI subset), then
// JAGA_* environment variables, then command-line flags. Every key is listed
// in one table (settings.cpp), which docs/CONFIGURATION.md mirrors.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "util/result.h"

namespace jaga {

struct Settings {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./var";
  std::string web_root;  // empty: next to the binary or in the source tree
  std::string public_url;
  std::string tls_certificate;
  std::string tls_private_key;
  int threads = 0;  // 0: one per core
  int pow_difficulty = 16;
  double report_rate_per_minute = 10;
  double report_burst = 20;
  double sign_in_rate_per_minute = 10;
  int max_attachments = 10;
  int max_attachment_mib = 10;
  int session_hours = 8;
  // Service levels: hours to the first response and to resolution.
  int critical_response_hours = 1, critical_resolution_hours = 24;
  int high_response_hours = 4, high_resolution_hours = 72;
  int medium_response_hours = 24, medium_resolution_hours = 168;
  int low_response_hours = 72, low_resolution_hours = 720;
  std::string calling_code = "62";
  // Notifications: the desk's name under every message, the mail server,
  // retries and SLA reminders.
  std::string desk_name = "jaga";
  std::string smtp_url;  // smtp://host:port or smtps://host:port; empty: messages wait in the outbox
  std::string smtp_from;
  std::string smtp_username;
  std::string smtp_password;
  std::string smtp_tls = "try";
  int smtp_timeout_seconds = 30;
  int notification_retry_seconds = 60;
  int notification_attempts = 8;
  int reminder_hours = 24;
  int reminder_interval_seconds = 300;
  // The website monitor: failed checks in a row before a site is down,
  // checks at once, checks of one host at once, seconds per request, and
  // certificate authorities to trust beside the system's (test sites).
  int monitor_down_after = 3;
  int monitor_max_checks = 500;
  int monitor_per_host = 2;
  int monitor_per_address = 4;  // of one IP address, whatever the names on it
  int monitor_timeout_seconds = 10;
  int monitor_gather_ms = 1000;  // checks due within this long of the first due start with it
  std::string monitor_ca_file;
  std::string log_level = "info";
  bool access_log = true;

  std::string host() const;
  // public_url, or the listen address when none is set.
  std::string base_url() const;
  uint16_t port() const;
};

// Applies "section.key" = value from the file text; errors name the line.
Status apply_config_file(Settings& settings, std::string_view text);
// Applies JAGA_<KEY> variables from `environment` (name -> value).
Status apply_environment(Settings& settings, const std::map<std::string, std::string>& environment);
// Applies one setting by its key (as flags and the environment name them).
Status apply_setting(Settings& settings, const std::string& key, const std::string& value);
Status validate(const Settings& settings);

}  // namespace jaga
