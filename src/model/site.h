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
  bool findings = true;  // false: states without their findings (the monitor's schedule needs none)
};

// A problem a check found that deserves an incident: one open alert, and
// one incident, per site and kind, however many checks see it.
struct SiteProblem {
  std::string kind;      // down, defacement, spam, certificate
  std::string severity;  // critical, high, medium, low (the incident's)
  std::string category;  // RSIT class:type
  std::string title;
  std::string evidence;  // for the incident's timeline: what was found, and the page's text
  // Defacement and spam: the page as it was served, kept with the alert
  // when it opens, and its visible text, compared with the baseline's.
  std::string page_copy, page_text, page_url;
  std::string response_due, resolution_due;  // from the SLA policy
};

inline constexpr const char* kSiteProblemKinds[] = {"down", "defacement", "spam", "certificate"};

// What a site's page looks like when it is well, learnt by the monitor from
// a clean check: the page's title, a sketch of its text, the hosts its
// scripts and frames come from, and the start of its text (for the diff an
// alert shows). An analyst's reset lets the next clean check learn anew.
struct SiteBaseline {
  int64_t site_id = 0;
  std::string learned_at;  // RFC 3339
  std::string title;
  std::string sketch;  // hex, as the monitor's sketch_to_hex writes it
  std::vector<std::string> script_hosts, frame_hosts;
  std::string text;
};

inline constexpr size_t kBaselineTextLimit = 20000;

// A copy of a page kept when an alert opened, and the alert it belongs to.
struct SiteEvidence {
  int64_t id = 0;
  int64_t site_id = 0;
  int64_t incident_id = 0;
  std::string kind;  // the alert's: defacement or spam
  std::string captured_at, url, sha256;
  int64_t size = 0;
  std::string body;  // filled only when one copy is asked for
};

// An alert of a site, open or closed, with its incident and evidence.
struct SiteAlert {
  int64_t id = 0;
  std::string kind;
  int64_t incident_id = 0;
  std::string incident_reference;
  std::string opened_at, last_seen_at, closed_at;  // closed_at empty while open
  int seen = 0;
  std::vector<SiteEvidence> evidence;  // without bodies
};

// One finished check, as the monitor records it.
struct SiteCheckRecord {
  int64_t site_id = 0;
  std::string checked_at;  // RFC 3339
  bool up = false;
  long status = 0;
  double total_ms = 0;
  int score = 0;
  std::string error;
  // [{"id", "severity", "message", "fix"}, ...]. None: the findings are
  // those the site's last record had, and the stored ones stay (most checks
  // find what the last one did, and their JSON was most of what a check's
  // write cost).
  std::optional<std::string> findings_json;
  std::vector<SiteProblem> problems;  // an alert is opened for each, and closed for each kind absent
  std::vector<std::string> unknown;    // kinds this check could not judge: their alerts stay as they are
  std::optional<SiteBaseline> learned;  // a baseline this check's clean page became
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
