// Finds where JSON values begin and end in text without building a document,
// so that a bundle or an envelope of a million objects is read one object at
// a time, and each object's text can be kept exactly as it arrived. Only
// boundaries are found; the values themselves are parsed (and so checked) by
// whoever needs them. Pure.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace jaga {

struct JsonMember {
  std::string_view key;    // between the quotes, escapes as written
  std::string_view value;  // the value's text
};

// The members of a top-level object, in order. Nothing when the text is not
// shaped as one object (a byte-order mark and white space around it allowed).
std::optional<std::vector<JsonMember>> split_json_object(std::string_view text);
// The elements of an array's text ("[...]"), in order.
std::optional<std::vector<std::string_view>> split_json_array(std::string_view text);
// The value of the first member named `key`, or nothing.
std::optional<std::string_view> member_text(const std::vector<JsonMember>& members, std::string_view key);

}  // namespace jaga
