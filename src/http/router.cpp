#include "http/router.h"

#include "util/text.h"

namespace jaga::http {

void Router::add(Route route) { routes_.push_back(std::move(route)); }

static bool match_pattern(std::string_view pattern, std::string_view path,
                          std::map<std::string, std::string>& params) {
  auto want = split(pattern.substr(1), '/');
  auto got = split(path.substr(path.empty() ? 0 : 1), '/');
  for (size_t i = 0; i < want.size(); ++i) {
    auto w = want[i];
    if (w.size() > 3 && w.substr(0, 2) == "{*") {
      std::string rest;
      for (size_t k = i; k < got.size(); ++k) {
        if (k > i) rest += '/';
        rest += got[k];
      }
      params[std::string(w.substr(2, w.size() - 3))] = percent_decode(rest, false);
      return true;
    }
    if (i >= got.size()) return false;
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (got[i].empty()) return false;
      params[std::string(w.substr(1, w.size() - 2))] = percent_decode(got[i], false);
    } else if (w != got[i]) {
      return false;
    }
  }
  return want.size() == got.size();
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!match_pattern(route.pattern, path, params)) continue;
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
