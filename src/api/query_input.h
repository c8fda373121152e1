// Reading query parameters of list routes: page numbers, dates and search
// text, each checked the same way everywhere with a 400 naming the parameter.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "http/message.h"
#include "util/result.h"

namespace jaga::api {

// A whole number from `name`, `fallback` when absent, at most `max`.
Result<int> query_number(const http::Request& request, const char* name, int fallback, int max);

// An RFC 3339 time or a date from `name`, as RFC 3339; "" when absent. A
// bare date given as an upper bound (`end_of_day`) includes that whole day.
Result<std::string> query_time(const http::Request& request, const char* name, bool end_of_day);

// The number in the path parameter `id`; anything else is "no <what> <text>"
// (404), as for a number that names nothing.
Result<int64_t> path_id(const http::Request& request, std::string_view what);

// The search text `q`: "" when absent, else 3 to 200 characters.
Result<std::string> query_search(const http::Request& request);

}  // namespace jaga::api
