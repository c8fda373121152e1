#include "api/indicator_service.h"

#include <sys/resource.h>
#include <unistd.h>

#include "util/log.h"
#include "util/time.h"

namespace jaga {

namespace {

// The filter of everything a feed or the matcher may act on.
IndicatorFilter active_indicators() {
  IndicatorFilter filter;
  filter.include_warninglisted = false;
  filter.include_expired = false;
  filter.vetted_only = true;
  filter.now = now_rfc3339();
  filter.limit = 0;
  return filter;
}

}  // namespace

Result<std::vector<FeedEntry>> shareable_indicators(Store& store, Tlp max_tlp) {
  std::vector<FeedEntry> entries;
  IndicatorFilter filter = active_indicators();
  filter.max_tlp = max_tlp;
  auto scanned = store.scan_indicators(filter, [&](const StoredIndicator& s) {
    auto kind = parse_indicator_kind(s.kind);
    if (!kind) return true;  // a kind feeds have no form for (phone numbers)
    entries.push_back(FeedEntry{{*kind, s.value}, s.tlp, s.confidence, s.valid_until, s.first_seen, s.last_seen});
    return true;
  });
  if (!scanned) return scanned.error();
  return entries;
}

Result<std::shared_ptr<const IndicatorSnapshot>> build_indicator_snapshot(Store& store) {
  auto snapshot = std::make_shared<IndicatorSnapshot>();
  auto generation = store.indicator_generation();
  if (!generation) return generation.error();
  snapshot->generation = static_cast<uint64_t>(*generation);
  snapshot->built_at = now_rfc3339();
  IndicatorIndex::Builder builder;
  auto scanned = store.scan_indicators(active_indicators(), [&](const StoredIndicator& s) {
    auto kind = parse_indicator_kind(s.kind);
    if (!kind) return true;
    builder.add({*kind, s.value}, s.value, static_cast<uint32_t>(snapshot->ids.size()));
    snapshot->ids.push_back(s.id);
    snapshot->tlps.push_back(s.tlp);
    return true;
  });
  if (!scanned) return scanned.error();
  snapshot->index = std::move(builder).build();
  return std::shared_ptr<const IndicatorSnapshot>(std::move(snapshot));
}

void IndicatorLookup::start(int interval_ms) {
  thread_ = std::thread([this, interval_ms] { run(interval_ms); });
}

void IndicatorLookup::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void IndicatorLookup::changed() {
  {
    std::lock_guard lock(mutex_);
    dirty_ = true;
  }
  wake_.notify_all();
}

std::shared_ptr<const IndicatorSnapshot> IndicatorLookup::snapshot() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void IndicatorLookup::run(int interval_ms) {
  // The shipped warninglists are not parsed here: held in memory they take
  // about 100 MiB, and a desk that never imports or looks up an indicator
  // idles at a tenth of that. The first import or lookup parses them.
  // Rebuilding is background work: at a lower priority it takes the cores
  // that requests and the store's writer leave idle, not theirs.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
  uint64_t built_generation = 0;
  bool built = false;
  std::string built_hour;
  Clock::time_point next_build{};
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(interval_ms), [&] { return stopping_ || dirty_; });
      if (stopping_) return;
      dirty_ = false;
    }
    // Rebuilt when the indicators changed, and at least hourly so that
    // expired indicators leave the matcher.
    auto generation = store_.indicator_generation();
    std::string hour = now_rfc3339().substr(0, 13);
    if (!generation) continue;
    if (built && static_cast<uint64_t>(*generation) == built_generation && hour == built_hour) continue;
    // While imports keep coming (a partner's sync, a feed), a big matcher is
    // not rebuilt after each: at most a fifth of the time goes to rebuilding.
    if (Clock::now() < next_build) {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_build, [&] { return stopping_; });
      if (stopping_) return;
      dirty_ = true;  // look again now that the pause is over
      continue;
    }
    auto started = Clock::now();
    auto snapshot = build_indicator_snapshot(store_);
    if (!snapshot) {
      log::warn("the indicator matcher could not be rebuilt", {{"error", snapshot.error().message}});
      continue;
    }
    built = true;
    next_build = Clock::now() + 4 * (Clock::now() - started);
    built_generation = (*snapshot)->generation;
    built_hour = hour;
    auto size = (*snapshot)->index.size();
    {
      std::lock_guard lock(mutex_);
      current_ = std::move(*snapshot);
    }
    log::info("indicator matcher built",
              {{"indicators", static_cast<unsigned long>(size)},
               {"ms", static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count())}});
  }
}

}  // namespace jaga
