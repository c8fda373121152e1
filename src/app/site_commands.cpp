#include "app/site_commands.h"

#include <cstdio>

#include "app/commands.h"
#include "monitor/check.h"
#include "monitor/sites.h"
#include "util/file.h"

namespace jaga::commands {

namespace {

Result<SiteSaveCounts> save(Store& store, std::vector<Site> sites, const std::string& action, const std::string& target) {
  auto event = cli_event(action, "site", target, {{"sites", static_cast<int64_t>(sites.size())}});
  return wait_for<SiteSaveCounts>([&](auto cb) { store.save_sites(std::move(sites), event, cb); });
}

std::string counted(const SiteSaveCounts& counts) {
  return "added " + std::to_string(counts.added) + ", updated " + std::to_string(counts.updated) + " sites\n";
}

}  // namespace

Result<std::string> add_site(Store& store, Site site) {
  if (auto st = monitor::check_site(site); !st) return st.error();
  std::string url = site.url;
  auto counts = save(store, {std::move(site)}, "site.save", url);
  if (!counts) return counts.error();
  return (counts->added ? "added " : "updated ") + url + "\n";
}

Result<std::string> import_sites(Store& store, const std::string& csv_path) {
  auto text = read_whole_file(csv_path);
  if (!text) return text.error();
  auto sites = monitor::read_sites_csv(*text);
  if (!sites) return Error::invalid(csv_path + ": " + sites.error().message);
  auto counts = save(store, std::move(*sites), "site.import", csv_path);
  if (!counts) return counts.error();
  return counted(*counts);
}

Result<std::string> add_organisation_sites(Store& store, const std::string& organisation, int interval_seconds) {
  auto organisations = store.list_organisations();
  if (!organisations) return organisations.error();
  for (const auto& o : *organisations) {
    if (o.name != organisation) continue;
    if (o.domains.empty()) return Error::invalid("'" + organisation + "' has no domains in the registry");
    auto sites = monitor::sites_for_domains(o, interval_seconds);
    for (auto& s : sites)
      if (auto st = monitor::check_site(s); !st) return Error::invalid(s.url + ": " + st.error().message);
    auto counts = save(store, std::move(sites), "site.import", organisation);
    if (!counts) return counts.error();
    return counted(*counts);
  }
  return Error::not_found("there is no organisation named '" + organisation + "'");
}

Result<std::string> remove_site(Store& store, const std::string& url_text) {
  auto url = monitor::check_url(url_text);
  if (!url) return url.error();
  auto removed = wait_for<bool>([&](auto cb) { store.delete_site(*url, cli_event("site.delete", "site", *url), cb); });
  if (!removed) return removed.error();
  if (!*removed) return Error::not_found("no site " + *url + " is watched");
  return "removed " + *url + "\n";
}

Result<std::string> list_sites(Store& store, const SiteFilter& filter) {
  auto all = list_all_site_states(store, filter);
  if (!all) return all.error();
  const std::vector<SiteState>& states = *all;
  std::string out;
  char line[640];
  std::snprintf(line, sizeof line, "%-44s %-9s %-5s %-6s %-32s %s\n", "URL", "STATE", "SCORE", "EVERY", "ORGANISATION",
                "TAGS");
  out += line;
  for (const auto& state : states) {
    const Site& s = state.site;
    std::string tags;
    for (const auto& t : s.tags) tags += (tags.empty() ? "" : ",") + t;
    std::string condition = !s.enabled              ? "paused"
                            : state.checked_at.empty() ? "-"
                            : state.up               ? "up " + std::to_string(state.status)
                                                     : "DOWN";
    std::snprintf(line, sizeof line, "%-44s %-9s %-5s %-6s %-32s %s\n", s.url.c_str(), condition.c_str(),
                  state.checked_at.empty() ? "-" : std::to_string(state.score).c_str(),
                  (std::to_string(s.interval_seconds) + "s").c_str(), s.organisation.empty() ? "-" : s.organisation.c_str(),
                  tags.c_str());
    out += line;
  }
  out += std::to_string(states.size()) + (states.size() == 1 ? " site\n" : " sites\n");
  return out;
}

Result<std::string> export_sites(Store& store) {
  auto states = list_all_site_states(store, {});
  if (!states) return states.error();
  return monitor::sites_csv(*states);
}

}  // namespace jaga::commands
