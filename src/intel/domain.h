// Domain names: validation against the public suffix list (libpsl) and IDN
// conversion to punycode (libidn2). Thread-safe: the suffix list is loaded once
// and only read afterwards.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jaga {

// Returns the canonical form (lower case, punycode, no trailing dot) of a
// domain whose top-level label is a real public suffix and that has at least
// one label below it; nothing otherwise.
std::optional<std::string> canonical_domain(std::string_view text);

// Whether `name` is a public suffix ("com", "co.id") by an explicit rule of
// the list; with `implicit_star_rule`, any unknown top-level label is one too.
bool is_public_suffix(const std::string& name, bool implicit_star_rule = false);

// The registrable domain ("example.co.id" for "a.b.example.co.id").
std::string registrable_domain(std::string_view canonical);

// The Unicode form of a punycode domain for display.
std::string domain_to_unicode(std::string_view canonical);

}  // namespace jaga
