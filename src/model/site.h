// A website the desk watches: its address, the organisation of the
// constituency that owns it, how often it is checked, and what its page is
// expected to say.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace jaga {

struct Site {
  int64_t id = 0;
  std::string url;  // absolute, as check_url made it
  std::optional<int64_t> organisation_id;
  std::string organisation;  // the organisation's name: given on writes, filled in by reads
  int interval_seconds = 300;
  std::vector<std::string> keywords;  // text the page must show
  std::vector<std::string> tags;
  bool enabled = true;
  std::string created_at, updated_at;
};

inline constexpr int kMinSiteInterval = 30;
inline constexpr int kMaxSiteInterval = 86400;

struct SiteFilter {
  std::string organisation;  // by name; empty: all
  std::string tag;
  std::string text;  // part of the URL
  int limit = 100;
  int64_t after_id = 0;  // paging: sites with a greater id
};

// A problem a check found that deserves an incident: one open alert, and
// one incident, per site and kind, however many checks see it.
struct SiteProblem {
  std::string kind;      // down, defacement, spam, certificate
  std::string severity;  // critical, high, medium, low (the incident's)
  std::string category;  // RSIT class:type
  std::string title;
  std::string evidence;  // for the incident's timeline: what was found, and the page's text
  std::string response_due, resolution_due;  // from the SLA policy
};

inline constexpr const char* kSiteProblemKinds[] = {"down", "defacement", "spam", "certificate"};

// One finished check, as the monitor records it.
struct SiteCheckRecord {
  int64_t site_id = 0;
  std::string checked_at;  // RFC 3339
  bool up = false;
  long status = 0;
  double total_ms = 0;
  int score = 0;
  std::string error;
  std::string findings_json;  // [{"id", "severity", "message", "fix"}, ...]
  std::vector<SiteProblem> problems;  // an alert is opened for each, and closed for each kind absent
  std::vector<std::string> unknown;    // kinds this check could not judge: their alerts stay as they are
};

// A site with what its latest check found, for the scheduler and the console.
struct SiteState {
  Site site;
  std::string checked_at;  // empty: never checked
  bool up = false;
  long status = 0;
  double total_ms = 0;
  int score = 0;
  std::string error;
  std::string findings_json = "[]";
  int failures_in_row = 0;
  std::string up_since, down_since;
};

// A site's checks over an hour or a day.
struct SiteRollup {
  std::string period;  // hour or day
  std::string start;   // RFC 3339
  int checks = 0, up_checks = 0;
  double p50_ms = 0, p95_ms = 0, max_ms = 0;  // of the checks that were up
};

// How long the history keeps each grain: every check, then hours, then days for good.
struct SiteHistoryPolicy {
  int raw_days = 7;
  int hourly_days = 90;
};

struct SiteSaveCounts {
  int added = 0, updated = 0;
};

}  // namespace jaga
