#include "api/query_input.h"

#include <algorithm>

#include "util/time.h"

namespace jaga::api {

Result<int> query_number(const http::Request& request, const char* name, int fallback, int max) {
  auto text = request.query_value(name);
  if (text.empty()) return fallback;
  if (text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    return Error::invalid(std::string(name) + " must be a whole number", name);
  return std::min(std::stoi(text), max);
}

Result<std::string> query_time(const http::Request& request, const char* name, bool end_of_day) {
  auto value = request.query_value(name);
  if (value.empty()) return std::string();
  auto when = parse_rfc3339(value);
  if (!when) return Error::invalid(std::string(name) + " must be a date such as 2026-11-25", name);
  return format_rfc3339(
      *when + (end_of_day && value.size() == 10 ? std::chrono::hours(24) : std::chrono::hours(0)));
}

Result<int64_t> path_id(const http::Request& request, std::string_view what) {
  const auto& text = request.params.at("id");
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    return Error::not_found("no " + std::string(what) + " " + text);
  return std::stoll(text);
}

Result<std::string> query_search(const http::Request& request) {
  auto text = request.query_value("q");
  if (!text.empty() && text.size() < 3)
    return Error::invalid("search for at least 3 characters", "q");
  if (text.size() > 200) return Error::invalid("search for at most 200 characters", "q");
  return text;
}

}  // namespace jaga::api
