#include "taxii/sync_service.h"

#include <algorithm>

#include "util/log.h"
#include "util/time.h"

namespace jaga::taxii {

bool sync_due(const PartnerRemote& remote, const std::string& now) {
  if (remote.last_attempt.empty()) return true;
  auto last = parse_rfc3339(remote.last_attempt);
  auto current = parse_rfc3339(now);
  if (!last || !current) return true;
  int64_t wait = std::max(1, remote.interval_seconds);
  for (int i = 0; i < remote.failures && wait < 3600; ++i) wait *= 2;
  wait = std::max<int64_t>(std::min<int64_t>(wait, 3600), remote.interval_seconds);
  return unix_seconds(*current) - unix_seconds(*last) >= wait;
}

SyncService::SyncService(Store& store, std::unique_ptr<Transport> transport, SyncOptions options)
    : store_(store), transport_(std::move(transport)), options_(options) {}

void SyncService::start(std::function<void()> indicators_changed) {
  indicators_changed_ = std::move(indicators_changed);
  thread_ = std::thread([this] { run(); });
}

void SyncService::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<SyncReport> SyncService::sync(const std::string& partner, bool only_when_due) {
  std::lock_guard lock(sync_mutex_);
  // Read again under the lock: another sync may have moved the cursors.
  auto remotes = store_.list_partner_remotes();
  if (!remotes) return remotes.error();
  auto found = std::find_if(remotes->begin(), remotes->end(), [&](const PartnerRemote& r) { return r.partner == partner; });
  if (found == remotes->end())
    return Error::not_found("No TAXII server is set for partner " + partner + " (jaga partner remote).");
  PartnerRemote& remote = *found;
  if (only_when_due && !sync_due(remote, now_rfc3339())) return SyncReport{};
  PartnerSync syncer(store_, *transport_, options_);
  auto report = syncer.run(remote);
  if (report.indicators > 0 && indicators_changed_) indicators_changed_();
  if (report.ok())
    log::info("taxii sync", {{"partner", remote.partner}, {"pulled", std::to_string(report.pulled)},
                             {"pushed", std::to_string(report.pushed)}});
  else
    log::warn("taxii sync failed", {{"partner", remote.partner}, {"error", report.error}});
  return report;
}

Result<SyncReport> SyncService::sync_now(const std::string& partner) { return sync(partner, false); }

void SyncService::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
      if (stopping_) return;
    }
    auto remotes = store_.list_partner_remotes();
    if (!remotes) continue;
    for (auto& remote : *remotes) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
      }
      // The outcome is recorded in the store, for the console.
      if (sync_due(remote, now_rfc3339())) (void)sync(remote.partner, true);
    }
  }
}

}  // namespace jaga::taxii
