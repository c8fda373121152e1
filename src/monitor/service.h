// The website monitor at work: every watched site checked on its schedule
// (schedule.h), many at once on one thread (probe.h), each result recorded
// in the store in batches. Checks of one host are limited, so that a
// ministry with many sites on one server is not hammered; a slow site holds
// only its own slot. How late checks start (the lag) is reported for
// /metrics.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "monitor/alerts.h"
#include "store/store.h"

namespace jaga::monitor {

struct MonitorOptions {
  int max_in_flight = 500;  // checks at once
  int per_host = 2;         // checks of one host at once
  // Checks of one IP address at once, as it answered the site's last check:
  // many names of a ministry or a regional government often share one server.
  int per_address = 4;
  long timeout_ms = 10000;  // per request
  double reload_seconds = 10;
  std::string ca_file;  // trusted beside the system's authorities
  AlertRules alerts;
  SiteHistoryPolicy history;  // rolled up once an hour
  // How often a site's extras (HTTPS, old TLS, the redirect, security.txt,
  // address families) are fetched again; checks in between fetch the page.
  double extras_seconds = 6 * 3600;
  // When a check falls due, those due within this long after it start with
  // it, in one round. Each time the monitor's thread sleeps and wakes costs
  // about what a check's own work does, and a check run alone finds the
  // processor's caches cold (a TLS handshake costs nearly twice as much):
  // a round shares both among its checks. A check starts at most this
  // early, and never late on its account.
  double gather_seconds = 1;
};

struct MonitorStats {
  uint64_t sites = 0;
  uint64_t in_flight = 0;
  uint64_t checks = 0;           // finished since start
  uint64_t down = 0;             // of the last result per site
  double lag_seconds = 0;        // the latest start behind its due time
  double lag_seconds_max = 0;    // the most behind over the last 10 s
};

class MonitorService {
 public:
  MonitorService(Store& store, MonitorOptions options);
  ~MonitorService() { stop(); }

  // `on_stats` is called about once a second from the monitor's thread.
  void start(std::function<void(const MonitorStats&)> on_stats);
  void stop();
  // The sites changed: read them again now rather than at the next reload.
  void reload();

 private:
  void run();

  Store& store_;
  MonitorOptions options_;
  std::function<void(const MonitorStats&)> on_stats_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  bool reload_ = true;     // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace jaga::monitor
