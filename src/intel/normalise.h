// Indicators in one canonical form: the form the store keys on, the matcher
// indexes and the exports write, so that one value never appears twice under
// two spellings. Pure functions; a value that is not a valid indicator gets an
// error whose message says what is wrong with it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace jaga {

enum class IndicatorKind : uint8_t { domain, url, ipv4, ipv6, cidr, email, md5, sha1, sha256, sha512 };
inline constexpr int kIndicatorKinds = 10;

std::string_view to_string(IndicatorKind kind);
std::optional<IndicatorKind> parse_indicator_kind(std::string_view text);  // also "ip", "hostname", "ip-dst"...
bool is_hash(IndicatorKind kind);

struct CanonicalIndicator {
  IndicatorKind kind = IndicatorKind::domain;
  std::string value;
  bool operator==(const CanonicalIndicator&) const = default;
};

// `text` as an indicator of `kind`, or of the kind it looks like when no kind
// is given. Defanged forms (hxxp, [.], [at]) are undone first; a CIDR network
// of one address is that address; an IPv4-mapped IPv6 address is the IPv4 one.
Result<CanonicalIndicator> normalise_indicator(std::string_view text, std::optional<IndicatorKind> kind = {});

// Domains: lower case, no trailing dot, IDN in punycode. Any syntactically
// valid name of two labels or more; one label only when it is a public suffix
// (a whole top-level domain can be listed). Wildcards ("*.example.com") are
// the domain itself, since a listed domain covers its subdomains.
Result<std::string> normalise_domain(std::string_view text);

// URLs canonicalised as Google Safe Browsing does: tabs and line breaks
// removed, fragment dropped, percent-escapes undone repeatedly and redone
// for control, space, non-ASCII, '#' and '%' bytes, host lower case with
// dots collapsed (IPv4 in any inet_aton form made dotted decimal), default
// port dropped, dot-segments resolved and repeated slashes collapsed.
// A URL without a scheme is taken as http.
Result<std::string> normalise_url(std::string_view text);

// A URL path with its "." and ".." segments resolved (RFC 3986 5.2.4): a
// trailing "/." or "/.." keeps the slash; `collapse_slashes` also makes runs
// of slashes one, as Safe Browsing does. `path` starts with '/'.
std::string resolve_dot_segments(std::string_view path, bool collapse_slashes);

// The Safe Browsing "host/path" expressions of a canonical URL, most
// specific first: up to 5 host suffixes times up to 6 path prefixes. A URL
// indicator is listed as its first expression; a URL in a log matches it when
// any of its expressions is that one.
std::vector<std::string> url_expressions(std::string_view canonical_url);
// The first of them: host, path and query, without scheme and port.
std::string url_expression(std::string_view canonical_url);
// The host of a canonical URL ("[::1]" without brackets).
std::string_view url_host(std::string_view canonical_url);

// What correlation joins on: the registrable domain of a domain, URL host or
// email address ("example.co.id"), and the /24 or /48 holding an address (or
// a network at least that narrow). Empty where the kind has none.
struct CorrelationKeys {
  std::string registrable, network;
};
CorrelationKeys correlation_keys(const CanonicalIndicator& indicator);

// Plain-list lines as blocklists write them: "evil.example", "0.0.0.0
// evil.example" (hosts files), "||evil.example^" (adblock), with "#" and "!"
// comments. Answers the indicator text of the line, or "" for a comment or a
// blank line.
std::string_view list_line_value(std::string_view line);

}  // namespace jaga
