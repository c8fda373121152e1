// When each watched site is checked. Pure: times are seconds given by the
// caller, so the rules are tested without waiting.
//
// Each site has a slot in its interval, from a hash of its id, and is
// checked at the slot in every interval: checks of many sites spread evenly
// over the interval, and after a restart a site that is overdue waits for
// its next slot instead of all sites being checked at once. A site never
// checked before is checked within a few seconds of being added; many added
// at once are spread over as many seconds as 200 a second takes (at most
// their interval).
#pragma once

#include <cstddef>
#include <cstdint>
#include <queue>
#include <unordered_map>
#include <vector>

namespace jaga::monitor {

struct ScheduledSite {
  int64_t id = 0;
  int interval_seconds = 300;
  double last_checked = 0;  // unix seconds; 0: never
};

struct DueCheck {
  int64_t site_id = 0;
  double due_at = 0;
};

class Schedule {
 public:
  // The sites to watch. Sites already known keep their next check; new
  // ones get theirs; those no longer given are dropped.
  void set_sites(const std::vector<ScheduledSite>& sites, double now);
  // The checks due at `now`, at most `limit`, earliest first. Each is out
  // of the schedule until checked() puts it back.
  std::vector<DueCheck> take_due(double now, size_t limit);
  // The check of a site that take_due gave has ended: its next is due at its
  // slot in the next interval.
  void checked(int64_t site_id, double now);
  // When the next check is due (0 with nothing scheduled).
  double next_due();
  // A round of checks: when a check is due at `now`, it and the checks due
  // within `gather` seconds after `now`, at most `limit`, earliest first;
  // nothing otherwise. A round's checks start together, up to `gather`
  // early and never late on its account, and rounds are at least `gather`
  // apart.
  std::vector<DueCheck> take_round(double now, double gather, size_t limit);
  size_t size() const { return sites_.size(); }

  // The first time after `after` that falls on the site's slot.
  static double next_slot(int64_t site_id, int interval_seconds, double after);

 private:
  struct Entry {
    int interval_seconds = 300;
    double due_at = 0;
    bool taken = false;
  };
  using QueueItem = std::pair<double, int64_t>;  // due_at, site
  std::unordered_map<int64_t, Entry> sites_;
  std::priority_queue<QueueItem, std::vector<QueueItem>, std::greater<>> queue_;  // may hold stale items
};

}  // namespace jaga::monitor
