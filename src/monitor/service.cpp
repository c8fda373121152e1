#include "monitor/service.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <deque>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "monitor/check.h"
#include "monitor/learning.h"
#include "monitor/schedule.h"
#include "util/log.h"
#include "util/time.h"

namespace jaga::monitor {

namespace {

// Results are written together at most this long after the first of them:
// each write is a commit with its sync, and one a second was most of what
// a few checks a second cost.
constexpr double kFlushSeconds = 5;

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double unix_of(const std::string& rfc3339) {
  auto when = parse_rfc3339(rfc3339);
  return when ? std::chrono::duration<double>(when->time_since_epoch()).count() : 0;
}

}  // namespace

MonitorService::MonitorService(Store& store, MonitorOptions options) : store_(store), options_(std::move(options)) {}

void MonitorService::start(std::function<void(const MonitorStats&)> on_stats) {
  on_stats_ = std::move(on_stats);
  thread_ = std::thread([this] { run(); });
}

void MonitorService::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MonitorService::reload() {
  {
    std::lock_guard lock(mutex_);
    reload_ = true;
  }
  wake_.notify_all();
}

void MonitorService::run() {
  Prober prober;
  Schedule schedule;
  std::unordered_map<int64_t, Site> sites;
  std::unordered_map<int64_t, bool> last_up;
  std::unordered_map<int64_t, int> failures_in_row;
  std::unordered_map<int64_t, std::pair<double, SiteExtras>> extras;  // site -> (when fetched, what)
  std::unordered_map<int64_t, PageAnalysis> analyses;                  // site -> its page at the last check
  std::unordered_set<int64_t> stale_analyses;  // made with a baseline or keywords changed since
  struct KnownBaseline {
    std::optional<double> learned_at;  // none: keywords alone
    // What the checks compare with, the site's keywords included; shared by
    // the checks, not copied into each.
    std::shared_ptr<const PageBaseline> page;
  };
  std::unordered_map<int64_t, KnownBaseline> baselines;  // site -> its content baseline
  bool baselines_read = false;
  const std::shared_ptr<const std::vector<Rule>> rules = shared_default_rules();
  std::unordered_map<std::string, int> busy_hosts;      // host -> checks of it in flight
  std::unordered_map<std::string, int> busy_addresses;  // IP address -> checks of it in flight
  std::unordered_map<int64_t, std::string> last_address;  // site -> the address of its last check
  // site -> findings_digest of the findings its last record wrote. Cleared
  // when a write fails: the store's findings are then not known to be those.
  std::unordered_map<int64_t, uint64_t> recorded_findings;
  auto write_failed = std::make_shared<std::atomic<bool>>(false);
  std::deque<DueCheck> waiting;  // due, but their host is busy
  std::vector<SiteCheckRecord> finished;
  MonitorStats stats;
  std::deque<std::pair<double, double>> recent_lags;  // (when, lag)
  double last_reload = 0, last_flush = now_seconds(), last_stats = 0;
  int64_t sites_generation = -1;  // of the sites last read; -1: none read yet
  // The first roll-up a minute after start, then hourly.
  double last_rollup = now_seconds() - 3600 + 60;
  uint64_t in_flight = 0;

  auto flush = [&] {
    if (finished.empty()) return;
    store_.record_site_checks(std::move(finished), [write_failed](Result<int> written) {
      if (written) return;
      write_failed->store(true);
      log::error("the monitor's results could not be written", {{"error", written.error().message}});
    });
    finished.clear();
  };
  auto start_one = [&](const DueCheck& due, double now) -> bool {
    auto it = sites.find(due.site_id);
    if (it == sites.end()) return true;  // removed meanwhile: nothing to do
    const Site& site = it->second;
    std::string host = url_host(site.url);
    if (busy_hosts[host] >= options_.per_host) return false;
    std::string address;
    if (auto known = last_address.find(site.id); known != last_address.end()) address = known->second;
    if (!address.empty() && busy_addresses[address] >= options_.per_address) return false;
    ++busy_hosts[host];
    if (!address.empty()) ++busy_addresses[address];
    ++in_flight;
    double lag = std::max(0.0, now - due.due_at);
    stats.lag_seconds = lag;
    recent_lags.emplace_back(now, lag);
    CheckOptions check;
    check.timeout_ms = options_.timeout_ms;
    check.ca_file = options_.ca_file;
    check.rules = rules;
    // Only sites with a learnt baseline or keywords have an entry.
    auto baseline = baselines.find(site.id);
    const auto* page = baseline == baselines.end() ? nullptr : baseline->second.page.get();
    if (page ? page->keywords != site.keywords : !site.keywords.empty()) {
      // Keywords set, changed or dropped since the baseline was made.
      auto rebuilt = page ? std::make_shared<PageBaseline>(*page) : std::make_shared<PageBaseline>();
      rebuilt->keywords = site.keywords;
      if (baseline == baselines.end()) baseline = baselines.emplace(site.id, KnownBaseline{}).first;
      baseline->second.page = std::move(rebuilt);
    }
    std::optional<double> learned_at;
    if (baseline != baselines.end()) {
      check.baseline = baseline->second.page;
      learned_at = baseline->second.learned_at;
    }
    // The site's last analysis and extras go into the check and come back
    // with its result: a site has one check at a time, and nothing is copied.
    double extras_fetched_at = 0;
    if (auto known = extras.find(site.id); known != extras.end() && now - known->second.first < options_.extras_seconds) {
      check.extras = false;
      extras_fetched_at = known->second.first;
      check.previous_extras = std::move(known->second.second);
      extras.erase(known);
    }
    if (auto known = analyses.find(site.id); known != analyses.end()) {
      check.previous_analysis = std::move(known->second);
      analyses.erase(known);
    }
    int64_t id = site.id;
    start_check(prober, site.url, std::move(check), [&, id, host, address, extras_fetched_at, learned_at](SiteCheck result) {
      double finished_at = now_seconds();
      if (--busy_hosts[host] == 0) busy_hosts.erase(host);
      if (!address.empty() && --busy_addresses[address] == 0) busy_addresses.erase(address);
      --in_flight;
      ++stats.checks;
      schedule.checked(id, finished_at);
      bool watched = sites.count(id) > 0;  // not removed while it ran
      last_up[id] = result.up;
      int& failures = failures_in_row[id];
      failures = result.up ? 0 : failures + 1;
      SiteCheckRecord record{id, result.checked_at, result.up, result.status, result.page.timings.total, result.score,
                             result.error, {}, {}, {}};
      if (write_failed->exchange(false)) recorded_findings.clear();
      uint64_t digest = findings_digest(result.findings);
      if (auto known = recorded_findings.find(id); known == recorded_findings.end() || known->second != digest) {
        record.findings_json = findings_json(result.findings);
        recorded_findings[id] = digest;
      }  // else none: the stored findings stay
      judge_problems(result, failures, options_.alerts, record);
      if (watched && learns_baseline(result, learned_at, finished_at)) {
        record.learned = stored_baseline(id, result);
        const Site& site = sites.at(id);
        baselines[id] = {finished_at, std::shared_ptr<const PageBaseline>(page_baseline(&*record.learned, site.keywords))};
      }
      finished.push_back(std::move(record));
      if (!watched) return;
      if (!result.page.ip.empty()) last_address[id] = result.page.ip;
      extras[id] = {extras_fetched_at > 0 ? extras_fetched_at : finished_at, std::move(result.extras)};
      if (result.page.answered && !stale_analyses.erase(id)) {
        PageAnalysis& kept = analyses[id] = std::move(result.analysis);
        // The page's words, sketch and hosts are needed again only as
        // evidence of a finding; without one, the hash and the similarity
        // are enough to reuse the analysis of an unchanged page.
        if (kept.findings.empty()) {
          kept.content = PageContent{};
          kept.sketch = TextSketch{};
        }
      }
    });
    return true;
  };

  while (true) {
    bool reload_now;
    {
      std::unique_lock lock(mutex_);
      if (stopping_) break;
      reload_now = reload_;
      reload_ = false;
    }
    double now = now_seconds();
    bool sites_changed = reload_now || sites_generation < 0;
    if (!sites_changed && now - last_reload >= options_.reload_seconds) {
      // Another process (the CLI) may have changed the sites: one row says whether it did.
      last_reload = now;
      auto generation = store_.site_generation();
      sites_changed = generation && *generation != sites_generation;
    }
    if (sites_changed) {
      last_reload = now;
      if (auto generation = store_.site_generation()) sites_generation = *generation;
      SiteFilter schedule_only;
      schedule_only.findings = false;
      auto all = list_all_site_states(store_, schedule_only);
      if (!all) log::error("the monitor could not read the sites", {{"error", all.error().message}});
      std::vector<ScheduledSite> scheduled;
      std::unordered_map<int64_t, Site> fresh;
      std::vector<SiteState> states = all ? std::move(*all) : std::vector<SiteState>{};
      for (auto& state : states) {
        if (!state.site.enabled) continue;
        scheduled.push_back({state.site.id, state.site.interval_seconds, unix_of(state.checked_at)});
        if (!state.checked_at.empty() && !last_up.count(state.site.id)) {
          last_up[state.site.id] = state.up;
          failures_in_row[state.site.id] = state.failures_in_row;
        }
        fresh.emplace(state.site.id, std::move(state.site));
      }
      // The baselines are the monitor's own; they are read at the start and
      // when told (an analyst reset one), not every few seconds.
      std::unordered_set<int64_t> rebaselined;
      if (reload_now || !baselines_read) {
        if (auto stored = store_.list_site_baselines()) {
          std::unordered_map<int64_t, const SiteBaseline*> read;
          for (const auto& b : *stored) read[b.site_id] = &b;
          for (const auto& [id, known] : baselines)
            if (known.learned_at && !read.count(id) && baselines_read) rebaselined.insert(id);
          for (const auto& [id, b] : read) {
            auto& mine = baselines[id];
            double learned_at = unix_of(b->learned_at);
            // A baseline learnt since the read was sent is newer than what it found.
            if (mine.learned_at && *mine.learned_at > learned_at) continue;
            auto site = fresh.find(id);
            mine = {learned_at, page_baseline(b, site == fresh.end() ? std::vector<std::string>{} : site->second.keywords)};
          }
          for (int64_t id : rebaselined) baselines.erase(id);
          baselines_read = true;
        } else {
          log::error("the monitor could not read the content baselines", {{"error", stored.error().message}});
        }
      }
      // A site whose keywords or baseline changed has its page analysed afresh.
      // (A check in flight has its site's analysis with it: it is dropped when it comes back.)
      for (const auto& [id, site] : fresh) {
        auto before = sites.find(id);
        if (rebaselined.count(id) || (before != sites.end() && before->second.keywords != site.keywords)) {
          analyses.erase(id);
          stale_analyses.insert(id);
        }
      }
      std::erase_if(analyses, [&](const auto& entry) { return !fresh.count(entry.first) || !sites.count(entry.first); });
      std::erase_if(baselines, [&](const auto& entry) { return !fresh.count(entry.first); });
      sites = std::move(fresh);
      std::erase_if(extras, [&](const auto& entry) { return !sites.count(entry.first); });
      std::erase_if(last_address, [&](const auto& entry) { return !sites.count(entry.first); });
      std::erase_if(recorded_findings, [&](const auto& entry) { return !sites.count(entry.first); });
      schedule.set_sites(scheduled, now);
      stats.sites = sites.size();
    }
    // Checks whose host was busy go first, then the newly due.
    for (size_t n = waiting.size(); n > 0 && in_flight < static_cast<uint64_t>(options_.max_in_flight); --n) {
      DueCheck due = waiting.front();
      waiting.pop_front();
      if (!start_one(due, now)) waiting.push_back(due);
    }
    size_t room = in_flight < static_cast<uint64_t>(options_.max_in_flight)
                      ? static_cast<size_t>(options_.max_in_flight) - in_flight
                      : 0;
    for (const auto& due : schedule.take_round(now, options_.gather_seconds, room))
      if (!start_one(due, now)) waiting.push_back(due);

    if (!finished.empty() && (finished.size() >= 500 || now - last_flush >= kFlushSeconds)) {
      flush();
      last_flush = now;
    }
    if (now - last_rollup >= 3600) {
      last_rollup = now;
      store_.roll_up_site_history(options_.history, now_rfc3339(), [](Result<int> rolled) {
        if (!rolled) log::error("the monitor's history could not be rolled up", {{"error", rolled.error().message}});
      });
    }
    if (now - last_stats >= 1) {
      last_stats = now;
      while (!recent_lags.empty() && recent_lags.front().first < now - 10) recent_lags.pop_front();
      stats.lag_seconds_max = 0;
      for (const auto& [when, lag] : recent_lags) stats.lag_seconds_max = std::max(stats.lag_seconds_max, lag);
      stats.in_flight = in_flight;
      stats.down = static_cast<uint64_t>(std::count_if(last_up.begin(), last_up.end(), [&](const auto& entry) {
        return !entry.second && sites.count(entry.first);
      }));
      if (on_stats_) on_stats_(stats);
    }
    // Wait for the network while checks run, else for the next due check.
    double next = schedule.next_due();
    // Rounded up: a check due in half a millisecond is waited for, not spun for.
    int wait_ms = next == 0 ? 200 : static_cast<int>(std::ceil(std::clamp((next - now) * 1000, 0.0, 200.0)));
    if (!waiting.empty()) wait_ms = std::min(wait_ms, 50);
    // With no room for more checks, only a finished one changes anything: the prober wakes for it.
    if (in_flight >= static_cast<uint64_t>(options_.max_in_flight)) wait_ms = 200;
    if (in_flight > 0) {
      prober.step(wait_ms);
    } else if (wait_ms > 0) {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stopping_ || reload_; });
    }
  }
  // Checks in flight are dropped; what finished is kept.
  flush();
}

}  // namespace jaga::monitor
