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

struct SiteSaveCounts {
  int added = 0, updated = 0;
};

}  // namespace jaga
