// Routing an incident to the organisation that owns what it names: the
// longest matching domain suffix for domains, URLs and email addresses, the
// longest matching prefix for IP addresses. Built once from the registry and
// then only read, so one index can serve every request thread. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "intel/network.h"
#include "model/organisation.h"
#include "model/report.h"

namespace jaga {

struct RouteMatch {
  int64_t organisation_id = 0;
  std::string indicator;  // what matched, e.g. "sso.kemenkeu.go.id"
  std::string rule;       // why, e.g. "kemenkeu.go.id" or "103.10.20.0/24"
  int specificity = 0;    // labels of the domain, or prefix bits: longer wins
};

struct Routing {
  std::optional<int64_t> organisation_id;  // none: the desk itself handles it
  std::vector<RouteMatch> matches;         // every indicator that matched, best first
};

class ConstituencyIndex {
 public:
  explicit ConstituencyIndex(const std::vector<Organisation>& organisations);

  Routing route(const std::vector<Indicator>& indicators) const;
  // The organisation itself, then its parent, up to the top.
  std::vector<int64_t> parent_chain(int64_t organisation_id) const;

 private:
  std::optional<RouteMatch> match_host(std::string_view host) const;
  std::optional<RouteMatch> match_ip(std::string_view ip) const;

  std::unordered_map<std::string, int64_t> domains_;  // domain -> owner
  std::vector<std::pair<Network, int64_t>> networks_; // longest prefix first
  std::unordered_map<int64_t, std::optional<int64_t>> parents_;
};

}  // namespace jaga
