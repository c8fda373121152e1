#include "app/app.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "api/context.h"
#include "api/routes.h"
#include "http/server.h"
#include "notify/delivery.h"
#include "taxii/intake.h"
#include "taxii/sync_service.h"
#include "monitor/service.h"
#include "util/crypto.h"
#include "util/log.h"

namespace jaga {

namespace fs = std::filesystem;

Result<std::unique_ptr<Store>> open_store(const Settings& settings) {
  std::error_code ec;
  fs::create_directories(settings.data_dir, ec);
  if (ec) return Error::invalid("cannot create the data directory " + settings.data_dir + ": " + ec.message());
  StoreOptions options;
  options.notifications.desk_name = settings.desk_name;
  options.notifications.public_url = settings.base_url();
  return open_sqlite_store((fs::path(settings.data_dir) / "jaga.db").string(), options);
}

std::string find_web_root(const Settings& settings, const std::string& executable_path) {
  if (!settings.web_root.empty()) return settings.web_root;
  std::error_code ec;
  fs::path exe = fs::weakly_canonical(executable_path, ec);
  for (fs::path candidate : {exe.parent_path() / "web", exe.parent_path().parent_path().parent_path() / "web" / "dist",
                             fs::path(JAGA_SOURCE_DIR) / "web" / "dist"}) {
    if (fs::exists(candidate / "index.html", ec)) return candidate.string();
  }
  return (fs::path(JAGA_SOURCE_DIR) / "web" / "dist").string();
}

static notify::SmtpSettings smtp_settings(const Settings& settings) {
  return {settings.smtp_url, settings.smtp_from, settings.smtp_username, settings.smtp_password, settings.smtp_tls,
          settings.smtp_timeout_seconds};
}

static notify::DeliveryOptions delivery_options(const Settings& settings) {
  notify::DeliveryOptions options;
  // Without a sender address, one at the desk's own host name.
  std::string host = settings.base_url();
  host = host.substr(host.find("://") + 3);
  host = host.substr(0, host.find_first_of(":/"));
  options.from_address = settings.smtp_from.empty() ? "jaga@" + host : settings.smtp_from;
  options.from_name = settings.desk_name;
  options.message_id_domain = options.from_address.substr(options.from_address.find('@') + 1);
  options.retry.base = std::chrono::seconds(settings.notification_retry_seconds);
  options.retry.max_attempts = settings.notification_attempts;
  options.reminder_interval = std::chrono::seconds(settings.reminder_interval_seconds);
  options.reminder_lead = std::chrono::hours(settings.reminder_hours);
  return options;
}

// On the first start there is nobody to sign in: create an administrator with
// a one-time password, shown once on the terminal, to be changed at first sign-in.
static Status ensure_administrator(Store& store) {
  auto users = store.count_users();
  if (!users) return users.error();
  if (*users > 0) return {};
  std::string password = random_token(12);
  User admin{0, "admin", hash_password(password), Role::administrator, true};
  AuditEvent event{std::nullopt, "system", "user.create", "user", "admin", R"({"role":"administrator","first_start":true})", ""};
  auto created = wait_for<int64_t>([&](auto cb) { store.create_user(admin, event, cb); });
  if (!created) return created.error();
  std::printf("\nCreated the first administrator.\n  username: admin\n  one-time password: %s\n"
              "Sign in at /desk and choose a new password.\n\n", password.c_str());
  std::fflush(stdout);
  return {};
}

int serve(const Settings& settings, const std::string& executable_path) {
  auto started = std::chrono::steady_clock::now();
  log::Level level;
  if (log::parse_level(settings.log_level, level)) log::set_level(level);
  auto store = open_store(settings);
  if (!store) {
    std::fprintf(stderr, "jaga: %s\n", store.error().message.c_str());
    return 1;
  }
  if (auto st = ensure_administrator(**store); !st) {
    std::fprintf(stderr, "jaga: %s\n", st.error().message.c_str());
    return 1;
  }
  BlobStore blobs((fs::path(settings.data_dir) / "blobs").string());
  if (auto st = blobs.prepare(); !st) {
    std::fprintf(stderr, "jaga: %s\n", st.error().message.c_str());
    return 1;
  }
  notify::DeliveryWorker delivery(**store, delivery_options(settings),
                                 settings.smtp_url.empty() ? nullptr : notify::make_smtp_sender(smtp_settings(settings)));
  delivery.start();
  if (settings.smtp_url.empty())
    log::warn("no mail server is configured (smtp_url): notifications wait in the outbox");
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  http::Metrics metrics;
  WorkerPool workers(static_cast<size_t>(std::max(2, cores)), 4096);
  api::ApiSettings api_settings;
  api_settings.pow_difficulty = settings.pow_difficulty;
  api_settings.pow_key = random_bytes(32);
  api_settings.public_url = settings.public_url;
  api_settings.agency_name = settings.desk_name;
  while (!api_settings.public_url.empty() && api_settings.public_url.back() == '/') api_settings.public_url.pop_back();
  api_settings.web_root = find_web_root(settings, executable_path);
  api_settings.max_attachments = static_cast<size_t>(settings.max_attachments);
  api_settings.max_attachment_bytes = static_cast<size_t>(settings.max_attachment_mib) * 1024 * 1024;
  api_settings.session_hours = settings.session_hours;
  api_settings.sla.targets = {{{settings.critical_response_hours, settings.critical_resolution_hours},
                               {settings.high_response_hours, settings.high_resolution_hours},
                               {settings.medium_response_hours, settings.medium_resolution_hours},
                               {settings.low_response_hours, settings.low_resolution_hours}}};
  api_settings.extract.default_calling_code = settings.calling_code;
  api_settings.mail_delivery = !settings.smtp_url.empty();
  api::ApiContext ctx{**store,
                      blobs,
                      metrics,
                      workers,
                      api_settings,
                      http::RateLimiter(settings.report_rate_per_minute, settings.report_burst),
                      http::RateLimiter(settings.sign_in_rate_per_minute, 10),
                      {}};
  IndicatorLookup lookup(**store);
  lookup.start();
  ctx.lookup = &lookup;
  taxii::SyncService partner_sync(**store, taxii::make_curl_transport());
  partner_sync.start([&lookup] { lookup.changed(); });
  ctx.partner_sync = &partner_sync;
  monitor::MonitorOptions monitor_options;
  monitor_options.max_in_flight = settings.monitor_max_checks;
  monitor_options.per_host = settings.monitor_per_host;
  monitor_options.per_address = settings.monitor_per_address;
  monitor_options.timeout_ms = settings.monitor_timeout_seconds * 1000L;
  monitor_options.ca_file = settings.monitor_ca_file;
  monitor_options.gather_seconds = settings.monitor_gather_ms / 1000.0;
  monitor_options.alerts.down_after = settings.monitor_down_after;
  monitor_options.alerts.sla = api_settings.sla;
  monitor::MonitorService site_monitor(**store, monitor_options);
  site_monitor.start([&metrics](const monitor::MonitorStats& s) {
    metrics.set_gauge("jaga_monitor_sites", static_cast<double>(s.sites));
    metrics.set_gauge("jaga_monitor_sites_down", static_cast<double>(s.down));
    metrics.set_gauge("jaga_monitor_checks_in_flight", static_cast<double>(s.in_flight));
    metrics.set_gauge("jaga_monitor_checks_finished", static_cast<double>(s.checks));
    metrics.set_gauge("jaga_monitor_lag_seconds", s.lag_seconds);
    metrics.set_gauge("jaga_monitor_lag_seconds_max_10s", s.lag_seconds_max);
  });
  ctx.site_monitor_changed = [&site_monitor] { site_monitor.reload(); };
  taxii::EnvelopeIntake intake(**store, taxii::IntakeOptions{settings.data_dir + "/taxii-spool"});
  auto intake_counted = [&metrics](const taxii::IntakeCounts& counts) {
    metrics.set_gauge("jaga_taxii_objects_queued", static_cast<double>(counts.queued_objects));
    metrics.set_gauge("jaga_taxii_indicators_waiting_objects", static_cast<double>(counts.following_objects));
  };
  if (auto st = intake.start([&lookup] { lookup.changed(); }, intake_counted); !st) {
    std::fprintf(stderr, "jaga: %s\n", st.error().message.c_str());
    return 1;
  }
  ctx.intake = &intake;
  http::Router router;
  api::add_all_routes(router, ctx);

  http::ServerOptions options;
  options.host = settings.host();
  options.port = settings.port();
  options.threads = settings.threads > 0 ? settings.threads : cores;
  options.tls_certificate = settings.tls_certificate;
  options.tls_private_key = settings.tls_private_key;
  options.access_log = settings.access_log;
  options.decorate = api::decorate_response;
  http::Server server(options, router, metrics);
  if (auto st = server.listen(); !st) {
    std::fprintf(stderr, "jaga: %s\n", st.error().message.c_str());
    return 1;
  }
  double startup_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  metrics.set_gauge("jaga_startup_seconds", startup_ms / 1000.0);
  std::string scheme = settings.tls_certificate.empty() ? "http" : "https";
  log::info("listening", {{"url", scheme + "://" + settings.host() + ":" + std::to_string(server.port())},
                          {"data_dir", settings.data_dir},
                          {"web_root", api_settings.web_root},
                          {"startup_ms", startup_ms}});
  std::printf("jaga is serving on %s://%s:%u\n", scheme.c_str(), settings.host().c_str(), server.port());
  std::fflush(stdout);
  server.run();
  intake.stop();
  site_monitor.stop();
  partner_sync.stop();
  lookup.stop();
  delivery.stop();
  log::info("closing the store");
  (*store)->close();
  log::info("stopped");
  return 0;
}

}  // namespace jaga
