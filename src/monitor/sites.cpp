#include "monitor/sites.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "monitor/check.h"
#include "util/csv.h"
#include "util/text.h"

namespace jaga::monitor {

namespace {

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    std::string item(trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
    if (!item.empty()) out.push_back(item);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ";") + item;
  return out;
}

}  // namespace

Status check_site(Site& site) {
  auto url = check_url(site.url);
  if (!url) return Error::invalid(url.error().message, "url");
  site.url = *url;
  if (site.interval_seconds < kMinSiteInterval || site.interval_seconds > kMaxSiteInterval)
    return Error::invalid("the interval must be from " + std::to_string(kMinSiteInterval) + " to " +
                              std::to_string(kMaxSiteInterval) + " seconds, not " + std::to_string(site.interval_seconds),
                          "interval_seconds");
  for (auto* list : {&site.keywords, &site.tags}) {
    for (auto& item : *list) item = std::string(trim(item));
    list->erase(std::remove(list->begin(), list->end(), std::string()), list->end());
    for (const auto& item : *list)
      if (item.find(';') != std::string::npos)
        return Error::invalid("\"" + item + "\" may not hold ';', which separates the items of a list",
                              list == &site.keywords ? "keywords" : "tags");
  }
  if (site.tags.size() > 20) return Error::invalid("a site may have at most 20 tags", "tags");
  if (site.keywords.size() > 20) return Error::invalid("a site may have at most 20 keywords", "keywords");
  return {};
}

Result<std::vector<Site>> read_sites_csv(std::string_view text) {
  auto rows = parse_csv(text);
  if (!rows) return rows.error();
  if (rows->empty()) return Error::invalid("the file is empty: the first line must name the columns (url, ...)");
  static const std::set<std::string> known = {"url", "organisation", "interval_seconds", "keywords", "tags", "enabled"};
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < (*rows)[0].size(); ++i) {
    std::string name(trim((*rows)[0][i]));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!known.count(name))
      return Error::invalid("line 1: unknown column '" + name +
                            "' (the columns: url, organisation, interval_seconds, keywords, tags, enabled)");
    if (column.count(name)) return Error::invalid("line 1: the column '" + name + "' is named twice");
    column[name] = i;
  }
  if (!column.count("url")) return Error::invalid("line 1: there is no url column");
  std::vector<Site> sites;
  std::map<std::string, size_t> seen;  // url -> line
  for (size_t r = 1; r < rows->size(); ++r) {
    const CsvRow& row = (*rows)[r];
    std::string where = "line " + std::to_string(r + 1) + ": ";
    auto field = [&](const char* name) -> std::string {
      auto it = column.find(name);
      return it == column.end() || it->second >= row.size() ? "" : std::string(trim(row[it->second]));
    };
    Site site;
    site.url = field("url");
    site.organisation = field("organisation");
    if (std::string interval = field("interval_seconds"); !interval.empty()) {
      char* end = nullptr;
      long value = std::strtol(interval.c_str(), &end, 10);
      if (*end != '\0') return Error::invalid(where + "interval_seconds '" + interval + "' is not a whole number");
      site.interval_seconds = static_cast<int>(std::clamp(value, -1L, 1000000L));
    }
    site.keywords = split_list(field("keywords"));
    site.tags = split_list(field("tags"));
    std::string enabled = field("enabled");
    std::transform(enabled.begin(), enabled.end(), enabled.begin(), [](unsigned char c) { return std::tolower(c); });
    if (enabled == "no" || enabled == "false" || enabled == "0") site.enabled = false;
    else if (!enabled.empty() && enabled != "yes" && enabled != "true" && enabled != "1")
      return Error::invalid(where + "enabled must be yes or no, not '" + enabled + "'");
    if (auto st = check_site(site); !st) return Error::invalid(where + st.error().message);
    if (auto [it, added] = seen.emplace(site.url, r + 1); !added)
      return Error::invalid(where + site.url + " is already on line " + std::to_string(it->second));
    sites.push_back(std::move(site));
  }
  return sites;
}

std::string sites_csv(const std::vector<Site>& sites) {
  std::string out = csv_line({"url", "organisation", "interval_seconds", "keywords", "tags", "enabled"});
  for (const auto& s : sites)
    out += csv_line({s.url, s.organisation, std::to_string(s.interval_seconds), join_list(s.keywords), join_list(s.tags),
                     s.enabled ? "yes" : "no"});
  return out;
}

std::string sites_csv(const std::vector<SiteState>& states) {
  std::vector<Site> sites;
  sites.reserve(states.size());
  for (const auto& state : states) sites.push_back(state.site);
  return sites_csv(sites);
}

std::vector<Site> sites_for_domains(const Organisation& organisation, int interval_seconds) {
  std::vector<Site> out;
  for (const auto& domain : organisation.domains) {
    Site site;
    site.url = "https://" + domain + "/";
    site.organisation = organisation.name;
    site.interval_seconds = interval_seconds;
    out.push_back(std::move(site));
  }
  return out;
}

}  // namespace jaga::monitor
