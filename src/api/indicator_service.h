// The store's indicators as the API and the command line use them beyond
// plain reads: feeds out (filtered by TLP, without warninglisted or expired
// indicators) and the in-memory matcher that answers lookups, rebuilt in
// the background whenever the indicators change.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "intel/feeds.h"
#include "intel/indicator_index.h"
#include "store/store.h"
#include "util/result.h"

namespace jaga {

// What may be shared at `max_tlp`, neither warninglisted nor expired, in id order.
Result<std::vector<FeedEntry>> shareable_indicators(Store& store, Tlp max_tlp);

// The matcher over every active indicator (not warninglisted, not expired).
struct IndicatorSnapshot {
  IndicatorIndex index;        // payload: the position in ids/tlps
  std::vector<int64_t> ids;    // store ids
  std::vector<Tlp> tlps;
  std::string built_at;
  uint64_t generation = 0;     // the store's indicator generation it was built from
};

// Builds a snapshot from the store (for `jaga match --db` too).
Result<std::shared_ptr<const IndicatorSnapshot>> build_indicator_snapshot(Store& store);

class IndicatorLookup {
 public:
  explicit IndicatorLookup(Store& store) : store_(store) {}
  ~IndicatorLookup() { stop(); }

  // Builds the first snapshot in the background and then checks every
  // `interval_ms` whether an import changed the indicators.
  void start(int interval_ms = 2000);
  void stop();
  // Asks for a rebuild now (after an import through the API).
  void changed();
  // The current snapshot; empty until the first one is built.
  std::shared_ptr<const IndicatorSnapshot> snapshot() const;

 private:
  void run(int interval_ms);

  Store& store_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::shared_ptr<const IndicatorSnapshot> current_;  // GUARDED_BY(mutex_)
  bool stopping_ = false, dirty_ = true;              // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace jaga
