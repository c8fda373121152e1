#include "http/router.h"

#include "util/text.h"

namespace jaga::http {

void Router::add(Route route) {
  std::vector<std::string> segments;
  for (auto segment : split(std::string_view(route.pattern).substr(1), '/')) segments.emplace_back(segment);
  segments_.push_back(std::move(segments));
  routes_.push_back(std::move(route));
}

namespace {

bool match_pattern(const std::vector<std::string>& want, const std::vector<std::string_view>& got,
                   std::map<std::string, std::string>& params) {
  // Literal segments first, so that a route that cannot match costs no
  // decoding and no parameter map.
  bool rest = !want.empty() && want.back().size() > 3 && want.back().compare(0, 2, "{*") == 0;
  size_t fixed = rest ? want.size() - 1 : want.size();
  if (rest ? got.size() < fixed : got.size() != fixed) return false;
  auto is_param = [](const std::string& w) { return w.size() > 2 && w.front() == '{' && w.back() == '}'; };
  for (size_t i = 0; i < fixed; ++i) {
    if (is_param(want[i])) {
      if (got[i].empty()) return false;
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  for (size_t i = 0; i < fixed; ++i)
    if (is_param(want[i])) params[want[i].substr(1, want[i].size() - 2)] = percent_decode(got[i], false);
  if (rest) {
    std::string tail;
    for (size_t k = fixed; k < got.size(); ++k) {
      if (k > fixed) tail += '/';
      tail += got[k];
    }
    params[want.back().substr(2, want.back().size() - 3)] = percent_decode(tail, false);
  }
  return true;
}

}  // namespace

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  auto got = split(path.substr(path.empty() ? 0 : 1), '/');
  for (size_t r = 0; r < routes_.size(); ++r) {
    const Route& route = routes_[r];
    std::map<std::string, std::string> params;
    if (!match_pattern(segments_[r], got, params)) continue;
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      result.route = &route;
      result.params = std::move(params);
      return result;
    }
    if (result.allow.find(route.method) == std::string::npos) {
      if (!result.allow.empty()) result.allow += ", ";
      result.allow += route.method;
    }
  }
  return result;
}

}  // namespace jaga::http
