// Feeds out for resolvers, sensors and partners, from the store's indicators
// (already filtered by TLP and stripped of warninglisted and expired ones):
// a DNS RPZ zone, a plain list, CSV, a STIX 2.1 bundle, and Suricata rules
// (dns.query, tls.sni and http.host for domains; address rules for IPs and
// networks). Pure: entries in, text out, with what had no form in the format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intel/normalise.h"
#include "model/incident.h"

namespace jaga {

enum class FeedFormat { rpz, plain, csv, stix, suricata };
std::string_view to_string(FeedFormat format);
std::optional<FeedFormat> parse_feed_format(std::string_view text);
std::string_view media_type(FeedFormat format);
std::string_view file_extension(FeedFormat format);

struct FeedEntry {
  CanonicalIndicator indicator;
  Tlp tlp = Tlp::clear;
  std::optional<int> confidence;
  std::string valid_until, first_seen, last_seen;  // RFC 3339 or empty
};

struct FeedOptions {
  std::string zone = "rpz.jaga";  // RPZ
  uint32_t serial = 1;            // RPZ
  std::string made_at;            // RFC 3339: comments, and STIX objects without times
  std::string label;              // what the feed holds, for its header ("TLP:GREEN and below")
  uint32_t first_sid = 8800001;   // Suricata: sids from here, one per rule
};

struct Feed {
  std::string text;
  uint64_t written = 0;  // indicators in the feed
  uint64_t skipped = 0;  // indicators the format has no form for
};

Feed write_feed(const std::vector<FeedEntry>& entries, FeedFormat format, const FeedOptions& options);

}  // namespace jaga
