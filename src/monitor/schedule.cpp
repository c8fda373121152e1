#include "monitor/schedule.h"

#include <algorithm>
#include <cmath>

namespace jaga::monitor {

namespace {

// Where in its interval a site's slot is, from 0 to 1.
double slot_fraction(int64_t site_id) {
  uint64_t h = static_cast<uint64_t>(site_id) * 0x9e3779b97f4a7c15ull;
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 29;
  return static_cast<double>(h >> 11) / 9007199254740992.0;  // 2^53
}

// New sites are checked within this many seconds, spread by their slot;
// many at once (an import of a whole registry) at most this many a second,
// so that their first checks do not crowd out the others'.
constexpr double kNewSiteSpread = 5;
constexpr double kNewChecksPerSecond = 200;

}  // namespace

double Schedule::next_slot(int64_t site_id, int interval_seconds, double after) {
  double interval = interval_seconds;
  double offset = slot_fraction(site_id) * interval;
  double k = std::floor((after - offset) / interval) + 1;
  return k * interval + offset;
}

void Schedule::set_sites(const std::vector<ScheduledSite>& sites, double now) {
  std::unordered_map<int64_t, Entry> next;
  next.reserve(sites.size());
  size_t never_checked = 0;
  for (const auto& s : sites)
    if (s.last_checked <= 0 && !sites_.count(s.id)) ++never_checked;
  double new_spread = std::max(kNewSiteSpread, static_cast<double>(never_checked) / kNewChecksPerSecond);
  for (const auto& s : sites) {
    auto known = sites_.find(s.id);
    if (known != sites_.end() && known->second.interval_seconds == s.interval_seconds) {
      next[s.id] = known->second;
      continue;
    }
    Entry e;
    e.interval_seconds = s.interval_seconds;
    if (s.last_checked <= 0) {
      e.due_at = now + slot_fraction(s.id) * std::min<double>(new_spread, s.interval_seconds);
    } else {
      // The slot of the interval after the last check; when that has
      // passed (the server was down), the next slot from now.
      e.due_at = next_slot(s.id, s.interval_seconds, s.last_checked + s.interval_seconds / 2.0);
      if (e.due_at < now) e.due_at = next_slot(s.id, s.interval_seconds, now);
    }
    if (known != sites_.end()) e.taken = known->second.taken;
    next[s.id] = e;
    if (!e.taken) queue_.push({e.due_at, s.id});
  }
  sites_ = std::move(next);
}

std::vector<DueCheck> Schedule::take_due(double now, size_t limit) {
  std::vector<DueCheck> out;
  while (!queue_.empty() && out.size() < limit && queue_.top().first <= now) {
    auto [due_at, id] = queue_.top();
    queue_.pop();
    auto it = sites_.find(id);
    // Stale: the site is gone, taken, or was given another time since.
    if (it == sites_.end() || it->second.taken || it->second.due_at != due_at) continue;
    it->second.taken = true;
    out.push_back({id, due_at});
  }
  return out;
}

void Schedule::checked(int64_t site_id, double now) {
  auto it = sites_.find(site_id);
  if (it == sites_.end()) return;
  Entry& e = it->second;
  e.taken = false;
  // The slot in the next interval; one that has already passed too (a
  // check that ran long, a clock that jumped) is skipped, not run late.
  e.due_at = next_slot(site_id, e.interval_seconds, std::max(now, e.due_at + e.interval_seconds / 2.0));
  queue_.push({e.due_at, site_id});
}

double Schedule::next_due() {
  while (!queue_.empty()) {
    auto [due_at, id] = queue_.top();
    auto it = sites_.find(id);
    if (it != sites_.end() && !it->second.taken && it->second.due_at == due_at) return due_at;
    queue_.pop();
  }
  return 0;
}

std::vector<DueCheck> Schedule::take_round(double now, double gather, size_t limit) {
  double next = next_due();
  if (next == 0 || next > now) return {};
  return take_due(now + gather, limit);
}

}  // namespace jaga::monitor
