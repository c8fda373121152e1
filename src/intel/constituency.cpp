#include "intel/constituency.h"

#include <algorithm>
#include <map>

namespace jaga {

namespace {

int labels(std::string_view domain) { return static_cast<int>(std::count(domain.begin(), domain.end(), '.')) + 1; }

// The host of a URL ("https://a.b:8443/x" -> "a.b"); IPv6 hosts without brackets.
std::string url_host(std::string_view url) {
  auto start = url.find("://");
  if (start == std::string_view::npos) return {};
  start += 3;
  auto end = url.find_first_of("/?#", start);
  auto host = url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (auto at = host.rfind('@'); at != std::string_view::npos) host = host.substr(at + 1);
  if (!host.empty() && host.front() == '[') return std::string(host.substr(1, host.find(']') - 1));
  if (auto colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
  return std::string(host);
}

}  // namespace

ConstituencyIndex::ConstituencyIndex(const std::vector<Organisation>& organisations) {
  for (const auto& o : organisations) {
    parents_[o.id] = o.parent_id;
    for (const auto& d : o.domains) domains_.emplace(d, o.id);
    for (const auto& n : o.networks)
      if (auto network = parse_network(n)) networks_.emplace_back(*network, o.id);
  }
  std::stable_sort(networks_.begin(), networks_.end(), [](const auto& a, const auto& b) {
    return a.first.prefix + (a.first.base.v6 ? 0 : 96) > b.first.prefix + (b.first.base.v6 ? 0 : 96);
  });
}

std::optional<RouteMatch> ConstituencyIndex::match_host(std::string_view host) const {
  // Strip labels from the left: the first registered suffix is the longest.
  for (std::string_view suffix = host; !suffix.empty();) {
    if (auto it = domains_.find(std::string(suffix)); it != domains_.end())
      return RouteMatch{it->second, std::string(host), it->first, labels(suffix)};
    auto dot = suffix.find('.');
    if (dot == std::string_view::npos) break;
    suffix.remove_prefix(dot + 1);
  }
  return std::nullopt;
}

std::optional<RouteMatch> ConstituencyIndex::match_ip(std::string_view ip) const {
  auto address = parse_ip(ip);
  if (!address) return std::nullopt;
  for (const auto& [network, owner] : networks_)
    if (network.contains(*address)) return RouteMatch{owner, std::string(ip), network.text(), network.prefix};
  return std::nullopt;
}

Routing ConstituencyIndex::route(const std::vector<Indicator>& indicators) const {
  Routing out;
  for (const auto& i : indicators) {
    std::optional<RouteMatch> m;
    if (i.type == "domain") m = match_host(i.value);
    else if (i.type == "url") {
      auto host = url_host(i.value);
      m = parse_ip(host) ? match_ip(host) : match_host(host);
    } else if (i.type == "email") m = match_host(std::string_view(i.value).substr(i.value.rfind('@') + 1));
    else if (i.type == "ipv4" || i.type == "ipv6") m = match_ip(i.value);
    if (m && std::none_of(out.matches.begin(), out.matches.end(), [&](const RouteMatch& seen) {
          return seen.indicator == m->indicator && seen.organisation_id == m->organisation_id;
        }))
      out.matches.push_back(std::move(*m));
  }
  if (out.matches.empty()) return out;
  // The owner is the organisation with the most matches; the most specific
  // match breaks a tie.
  std::map<int64_t, std::pair<int, int>> score;  // id -> (matches, best specificity)
  for (const auto& m : out.matches) {
    auto& [count, best] = score[m.organisation_id];
    ++count;
    best = std::max(best, m.specificity);
  }
  auto owner = std::max_element(score.begin(), score.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  out.organisation_id = owner->first;
  std::stable_sort(out.matches.begin(), out.matches.end(), [&](const RouteMatch& a, const RouteMatch& b) {
    return (a.organisation_id == owner->first) > (b.organisation_id == owner->first);
  });
  return out;
}

std::vector<int64_t> ConstituencyIndex::parent_chain(int64_t organisation_id) const {
  std::vector<int64_t> chain;
  std::optional<int64_t> current = organisation_id;
  while (current && chain.size() < 64 && parents_.count(*current)) {  // 64: a guard against a cycle in bad data
    chain.push_back(*current);
    current = parents_.at(*current);
  }
  return chain;
}

}  // namespace jaga
