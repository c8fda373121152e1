// The route table: method + path pattern ("/api/v1/reports/{code}") to a
// handler, with the route's name for metrics and its largest accepted body.
// Matching is pure, so a 404 or a 405 with its Allow list is decided before
// any body is read.
#pragma once

#include <string>
#include <vector>

#include "http/message.h"

namespace jaga::http {

struct Route {
  std::string method;
  std::string pattern;  // literal segments and {name} segments; a final {*name} takes the rest
  std::string name;     // label in metrics and the access log
  size_t max_body = 64 * 1024;
  Handler handler;
};

struct RouteMatch {
  const Route* route = nullptr;              // set when found
  std::map<std::string, std::string> params;
  std::string allow;  // when the path matched but not the method: "GET, POST"
};

class Router {
 public:
  void add(Route route);
  RouteMatch match(std::string_view method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
  // Each pattern's segments, split once when added: matching a request
  // splits only its path, once, however many routes it is tried against.
  std::vector<std::vector<std::string>> segments_;
};

}  // namespace jaga::http
