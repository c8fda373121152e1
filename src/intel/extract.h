// Indicator extraction: finds the URLs, domains, IP addresses, email
// addresses, file hashes and phone numbers that a piece of text names,
// refangs them first, and returns each once in its canonical form.
// Pure functions over text, no I/O: unit-tested and fuzzed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/report.h"

namespace jaga {

struct ExtractOptions {
  // Country calling code assumed for national phone numbers ("0812..."): 62 is Indonesia.
  std::string default_calling_code = "62";
};

std::vector<Indicator> extract_indicators(std::string_view text, const ExtractOptions& options = {},
                                          std::string_view source = "text");

// Canonical forms, also used on their own by the API and the importers.
std::optional<std::string> canonical_url(std::string_view text);
std::optional<std::string> canonical_ipv4(std::string_view text);
std::optional<std::string> canonical_ipv6(std::string_view text);  // v4-mapped stays v6 here
bool is_public_ip(std::string_view canonical);

// Replaces bytes that are not valid UTF-8 by spaces, keeping offsets.
std::string sanitise_utf8(std::string_view text);

}  // namespace jaga
