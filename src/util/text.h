// Small string helpers shared by every module: case folding of ASCII, trimming,
// splitting, UTF-8 validation. Pure functions, no allocation surprises.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jaga {

std::string to_lower_ascii(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
std::string_view trim(std::string_view text);
std::vector<std::string_view> split(std::string_view text, char separator);
bool starts_with_icase(std::string_view text, std::string_view prefix);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Hex, base64url (no padding) and base64 (RFC 4648, padded) encodings.
std::string to_hex(std::string_view bytes);
std::string to_base64url(std::string_view bytes);
std::string to_base64(std::string_view bytes);

// Decoders for mail and HTTP: return false on malformed input.
bool decode_base64(std::string_view text, std::string& out);  // tolerant of line breaks
std::string decode_quoted_printable(std::string_view text);
std::string percent_decode(std::string_view text, bool plus_as_space);

// JSON-string escaping for log lines built without a JSON library.
std::string json_escape(std::string_view text);
// Appends `text` as a JSON string, quotes included: for lists of many
// short strings written without building a document first.
void append_json_string(std::string& out, std::string_view text);

// 1234567 -> "1,234,567"
std::string with_commas(uint64_t n);

}  // namespace jaga
