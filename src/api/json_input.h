// Reading request bodies: JSON parsed with errors that name the field, and the
// typed getters handlers use. A wrong type or a missing field is a 400 whose
// problem+json says which field and why.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "util/result.h"

namespace jaga::api {

Result<boost::json::object> parse_json_object(std::string_view body);

// `required`: missing is an error; otherwise missing or null gives "".
Result<std::string> string_field(const boost::json::object& o, const char* name, bool required,
                                 size_t max_chars, const std::string& path_prefix = "/");
Result<std::optional<bool>> bool_field(const boost::json::object& o, const char* name,
                                       const std::string& path_prefix = "/");

// An array of strings, each at most max_chars; missing or null gives {}.
Result<std::vector<std::string>> string_list_field(const boost::json::object& o, const char* name, size_t max_items,
                                                   size_t max_chars, const std::string& path_prefix = "/");

}  // namespace jaga::api
