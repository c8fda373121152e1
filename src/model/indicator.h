// The desk's store of indicators: one row per canonical (kind, value), with
// every source that named it. What the store reads and writes; the canonical
// forms themselves come from intel/normalise.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/incident.h"

namespace jaga {

// Where an indicator came from. A report's indicators are linked as they are
// extracted (and read back as the one source "reports"); the others arrive
// by `jaga import` or the API.
enum class IndicatorSourceKind { report, incident, partner, feed, monitor };
std::string_view to_string(IndicatorSourceKind kind);
std::optional<IndicatorSourceKind> parse_indicator_source_kind(std::string_view text);

// One indicator as an import brings it, already canonical.
struct IndicatorInput {
  std::string kind;         // "domain", "url", "ipv4", ... (intel/normalise.h)
  std::string value;        // canonical
  std::string registrable;  // domains, URLs, email addresses: the registrable domain
  std::string network;      // addresses: their /24 (IPv4) or /48 (IPv6)
  Tlp tlp = Tlp::amber;
  std::optional<int> confidence;  // 0-100
  std::string valid_until;        // RFC 3339; empty: no expiry
  std::string first_seen, last_seen;  // empty: the time of the import
  std::string warninglist;            // the benign list naming it, if any
};

struct IndicatorImport {
  IndicatorSourceKind source_kind = IndicatorSourceKind::feed;
  std::string source_name;  // the feed, partner or file
  std::vector<IndicatorInput> indicators;
};

struct IndicatorImportCounts {
  int64_t added = 0, updated = 0;
};

struct IndicatorSource {
  IndicatorSourceKind kind = IndicatorSourceKind::feed;
  std::string name;
  Tlp tlp = Tlp::amber;
  int64_t count = 0;  // how many times it named the indicator
  std::string first_seen, last_seen;
};

struct StoredIndicator {
  int64_t id = 0;
  std::string kind, value, registrable, network;
  // The least restrictive label among its sources: the value is known to
  // the desk under that label from at least one of them.
  Tlp tlp = Tlp::amber;
  std::optional<int> confidence;
  std::string valid_until;
  std::string first_seen, last_seen;
  std::string warninglist;
  std::vector<IndicatorSource> sources;  // filled by find_indicator only
  int64_t source_count = 0;              // how many sources
};

struct IndicatorFilter {
  std::string query;  // a prefix of the value
  std::string kind;
  std::optional<IndicatorSourceKind> source_kind;
  std::optional<Tlp> max_tlp;        // only what may be shared at this label
  bool include_warninglisted = true;
  bool include_expired = true;
  // Only indicators some source other than a citizen's report vouches for:
  // feeds and lookups never act on a report alone.
  bool vetted_only = false;
  std::string now;                   // decides what has expired
  int64_t after_id = 0;              // keyset paging: ids above this one
  int limit = 50;                    // 0: no limit (scans for exports)
};

// What a hit on an indicator says besides the value: who listed it, and the
// incidents it is part of (through their reports, or imported for them).
struct IndicatorContext {
  std::vector<std::string> sources;    // "feed:phishing-weekly.txt", newest first
  std::vector<std::string> incidents;  // references, newest first
};

// A link between an indicator and something else the desk holds.
enum class CorrelationLink { same_value, same_registrable_domain, same_network_24, same_network_48 };
std::string_view to_string(CorrelationLink link);

struct Correlation {
  CorrelationLink link = CorrelationLink::same_value;
  std::string indicator;     // the other indicator's value (the same one for same_value)
  std::string object_kind;   // "report", "incident", "indicator" (with its sources)
  std::string object;        // tracking code, incident reference, or the indicator's id
  std::string title;         // what to show: an incident's title, a source list
};

}  // namespace jaga
