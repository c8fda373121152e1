#include "util/json_text.h"

namespace jaga {

namespace {

constexpr auto npos = std::string_view::npos;

size_t skip_space(std::string_view t, size_t pos) {
  while (pos < t.size() && (t[pos] == ' ' || t[pos] == '\n' || t[pos] == '\r' || t[pos] == '\t')) ++pos;
  return pos;
}

size_t skip_string(std::string_view t, size_t pos) {  // pos at the opening quote
  for (++pos; pos < t.size(); ++pos) {
    if (t[pos] == '\\') ++pos;
    else if (t[pos] == '"') return pos + 1;
  }
  return npos;
}

// One past the end of the value starting at `pos`, or npos.
size_t skip_value(std::string_view t, size_t pos) {
  if (pos >= t.size()) return npos;
  if (t[pos] == '"') return skip_string(t, pos);
  if (t[pos] == '{' || t[pos] == '[') {
    int depth = 0;
    for (; pos < t.size(); ++pos) {
      char c = t[pos];
      if (c == '"') {
        pos = skip_string(t, pos);
        if (pos == npos) return pos;
        --pos;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return pos + 1;
      }
    }
    return npos;
  }
  size_t start = pos;
  while (pos < t.size() && t[pos] != ',' && t[pos] != '}' && t[pos] != ']' && t[pos] != ' ' && t[pos] != '\n' &&
         t[pos] != '\r' && t[pos] != '\t')
    ++pos;
  return pos == start ? npos : pos;
}

size_t skip_bom_and_space(std::string_view t) {
  return skip_space(t, t.size() >= 3 && t.substr(0, 3) == "\xef\xbb\xbf" ? 3 : 0);
}

}  // namespace

std::optional<std::vector<JsonMember>> split_json_object(std::string_view t) {
  std::vector<JsonMember> members;
  size_t pos = skip_bom_and_space(t);
  if (pos >= t.size() || t[pos] != '{') return std::nullopt;
  pos = skip_space(t, pos + 1);
  if (pos < t.size() && t[pos] == '}') return skip_space(t, pos + 1) == t.size() ? std::optional(members) : std::nullopt;
  while (true) {
    if (pos >= t.size() || t[pos] != '"') return std::nullopt;
    size_t key_end = skip_string(t, pos);
    if (key_end == npos) return std::nullopt;
    auto key = t.substr(pos + 1, key_end - pos - 2);
    pos = skip_space(t, key_end);
    if (pos >= t.size() || t[pos] != ':') return std::nullopt;
    size_t value_start = skip_space(t, pos + 1);
    size_t value_end = skip_value(t, value_start);
    if (value_end == npos) return std::nullopt;
    members.push_back({key, t.substr(value_start, value_end - value_start)});
    pos = skip_space(t, value_end);
    if (pos < t.size() && t[pos] == ',') {
      pos = skip_space(t, pos + 1);
      continue;
    }
    if (pos < t.size() && t[pos] == '}' && skip_space(t, pos + 1) == t.size()) return members;
    return std::nullopt;
  }
}

std::optional<std::vector<std::string_view>> split_json_array(std::string_view t) {
  std::vector<std::string_view> elements;
  size_t pos = skip_space(t, 0);
  if (pos >= t.size() || t[pos] != '[') return std::nullopt;
  pos = skip_space(t, pos + 1);
  if (pos < t.size() && t[pos] == ']') return skip_space(t, pos + 1) == t.size() ? std::optional(elements) : std::nullopt;
  while (true) {
    size_t end = skip_value(t, pos);
    if (end == npos) return std::nullopt;
    elements.push_back(t.substr(pos, end - pos));
    pos = skip_space(t, end);
    if (pos < t.size() && t[pos] == ',') {
      pos = skip_space(t, pos + 1);
      continue;
    }
    if (pos < t.size() && t[pos] == ']' && skip_space(t, pos + 1) == t.size()) return elements;
    return std::nullopt;
  }
}

std::optional<std::string_view> member_text(const std::vector<JsonMember>& members, std::string_view key) {
  for (const auto& m : members)
    if (m.key == key) return m.value;
  return std::nullopt;
}

}  // namespace jaga
