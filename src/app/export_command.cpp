#include "app/export_command.h"

#include <cctype>
#include <ctime>
#include <thread>

#include "app/indicator_lists.h"
#include "intel/rpz.h"
#include "util/time.h"

namespace jaga {

namespace {

// An RPZ zone is named by the resolver's configuration, often under a name
// no registry runs ("rpz.jaga"), so only the syntax is checked.
bool valid_zone_name(const std::string& zone) {
  if (zone.empty() || zone.size() > 253) return false;
  size_t start = 0;
  for (;;) {
    size_t dot = zone.find('.', start);
    std::string label = zone.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

int run_export(const ExportOptions& options, FILE* out, FILE* err) {
  auto fail = [&](const std::string& message) {
    std::fprintf(err, "jaga export: %s\n", message.c_str());
    return 1;
  };
  if (options.format != "rpz") return fail("unknown format '" + options.format + "'; known: rpz");
  if (options.indicator_files.empty()) return fail("name the indicators with --indicators FILE");
  if (!valid_zone_name(options.zone)) return fail("--zone: '" + options.zone + "' is not a zone name (labels of letters, digits and hyphens, joined by dots)");
  auto lists = read_indicator_lists(options.indicator_files, options.warninglists,
                                    static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  if (!lists) return fail(lists.error().message);
  std::vector<CanonicalIndicator> indicators;
  indicators.reserve(lists->entries.size());
  for (const auto& e : lists->entries) indicators.push_back(e.indicator);

  RpzOptions rpz;
  rpz.zone = options.zone;
  // A serial that grows with time, as resolvers expect of a zone that changes.
  rpz.serial = static_cast<uint32_t>(std::time(nullptr));
  rpz.comment = "made by jaga at " + now_rfc3339();
  auto zone = rpz_zone(indicators, rpz);
  std::fwrite(zone.text.data(), 1, zone.text.size(), out);
  if (options.summary) {
    std::string s = "jaga export: " + with_commas(zone.domains) + " domains and " + with_commas(zone.addresses) +
                    " addresses in the zone " + options.zone;
    if (zone.skipped) s += "; " + with_commas(zone.skipped) + " with no RPZ form (URLs, email addresses, hashes)";
    std::fputs((s + lists->summary("jaga export")).c_str(), err);
  }
  return 0;
}

}  // namespace jaga
