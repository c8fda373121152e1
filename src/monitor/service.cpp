#include "monitor/service.h"

#include <algorithm>
#include <chrono>
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
  struct KnownBaseline {
    double learned_at = 0;
    SiteBaseline stored;  // without its text, which only the store's evidence needs
  };
  std::unordered_map<int64_t, KnownBaseline> baselines;  // site -> its content baseline
  bool baselines_read = false;
  std::map<std::string, int> busy_hosts;
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
    store_.record_site_checks(std::move(finished), [](Result<int> written) {
      if (!written) log::error("the monitor's results could not be written", {{"error", written.error().message}});
    });
    finished.clear();
  };
  auto start_one = [&](const DueCheck& due, double now) -> bool {
    auto it = sites.find(due.site_id);
    if (it == sites.end()) return true;  // removed meanwhile: nothing to do
    const Site& site = it->second;
    std::string host = url_host(site.url);
    if (busy_hosts[host] >= options_.per_host) return false;
    ++busy_hosts[host];
    ++in_flight;
    double lag = std::max(0.0, now - due.due_at);
    stats.lag_seconds = lag;
    recent_lags.emplace_back(now, lag);
    CheckOptions check;
    check.timeout_ms = options_.timeout_ms;
    check.ca_file = options_.ca_file;
    auto baseline = baselines.find(site.id);
    check.baseline = page_baseline(baseline == baselines.end() ? nullptr : &baseline->second.stored, site.keywords);
    std::optional<double> learned_at;
    if (baseline != baselines.end()) learned_at = baseline->second.learned_at;
    if (auto known = extras.find(site.id); known != extras.end() && now - known->second.first < options_.extras_seconds) {
      check.extras = false;
      check.previous_extras = known->second.second;
    }
    if (auto known = analyses.find(site.id); known != analyses.end()) check.previous_analysis = known->second;
    int64_t id = site.id;
    bool fetches_extras = check.extras;
    start_check(prober, site.url, check, [&, id, host, fetches_extras, learned_at](SiteCheck result) {
      if (fetches_extras) extras[id] = {now_seconds(), result.extras};
      --busy_hosts[host];
      --in_flight;
      ++stats.checks;
      schedule.checked(id, now_seconds());
      last_up[id] = result.up;
      int& failures = failures_in_row[id];
      failures = result.up ? 0 : failures + 1;
      SiteCheckRecord record{id, result.checked_at, result.up, result.status, result.page.timings.total, result.score,
                             result.error, findings_json(result.findings), {}, {}};
      judge_problems(result, failures, options_.alerts, record);
      if (learns_baseline(result, learned_at, now_seconds())) {
        record.learned = stored_baseline(id, result);
        SiteBaseline kept = *record.learned;
        std::string().swap(kept.text);
        baselines[id] = {now_seconds(), std::move(kept)};
      }
      finished.push_back(std::move(record));
      if (result.page.answered) {
        PageAnalysis& kept = analyses[id] = std::move(result.analysis);
        // The page's words are needed again only as evidence of a finding;
        // without one, the hash, the sketch and the title are enough.
        if (kept.findings.empty())
          for (std::string* words : {&kept.content.text, &kept.content.hidden_text, &kept.content.external_link_text})
            std::string().swap(*words);  // frees the buffer, which clear() keeps
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
          std::unordered_map<int64_t, KnownBaseline> read;
          for (auto& b : *stored) read[b.site_id] = {unix_of(b.learned_at), std::move(b)};
          for (const auto& [id, known] : baselines)
            if (!read.count(id) && baselines_read) rebaselined.insert(id);
          // A baseline learnt since the read was sent is newer than what it found.
          for (auto& [id, known] : read)
            if (auto mine = baselines.find(id); mine == baselines.end() || mine->second.learned_at <= known.learned_at)
              baselines[id] = std::move(known);
          std::erase_if(baselines, [&](const auto& entry) { return rebaselined.count(entry.first) > 0; });
          baselines_read = true;
        } else {
          log::error("the monitor could not read the content baselines", {{"error", stored.error().message}});
        }
      }
      // A site whose keywords or baseline changed has its page analysed afresh.
      std::erase_if(analyses, [&](const auto& entry) {
        auto now_known = fresh.find(entry.first), before = sites.find(entry.first);
        return now_known == fresh.end() || before == sites.end() || rebaselined.count(entry.first) ||
               now_known->second.keywords != before->second.keywords;
      });
      std::erase_if(baselines, [&](const auto& entry) { return !fresh.count(entry.first); });
      sites = std::move(fresh);
      std::erase_if(extras, [&](const auto& entry) { return !sites.count(entry.first); });
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
    for (const auto& due : schedule.take_due(now, room))
      if (!start_one(due, now)) waiting.push_back(due);

    if (!finished.empty() && (finished.size() >= 500 || now - last_flush >= 1)) {
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
    int wait_ms = next == 0 ? 200 : static_cast<int>(std::clamp((next - now) * 1000, 0.0, 200.0));
    if (!waiting.empty()) wait_ms = std::min(wait_ms, 50);
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
