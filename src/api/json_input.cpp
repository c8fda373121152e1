#include "api/json_input.h"

#include "util/text.h"

namespace jaga::api {

Result<boost::json::object> parse_json_object(std::string_view body) {
  if (!is_valid_utf8(body)) return Error::invalid("the request body is not valid UTF-8");
  boost::json::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 32;
  auto value = boost::json::parse(body, ec, {}, options);
  if (ec) return Error::invalid("the request body is not valid JSON: " + ec.message());
  if (!value.is_object()) return Error::invalid("the request body must be a JSON object", "/");
  return std::move(value.as_object());
}

static size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

Result<std::string> string_field(const boost::json::object& o, const char* name, bool required,
                                 size_t max_chars, const std::string& prefix) {
  std::string path = prefix + name;
  auto* v = o.if_contains(name);
  if (!v || v->is_null()) {
    if (required) return Error::invalid(std::string(name) + " is required", path);
    return std::string();
  }
  if (!v->is_string()) return Error::invalid(std::string(name) + " must be a string", path);
  std::string value(v->as_string());
  if (required && trim(value).empty()) return Error::invalid(std::string(name) + " must not be empty", path);
  if (utf8_length(value) > max_chars)
    return Error::invalid(std::string(name) + " is longer than " + std::to_string(max_chars) + " characters", path);
  return value;
}

Result<std::optional<bool>> bool_field(const boost::json::object& o, const char* name, const std::string& prefix) {
  auto* v = o.if_contains(name);
  if (!v || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return Error::invalid(std::string(name) + " must be true or false", prefix + name);
  return std::optional<bool>(v->as_bool());
}

Result<std::vector<std::string>> string_list_field(const boost::json::object& o, const char* name, size_t max_items,
                                                   size_t max_chars, const std::string& prefix) {
  std::vector<std::string> out;
  auto* v = o.if_contains(name);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) return Error::invalid(std::string(name) + " must be a list", prefix + name);
  const auto& array = v->as_array();
  if (array.size() > max_items)
    return Error::invalid(std::string(name) + " can hold at most " + std::to_string(max_items) + " items", prefix + name);
  for (size_t i = 0; i < array.size(); ++i) {
    std::string path = prefix + name + "/" + std::to_string(i);
    if (!array[i].is_string()) return Error::invalid(std::string(name) + " must hold text only", path);
    const auto& text = array[i].as_string();
    if (text.size() > max_chars) return Error::invalid(std::string(name) + " has an item that is too long", path);
    out.emplace_back(text.data(), text.size());
  }
  return out;
}

}  // namespace jaga::api
