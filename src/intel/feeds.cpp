#include "intel/feeds.h"


#include "intel/rpz.h"
#include "intel/stix_vocabulary.h"
#include "util/csv.h"
#include "util/text.h"

namespace jaga {

namespace {

constexpr std::string_view kNames[] = {"rpz", "plain", "csv", "stix", "suricata"};
constexpr std::string_view kMediaTypes[] = {"text/dns; charset=utf-8", "text/plain; charset=utf-8",
                                            "text/csv; charset=utf-8", "application/stix+json;version=2.1",
                                            "text/plain; charset=utf-8"};
constexpr std::string_view kExtensions[] = {"rpz", "txt", "csv", "json", "rules"};

std::string header_line(std::string_view comment, const FeedOptions& options) {
  std::string s(comment);
  s += " made by jaga";
  if (!options.made_at.empty()) s += " at " + options.made_at;
  if (!options.label.empty()) s += "; " + options.label;
  return s + "\n";
}

Feed plain(const std::vector<FeedEntry>& entries, const FeedOptions& options) {
  Feed feed;
  feed.text = header_line("#", options);
  for (const auto& e : entries) {
    feed.text += e.indicator.value;
    feed.text += '\n';
    ++feed.written;
  }
  return feed;
}

Feed csv(const std::vector<FeedEntry>& entries) {
  Feed feed;
  feed.text = csv_line({"kind", "value", "tlp", "confidence", "valid_until", "first_seen", "last_seen"});
  for (const auto& e : entries) {
    feed.text += csv_line({std::string(to_string(e.indicator.kind)), e.indicator.value, std::string(to_string(e.tlp)),
                           e.confidence ? std::to_string(*e.confidence) : "", e.valid_until, e.first_seen,
                           e.last_seen});
    ++feed.written;
  }
  return feed;
}

// Written as text, field by field: a bundle of a million indicators is not
// built as a document first. Canonical values are ASCII, escaped all the same.
Feed stix(const std::vector<FeedEntry>& entries, const FeedOptions& options) {
  Feed feed;
  // The bundle's id is random by the specification; a digest of its
  // contents keeps it stable for the same export. It comes first in the
  // text, so the ids are made first.
  std::vector<std::string> ids;
  ids.reserve(entries.size());
  std::string all_ids;
  for (const auto& e : entries) all_ids += ids.emplace_back(stix_indicator_id(e.indicator));
  std::string& objects = feed.text;
  objects.reserve(64 + entries.size() * 480);
  objects = "{\"type\":\"bundle\",\"id\":\"" + deterministic_stix_id("bundle", all_ids + options.made_at) +
            "\",\"objects\":[";
  bool first_object = true;
  auto field = [&objects](std::string_view name, std::string_view value, bool first = false) {
    if (!first) objects += ',';
    objects += '"';
    objects += name;
    objects += "\":\"";
    objects += json_escape(value);
    objects += '"';
  };
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    const std::string& created = e.first_seen.empty() ? options.made_at : e.first_seen;
    const std::string& modified = e.last_seen.empty() || e.last_seen < created ? created : e.last_seen;
    const std::string& id = ids[i];
    objects += first_object ? "{" : ",{";
    first_object = false;
    field("type", "indicator", true);
    field("spec_version", "2.1");
    field("id", id);
    field("created", created);
    field("modified", modified);
    field("name", e.indicator.value);
    objects += ",\"indicator_types\":[\"malicious-activity\"]";
    field("pattern", pattern_of(e.indicator));
    field("pattern_type", "stix");
    field("pattern_version", "2.1");
    field("valid_from", created);
    if (!e.valid_until.empty() && e.valid_until > created) field("valid_until", e.valid_until);
    if (e.confidence) objects += ",\"confidence\":" + std::to_string(*e.confidence);
    objects += ",\"object_marking_refs\":[\"";
    objects += tlp_marking_id(e.tlp);
    objects += "\"]}";
    ++feed.written;
  }
  objects += "]}\n";
  return feed;
}

// A rule's message names the indicator; the characters Suricata treats as
// syntax inside msg are escaped.
std::string rule_text(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == ';' || c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

Feed suricata(const std::vector<FeedEntry>& entries, const FeedOptions& options) {
  Feed feed;
  feed.text = header_line("#", options);
  uint32_t sid = options.first_sid;
  auto rule = [&](std::string_view protocol, std::string_view destination, const FeedEntry& e, std::string_view what,
                  std::string_view options_text) {
    feed.text += "alert ";
    feed.text += protocol;
    feed.text += " $HOME_NET any -> ";
    feed.text += destination;
    feed.text += " any (msg:\"jaga: " + std::string(what) + " " + rule_text(e.indicator.value) + " (" +
                 std::string(to_string(e.tlp)) + ")\"; ";
    feed.text += options_text;
    feed.text += "classtype:bad-unknown; sid:" + std::to_string(sid++) + "; rev:1;)\n";
  };
  for (const auto& e : entries) {
    switch (e.indicator.kind) {
      case IndicatorKind::domain: {
        // dotprefix with endswith matches the name and its subdomains, not
        // a longer name ending in the same letters (mybad.example).
        std::string content = "content:\"." + e.indicator.value + "\"; ";
        rule("dns", "any", e, "DNS query for listed domain", "dns.query; dotprefix; " + content + "nocase; endswith; ");
        rule("tls", "any", e, "TLS SNI of listed domain", "tls.sni; dotprefix; " + content + "nocase; endswith; ");
        rule("http", "any", e, "HTTP Host of listed domain", "http.host; dotprefix; " + content + "endswith; ");
        ++feed.written;
        break;
      }
      case IndicatorKind::ipv4:
      case IndicatorKind::ipv6:
      case IndicatorKind::cidr:
        rule("ip", "[" + e.indicator.value + "]", e, "traffic to listed address", "");
        ++feed.written;
        break;
      default: ++feed.skipped; break;
    }
  }
  return feed;
}

}  // namespace

std::string_view to_string(FeedFormat format) { return kNames[static_cast<size_t>(format)]; }
std::string_view media_type(FeedFormat format) { return kMediaTypes[static_cast<size_t>(format)]; }
std::string_view file_extension(FeedFormat format) { return kExtensions[static_cast<size_t>(format)]; }

std::optional<FeedFormat> parse_feed_format(std::string_view text) {
  for (size_t i = 0; i < std::size(kNames); ++i)
    if (kNames[i] == text) return static_cast<FeedFormat>(i);
  return std::nullopt;
}

Feed write_feed(const std::vector<FeedEntry>& entries, FeedFormat format, const FeedOptions& options) {
  switch (format) {
    case FeedFormat::rpz: {
      std::vector<CanonicalIndicator> indicators;
      indicators.reserve(entries.size());
      for (const auto& e : entries) indicators.push_back(e.indicator);
      RpzOptions rpz;
      rpz.zone = options.zone;
      rpz.serial = options.serial;
      rpz.comment = header_line("", options).substr(1);
      rpz.comment.pop_back();
      auto zone = rpz_zone(indicators, rpz);
      return Feed{std::move(zone.text), zone.domains + zone.addresses, zone.skipped};
    }
    case FeedFormat::plain: return plain(entries, options);
    case FeedFormat::csv: return csv(entries);
    case FeedFormat::stix: return stix(entries, options);
    case FeedFormat::suricata: return suricata(entries, options);
  }
  return {};
}

}  // namespace jaga
