#include "app/export_command.h"

#include <boost/json.hpp>
#include <ctime>
#include <thread>

#include "api/indicator_service.h"
#include "app/commands.h"
#include "app/indicator_lists.h"
#include "intel/feeds.h"
#include "intel/rpz.h"
#include "util/time.h"

namespace jaga {

std::string export_option_error(const ExportOptions& options) {
  if (!parse_feed_format(options.format))
    return "unknown format '" + options.format + "'; known: rpz, plain, csv, stix, suricata";
  if (!valid_zone_name(options.zone))
    return "--zone: '" + options.zone + "' is not a zone name (labels of letters, digits and hyphens, joined by dots)";
  return {};
}

int run_export(const ExportOptions& options, Store* store, FILE* out, FILE* err) {
  auto fail = [&](const std::string& message) {
    std::fprintf(err, "jaga export: %s\n", message.c_str());
    return 1;
  };
  if (auto problem = export_option_error(options); !problem.empty()) return fail(problem);
  FeedFormat format = *parse_feed_format(options.format);
  FeedOptions feed_options;
  feed_options.zone = options.zone;
  // A serial that grows with time, as resolvers expect of a zone that changes.
  feed_options.serial = static_cast<uint32_t>(std::time(nullptr));
  feed_options.made_at = now_rfc3339();

  std::vector<FeedEntry> entries;
  std::string list_summary;
  if (!options.indicator_files.empty()) {
    auto lists = read_indicator_lists(options.indicator_files, options.warninglists,
                                      static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    if (!lists) return fail(lists.error().message);
    entries.reserve(lists->entries.size());
    for (const auto& e : lists->entries) entries.push_back(FeedEntry{e.indicator, Tlp::clear, {}, {}, {}, {}});
    list_summary = lists->summary("jaga export");
    feed_options.label = "from " + std::to_string(options.indicator_files.size()) + " list(s)";
  } else {
    if (!store) return fail("no store to export from; give --indicators FILE or --data-dir");
    auto shareable = shareable_indicators(*store, options.max_tlp);
    if (!shareable) return fail(shareable.error().message);
    entries = std::move(*shareable);
    feed_options.label = std::string(to_string(options.max_tlp)) + " and less restricted";
  }
  auto feed = write_feed(entries, format, feed_options);
  if (options.indicator_files.empty()) {
    // No export of the store's indicators that the audit log does not know of.
    auto event = commands::cli_event("indicator.export", "", "",
                                     {{"format", options.format},
                                      {"tlp", std::string(to_string(options.max_tlp))},
                                      {"indicators", feed.written}});
    auto audited = wait_for<int64_t>([&](auto cb) { store->append_audit(event, cb); });
    if (!audited) return fail("the export could not be audited, so it is not given: " + audited.error().message);
  }
  std::fwrite(feed.text.data(), 1, feed.text.size(), out);
  if (options.summary) {
    std::string s = "jaga export: " + with_commas(feed.written) + " indicators as " + options.format;
    if (format == FeedFormat::rpz) s += " in the zone " + options.zone;
    if (options.indicator_files.empty()) s += ", " + feed_options.label;
    if (feed.skipped) s += "; " + with_commas(feed.skipped) + " with no " + options.format + " form";
    s += list_summary.empty() ? "\n" : list_summary;
    std::fputs(s.c_str(), err);
  }
  return 0;
}

}  // namespace jaga
