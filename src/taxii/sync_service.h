// Syncs every partner whose TAXII server is configured, on its schedule and
// on demand, one at a time on a thread of its own. A sync that fails is
// tried again later and later (twice the interval after each failure in a
// row, at most an hour), and what happened is kept per partner for the
// console.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "taxii/sync.h"

namespace jaga::taxii {

class SyncService {
 public:
  SyncService(Store& store, std::unique_ptr<Transport> transport, SyncOptions options = {});
  ~SyncService() { stop(); }

  // `indicators_changed` is called after a sync took indicators in.
  void start(std::function<void()> indicators_changed);
  void stop();
  // Syncs one partner now and answers how it went (waits for a sync in progress).
  Result<SyncReport> sync_now(const std::string& partner);

 private:
  void run();
  Result<SyncReport> sync(const std::string& partner, bool only_when_due);

  Store& store_;
  std::unique_ptr<Transport> transport_;
  SyncOptions options_;
  std::function<void()> indicators_changed_;
  std::mutex sync_mutex_;  // one sync at a time
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

// When a partner is due: its interval after the last attempt, doubled for
// each failure in a row, at most an hour (or the interval when longer).
bool sync_due(const PartnerRemote& remote, const std::string& now);

}  // namespace jaga::taxii
