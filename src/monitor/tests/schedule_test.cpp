#include <gtest/gtest.h>

#include <algorithm>

#include "monitor/schedule.h"

namespace jaga::monitor {
namespace {

std::vector<ScheduledSite> sites(int count, int interval, double last_checked) {
  std::vector<ScheduledSite> out;
  for (int i = 1; i <= count; ++i) out.push_back({i, interval, last_checked});
  return out;
}

// How many of the schedule's checks fall in each of `buckets` equal parts of [from, from + span).
std::vector<int> spread(Schedule& schedule, double from, double span, int buckets) {
  std::vector<int> counts(static_cast<size_t>(buckets), 0);
  for (const auto& due : schedule.take_due(from + span, 1000000)) {
    EXPECT_GE(due.due_at, from);
    ++counts[static_cast<size_t>(std::min<double>(buckets - 1, (due.due_at - from) / span * buckets))];
  }
  return counts;
}

TEST(Schedule, NewSitesAreCheckedWithinSecondsThenSpreadEvenlyOverTheirInterval) {
  Schedule schedule;
  const double t0 = 1'000'000;
  schedule.set_sites(sites(3000, 300, 0), t0);
  // 3,000 at once: their first checks spread over 15 s, 200 a second.
  auto first = schedule.take_due(t0 + 5, 100000);
  EXPECT_GT(first.size(), 700u);
  EXPECT_LT(first.size(), 1300u);
  auto rest = schedule.take_due(t0 + 15, 100000);
  first.insert(first.end(), rest.begin(), rest.end());
  EXPECT_EQ(first.size(), 3000u);
  for (const auto& due : first) schedule.checked(due.site_id, due.due_at + 0.2);
  // Nothing again for the next 100 s: no site is checked twice in quick succession.
  EXPECT_TRUE(schedule.take_due(t0 + 100, 100000).empty());
  auto counts = spread(schedule, t0 + 100, 400, 10);
  int total = 0;
  for (int c : counts) total += c;
  EXPECT_EQ(total, 3000);
  // 300 s in each 40 s part would be 400 per part of the interval; no part is crowded.
  for (int c : counts) EXPECT_LT(c, 560) << "a crowded part";
}

TEST(Schedule, ASiteAddedAloneIsCheckedWithinFiveSeconds) {
  Schedule schedule;
  const double t0 = 1'000'000;
  schedule.set_sites(sites(3000, 300, t0 - 10), t0);
  auto with_new = sites(3000, 300, t0 - 10);
  with_new.push_back({3001, 300, 0});
  schedule.set_sites(with_new, t0 + 20);
  // The 3,000 checked ten seconds ago wait for their slots; the new one does not.
  std::vector<int64_t> early;
  for (const auto& due : schedule.take_due(t0 + 25, 100000))
    if (due.due_at >= t0 + 20) early.push_back(due.site_id);
  EXPECT_NE(std::find(early.begin(), early.end(), 3001), early.end());
}

TEST(Schedule, AfterARestartOverdueSitesWaitForTheirSlotsInsteadOfAllAtOnce) {
  Schedule schedule;
  const double now = 2'000'000;
  schedule.set_sites(sites(3000, 300, now - 7200), now);  // last checked two hours ago
  EXPECT_LT(schedule.take_due(now + 1, 100000).size(), 30u) << "at most about a 300th each second";
  auto counts = spread(schedule, now, 300, 10);
  for (int c : counts) EXPECT_GT(c, 200);
}

TEST(Schedule, ASiteCheckedAMomentAgoIsNotCheckedAgainUntilItsNextSlot) {
  Schedule schedule;
  const double now = 3'000'000;
  schedule.set_sites({{7, 300, now - 10}}, now);
  double due = schedule.next_due();
  EXPECT_GT(due, now);
  EXPECT_LE(due, now - 10 + 300 + 150);
  EXPECT_DOUBLE_EQ(Schedule::next_slot(7, 300, due), due + 300);
}

TEST(Schedule, ATakenCheckIsGivenOnceAndComesBackAnIntervalLater) {
  Schedule schedule;
  schedule.set_sites({{1, 60, 0}, {2, 60, 0}}, 0);
  auto due = schedule.take_due(10, 1);
  ASSERT_EQ(due.size(), 1u);
  auto rest = schedule.take_due(10, 10);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_NE(rest[0].site_id, due[0].site_id);
  EXPECT_TRUE(schedule.take_due(1000, 10).empty()) << "both are being checked";
  schedule.checked(due[0].site_id, 11);
  double next = schedule.next_due();
  EXPECT_GE(next, due[0].due_at + 30);
  EXPECT_LE(next, due[0].due_at + 90);
}

TEST(Schedule, SitesRemovedOrReIntervalledAreRescheduled) {
  Schedule schedule;
  schedule.set_sites({{1, 60, 0}, {2, 60, 0}}, 0);
  schedule.set_sites({{2, 3600, 100}}, 200);
  EXPECT_EQ(schedule.size(), 1u);
  auto due = schedule.take_due(10000, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].site_id, 2);
  EXPECT_GE(due[0].due_at, 200);
}

TEST(Schedule, ARoundStartsWhenACheckIsDueWithThoseDueWithinItsWindow) {
  Schedule schedule;
  EXPECT_TRUE(schedule.take_round(1000, 1, 100).empty()) << "nothing scheduled";
  const double t0 = 1'000'000;
  // 30,000 sites checked a while ago at a 5-minute interval: about 100 due a second.
  schedule.set_sites(sites(30000, 300, t0 - 100), t0);
  double first = schedule.next_due();
  EXPECT_TRUE(schedule.take_round(first - 0.01, 1, 100000).empty()) << "none is due yet";
  auto round = schedule.take_round(first, 1, 100000);
  EXPECT_GT(round.size(), 50u) << "a second's worth, at 100 a second";
  EXPECT_LT(round.size(), 200u);
  for (const auto& d : round) {
    EXPECT_GE(d.due_at, first) << "none late";
    EXPECT_LE(d.due_at, first + 1) << "none more than the window early";
  }
  double next = schedule.next_due();
  EXPECT_GT(next, first + 1);
  EXPECT_TRUE(schedule.take_round(next - 0.01, 1, 100000).empty()) << "the next round waits for its first check";
  auto alone = schedule.take_round(next, 0, 100000);
  ASSERT_FALSE(alone.empty());
  for (const auto& d : alone) EXPECT_EQ(d.due_at, next) << "no window: each check at its own time";
}

}  // namespace
}  // namespace jaga::monitor
