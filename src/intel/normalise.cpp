#include "intel/normalise.h"

#include <arpa/inet.h>
#include <idn2.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "intel/domain.h"
#include "intel/network.h"
#include "intel/refang.h"
#include "util/text.h"

namespace jaga {

namespace {

constexpr std::array<std::string_view, kIndicatorKinds> kKindNames = {
    "domain", "url", "ipv4", "ipv6", "cidr", "email", "md5", "sha1", "sha256", "sha512"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int hex_value(char c) { return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }
bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// A label of a host name as DNS software accepts it: letters, digits,
// hyphens not at either end, and underscores (used by real services).
bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_';
  });
}

Result<std::string> to_punycode(std::string_view text) {
  if (!is_valid_utf8(text)) return Error::invalid("the domain is not valid UTF-8");
  std::string name(text);
  char* converted = nullptr;
  int rc = idn2_to_ascii_8z(name.c_str(), &converted, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
  if (rc != IDN2_OK) rc = idn2_to_ascii_8z(name.c_str(), &converted, IDN2_TRANSITIONAL | IDN2_NFC_INPUT);
  if (rc != IDN2_OK || !converted) {
    return Error::invalid("'" + name + "' is not a valid internationalised domain name (" + idn2_strerror(rc) + ")");
  }
  std::string out(converted);
  idn2_free(converted);
  return out;
}

// inet_aton's forms, as Safe Browsing reads a URL's host: 1 to 4 parts, each
// decimal, octal (leading 0) or hex (0x); the last part fills the rest.
std::optional<std::string> aton_ipv4(std::string_view host) {
  auto parts = split(host, '.');
  if (parts.empty() || parts.size() > 4) return std::nullopt;
  std::vector<uint64_t> values;
  for (auto part : parts) {
    if (part.empty()) return std::nullopt;
    uint64_t value = 0;
    int base = 10;
    std::string_view digits = part;
    if (part.size() > 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) base = 16, digits = part.substr(2);
    else if (part.size() > 1 && part[0] == '0') base = 8, digits = part.substr(1);
    if (digits.empty() || digits.size() > 12) return std::nullopt;
    for (char c : digits) {
      int d = base == 16 ? (is_hex_digit(c) ? hex_value(c) : 99) : (is_digit(c) ? c - '0' : 99);
      if (d >= base) return std::nullopt;
      value = value * base + d;
    }
    values.push_back(value);
  }
  uint64_t address = 0;
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    if (values[i] > 255) return std::nullopt;
    address |= values[i] << (8 * (3 - i));
  }
  uint64_t rest_bits = 8 * (4 - (values.size() - 1));
  if (values.back() >= (uint64_t{1} << rest_bits)) return std::nullopt;
  address |= values.back();
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 255) + "." +
         std::to_string((address >> 8) & 255) + "." + std::to_string(address & 255);
}

Result<std::string> strict_ipv4(std::string_view text) {
  auto parts = split(text, '.');
  auto bad = [&] { return Error::invalid("'" + std::string(text) + "' is not an IPv4 address"); };
  if (parts.size() != 4) return bad();
  for (auto part : parts) {
    if (part.empty() || part.size() > 3 || !std::all_of(part.begin(), part.end(), is_digit)) return bad();
    if (part.size() > 1 && part[0] == '0')
      return Error::invalid("'" + std::string(text) + "' has a leading zero, which some software reads as octal");
    if (std::stoi(std::string(part)) > 255) return Error::invalid("'" + std::string(text) + "' has a part above 255");
  }
  return std::string(text);
}

// IPv6 in the RFC 5952 form; an IPv4-mapped address answers its IPv4 form.
Result<CanonicalIndicator> any_ipv6(std::string_view text) {
  auto bad = [&] { return Error::invalid("'" + std::string(text) + "' is not an IPv6 address"); };
  if (text.size() > 45 || text.find('%') != std::string_view::npos) return bad();
  std::string input(text);
  unsigned char bytes[16];
  if (inet_pton(AF_INET6, input.c_str(), bytes) != 1) return bad();
  char buffer[INET6_ADDRSTRLEN];
  if (is_ipv4_mapped(bytes)) {
    inet_ntop(AF_INET, bytes + 12, buffer, sizeof buffer);
    return CanonicalIndicator{IndicatorKind::ipv4, buffer};
  }
  inet_ntop(AF_INET6, bytes, buffer, sizeof buffer);
  return CanonicalIndicator{IndicatorKind::ipv6, buffer};
}

Result<CanonicalIndicator> any_ip(std::string_view text) {
  if (text.find(':') != std::string_view::npos) return any_ipv6(text);
  auto v4 = strict_ipv4(text);
  if (!v4) return v4.error();
  return CanonicalIndicator{IndicatorKind::ipv4, *v4};
}

Result<CanonicalIndicator> network(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return any_ip(text);
  auto address = any_ip(text.substr(0, slash));
  if (!address) return address.error();
  auto digits = text.substr(slash + 1);
  bool mapped = address->kind == IndicatorKind::ipv4 && text.substr(0, slash).find(':') != std::string_view::npos;
  int width = address->kind == IndicatorKind::ipv4 ? 32 : 128;
  if (digits.empty() || digits.size() > 3 || !std::all_of(digits.begin(), digits.end(), is_digit))
    return Error::invalid("'" + std::string(text) + "' has no prefix length after the '/'");
  int prefix = std::stoi(std::string(digits));
  if (mapped) {
    if (prefix < 96 || prefix > 128) return Error::invalid("'" + std::string(text) + "' is an IPv4-mapped network with a prefix shorter than /96");
    prefix -= 96;
  }
  if (prefix > width)
    return Error::invalid("'" + std::string(text) + "' has a prefix longer than /" + std::to_string(width));
  if (prefix == width) return *address;
  auto parsed = parse_network(address->value + "/" + std::to_string(prefix));
  if (!parsed) return Error::invalid("'" + std::string(text) + "' is not a CIDR network");
  return CanonicalIndicator{IndicatorKind::cidr, parsed->text()};
}

bool is_hex_text(std::string_view text) { return !text.empty() && std::all_of(text.begin(), text.end(), is_hex_digit); }

Result<CanonicalIndicator> hash(std::string_view text, std::optional<IndicatorKind> want) {
  if (!is_hex_text(text)) return Error::invalid("'" + std::string(text) + "' is not a hexadecimal hash");
  IndicatorKind kind;
  switch (text.size()) {
    case 32: kind = IndicatorKind::md5; break;
    case 40: kind = IndicatorKind::sha1; break;
    case 64: kind = IndicatorKind::sha256; break;
    case 128: kind = IndicatorKind::sha512; break;
    default:
      return Error::invalid("a hash has 32 (MD5), 40 (SHA-1), 64 (SHA-256) or 128 (SHA-512) hex digits; '" +
                            std::string(text.substr(0, 20)) + (text.size() > 20 ? "…" : "") + "' has " +
                            std::to_string(text.size()));
  }
  if (want && *want != kind)
    return Error::invalid("'" + std::string(text.substr(0, 20)) + "…' has " + std::to_string(text.size()) +
                          " hex digits, which is " + std::string(to_string(kind)) + ", not " + std::string(to_string(*want)));
  return CanonicalIndicator{kind, to_lower_ascii(text)};
}

Result<std::string> email(std::string_view text) {
  auto at = text.rfind('@');
  if (at == std::string_view::npos) return Error::invalid("'" + std::string(text) + "' has no '@'");
  auto local = text.substr(0, at);
  if (local.empty() || local.size() > 64) return Error::invalid("'" + std::string(text) + "' has no name before the '@'");
  for (char c : local) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || std::strchr(".!#$%&'*+/=?^_`{|}~-", c) ||
              static_cast<unsigned char>(c) >= 0x80;
    if (!ok) return Error::invalid("'" + std::string(text) + "' has a character an address may not have before the '@'");
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return Error::invalid("'" + std::string(text) + "' has a misplaced dot before the '@'");
  auto domain = normalise_domain(text.substr(at + 1));
  if (!domain) return Error::invalid("'" + std::string(text) + "': " + domain.error().message);
  return to_lower_ascii(local) + "@" + *domain;
}

// Safe Browsing's unescaping: repeated until nothing changes.
std::string unescape_fully(std::string_view text) {
  std::string current(text);
  for (int round = 0; round < 16; ++round) {
    std::string next;
    next.reserve(current.size());
    bool changed = false;
    for (size_t i = 0; i < current.size(); ++i) {
      if (current[i] == '%' && i + 2 < current.size() && is_hex_digit(current[i + 1]) && is_hex_digit(current[i + 2])) {
        next.push_back(static_cast<char>(hex_value(current[i + 1]) * 16 + hex_value(current[i + 2])));
        i += 2;
        changed = true;
      } else {
        next.push_back(current[i]);
      }
    }
    current.swap(next);
    if (!changed) break;
  }
  return current;
}

std::string escape_for_url(std::string_view text) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == '#' || c == '%') {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 15]);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

}  // namespace

std::string resolve_dot_segments(std::string_view path, bool collapse_slashes) {
  std::vector<std::string_view> segments;
  auto parts = split(path.substr(1), '/');
  for (size_t k = 0; k < parts.size(); ++k) {
    auto seg = parts[k];
    bool last = k + 1 == parts.size();
    if (seg == "." || (collapse_slashes && seg.empty() && !last)) {
      if (last) segments.push_back("");
    } else if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
      if (last) segments.push_back("");
    } else {
      segments.push_back(seg);
    }
  }
  std::string out;
  for (auto seg : segments) {
    out.push_back('/');
    out.append(seg);
  }
  return out.empty() ? "/" : out;
}

namespace {

Result<std::string> url_host_name(std::string_view raw, std::string_view url) {
  std::string host = to_lower_ascii(raw);
  if (!host.empty() && host.front() == '[') {
    if (host.back() != ']') return Error::invalid("'" + std::string(url) + "' has an unclosed '[' in its host");
    auto v6 = any_ipv6(std::string_view(host).substr(1, host.size() - 2));
    if (!v6) return Error::invalid("'" + std::string(url) + "' has a bad IPv6 host");
    return v6->kind == IndicatorKind::ipv4 ? v6->value : "[" + v6->value + "]";
  }
  // Leading and trailing dots removed, runs of dots made one.
  std::string collapsed;
  for (char c : host)
    if (c != '.' || (!collapsed.empty() && collapsed.back() != '.')) collapsed.push_back(c);
  while (!collapsed.empty() && collapsed.back() == '.') collapsed.pop_back();
  if (collapsed.empty()) return Error::invalid("'" + std::string(url) + "' has no host");
  if (auto v4 = aton_ipv4(collapsed)) return *v4;
  auto domain = normalise_domain(collapsed);
  if (!domain) return Error::invalid("'" + std::string(url) + "': " + domain.error().message);
  return *domain;
}

}  // namespace

std::string_view to_string(IndicatorKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

std::optional<IndicatorKind> parse_indicator_kind(std::string_view text) {
  std::string name = to_lower_ascii(trim(text));
  for (size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == name) return static_cast<IndicatorKind>(i);
  // The names other tools use (MISP attribute types, STIX object types).
  if (name == "hostname" || name == "domain-name" || name == "fqdn" || name == "host") return IndicatorKind::domain;
  if (name == "uri" || name == "link") return IndicatorKind::url;
  if (name == "ipv4-addr" || name == "ip" || name == "ip-src" || name == "ip-dst") return IndicatorKind::ipv4;
  if (name == "ipv6-addr") return IndicatorKind::ipv6;
  if (name == "email-addr" || name == "email-src" || name == "email-dst") return IndicatorKind::email;
  if (name == "sha-1") return IndicatorKind::sha1;
  if (name == "sha-256") return IndicatorKind::sha256;
  if (name == "sha-512") return IndicatorKind::sha512;
  return std::nullopt;
}

bool is_hash(IndicatorKind kind) {
  return kind == IndicatorKind::md5 || kind == IndicatorKind::sha1 || kind == IndicatorKind::sha256 ||
         kind == IndicatorKind::sha512;
}

Result<std::string> normalise_domain(std::string_view text) {
  std::string_view name = trim(text);
  if (name.empty()) return Error::invalid("a domain may not be empty");
  if (name.size() > 1024) return Error::invalid("a domain has at most 253 characters");
  if (name.substr(0, 2) == "*.") name.remove_prefix(2);
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return Error::invalid("a domain may not be empty");
  if (name.empty() || name.front() == '.') return Error::invalid("'" + std::string(text) + "' starts with a dot");
  std::string ascii(name);
  if (!is_ascii(name)) {
    auto converted = to_punycode(name);
    if (!converted) return converted.error();
    ascii = *converted;
  }
  ascii = to_lower_ascii(ascii);
  if (ascii.size() > 253) return Error::invalid("'" + std::string(text.substr(0, 40)) + "…' is longer than 253 characters");
  auto labels = split(ascii, '.');
  for (auto label : labels) {
    if (label.empty()) return Error::invalid("'" + std::string(text) + "' has an empty label (two dots in a row)");
    if (label.size() > 63) return Error::invalid("'" + std::string(text) + "' has a label longer than 63 characters");
    if (!valid_label(label))
      return Error::invalid("'" + std::string(text) + "' has a character a domain may not have, or a hyphen at a label's end");
  }
  auto top = labels.back();
  if (std::all_of(top.begin(), top.end(), is_digit))
    return Error::invalid("'" + std::string(text) + "' ends in a number, so it is no domain (an IP address?)");
  if (labels.size() == 1 && !is_public_suffix(ascii))
    return Error::invalid("'" + std::string(text) + "' is a single label that is not a top-level domain");
  // A top level that no registry runs is a file name ("report.pdf") or a
  // typing error, unless it is one of the names reserved for tests and
  // private networks (RFC 2606, RFC 6761, RFC 6762, RFC 8375).
  static const std::string_view reserved[] = {"test", "example", "invalid", "localhost", "local", "onion", "internal", "lan", "home", "corp", "intranet", "localdomain"};
  // Some registries are in the suffix list only by their second level
  // ("co.za", not "za"), so the last three labels are asked too.
  bool known = std::find(std::begin(reserved), std::end(reserved), top) != std::end(reserved);
  for (size_t n = 1; !known && n <= std::min<size_t>(3, labels.size()); ++n) {
    std::string suffix(labels[labels.size() - n].data(), ascii.data() + ascii.size() - labels[labels.size() - n].data());
    known = is_public_suffix(suffix);
  }
  if (!known) return Error::invalid("'" + std::string(text) + "' does not end in a known top-level domain");
  return ascii;
}

// A URL's text without tabs and line breaks, which URL parsers drop
// wherever they are (a URL pasted across two lines).
std::string without_line_breaks(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != '\t' && c != '\r' && c != '\n') out.push_back(c);
  return out;
}

Result<std::string> normalise_url(std::string_view text) {
  std::string input = without_line_breaks(trim(text));
  if (input.empty()) return Error::invalid("a URL may not be empty");
  if (input.size() > 8192) return Error::invalid("a URL has at most 8192 characters");
  std::string_view rest = input;
  std::string scheme = "http";
  if (auto sep = rest.find("://"); sep != std::string_view::npos && rest.find_first_of("/?#") > sep) {
    scheme = to_lower_ascii(rest.substr(0, sep));
    if (scheme != "http" && scheme != "https" && scheme != "ftp")
      return Error::invalid("'" + input + "' has the scheme '" + scheme + "'; a URL indicator is http, https or ftp");
    rest.remove_prefix(sep + 3);
  }
  rest = rest.substr(0, rest.find('#'));
  auto authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority, port;
  if (auto close = authority.rfind(']'); !authority.empty() && authority.front() == '[' && close != std::string_view::npos) {
    host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return Error::invalid("'" + input + "' has text after its IPv6 host");
      port = authority.substr(close + 2);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  auto canonical_host = url_host_name(unescape_fully(host), input);
  if (!canonical_host) return canonical_host.error();
  std::string canonical_port;
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), is_digit))
      return Error::invalid("'" + input + "' has a port that is not a number");
    int number = std::stoi(std::string(port));
    if (number == 0 || number > 65535) return Error::invalid("'" + input + "' has a port outside 1-65535");
    bool is_default = (scheme == "http" && number == 80) || (scheme == "https" && number == 443) ||
                      (scheme == "ftp" && number == 21);
    if (!is_default) canonical_port = ":" + std::to_string(number);
  }
  auto query_at = tail.find('?');
  std::string path = unescape_fully(tail.substr(0, query_at));
  if (path.empty() || path.front() != '/') path.insert(0, "/");
  std::string out = scheme + "://" + *canonical_host + canonical_port + escape_for_url(resolve_dot_segments(path, true));
  if (query_at != std::string_view::npos) out += "?" + escape_for_url(unescape_fully(tail.substr(query_at + 1)));
  return out;
}

std::string_view url_host(std::string_view canonical_url) {
  auto start = canonical_url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  auto end = canonical_url.find_first_of("/?", start);
  auto authority = canonical_url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (!authority.empty() && authority.front() == '[') return authority.substr(1, authority.find(']') - 1);
  return authority.substr(0, authority.find(':'));
}

std::string url_expression(std::string_view canonical_url) {
  auto start = canonical_url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  auto path_at = canonical_url.find('/', start);
  std::string host(url_host(canonical_url));
  if (canonical_url.substr(start, 1) == "[") host = "[" + host + "]";
  return host + std::string(path_at == std::string_view::npos ? "/" : canonical_url.substr(path_at));
}

std::vector<std::string> url_expressions(std::string_view canonical_url) {
  auto start = canonical_url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  std::string_view raw_host = url_host(canonical_url);
  bool bracketed = canonical_url.substr(start, 1) == "[";
  auto path_at = canonical_url.find('/', start);
  std::string_view path_and_query = path_at == std::string_view::npos ? "/" : canonical_url.substr(path_at);

  std::vector<std::string> hosts;
  if (bracketed) {
    hosts.push_back("[" + std::string(raw_host) + "]");
  } else if (aton_ipv4(raw_host) && strict_ipv4(raw_host)) {
    hosts.emplace_back(raw_host);
  } else {
    hosts.emplace_back(raw_host);
    auto labels = split(raw_host, '.');
    // The last five labels, then four, three, two; never the top level alone.
    size_t first = labels.size() > 5 ? labels.size() - 5 : 1;
    for (size_t i = first; i + 1 < labels.size(); ++i) {
      std::string suffix(labels[i].data(), raw_host.data() + raw_host.size() - labels[i].data());
      if (suffix != hosts.front()) hosts.push_back(std::move(suffix));
    }
  }

  std::vector<std::string> paths;
  auto add_path = [&](std::string p) {
    if (std::find(paths.begin(), paths.end(), p) == paths.end()) paths.push_back(std::move(p));
  };
  add_path(std::string(path_and_query));
  auto query_at = path_and_query.find('?');
  std::string_view path = path_and_query.substr(0, query_at);
  add_path(std::string(path));
  // "/", "/a/", "/a/b/", "/a/b/c/": four at most, each ending in a slash.
  std::vector<std::string> prefixes{"/"};
  for (size_t pos = 1; prefixes.size() < 4;) {
    auto slash = path.find('/', pos);
    if (slash == std::string_view::npos) break;
    prefixes.emplace_back(path.substr(0, slash + 1));
    pos = slash + 1;
  }
  for (auto& p : prefixes) add_path(p);

  std::vector<std::string> out;
  out.reserve(hosts.size() * paths.size());
  for (const auto& h : hosts)
    for (const auto& p : paths) out.push_back(h + p);
  return out;
}

// Undoes defanging where people defang: in a URL only the scheme and the
// host ("hxxp://evil[.]example/"), since its path and query are taken as
// they are (a canonical path may hold "[.]" or "\." and must stay itself).
std::string refang_indicator(std::string_view text) {
  size_t authority = text.find("//");
  authority = authority == std::string_view::npos ? 0 : authority + 2;
  size_t end = text.find_first_of("/?#", authority);
  if (end == std::string_view::npos) return refang(text);
  return refang(text.substr(0, end)) + std::string(text.substr(end));
}

Result<CanonicalIndicator> normalise_indicator(std::string_view raw, std::optional<IndicatorKind> kind) {
  std::string refanged = refang_indicator(trim(raw));
  std::string_view text = trim(refanged);
  if (text.empty()) return Error::invalid("an indicator may not be empty");
  if (text.size() > 8192) return Error::invalid("an indicator has at most 8192 characters");
  if (!is_valid_utf8(text)) return Error::invalid("the indicator is not valid UTF-8");
  if (!kind) {
    if (text.find("://") != std::string_view::npos) kind = IndicatorKind::url;
    else if (text.find('@') != std::string_view::npos && text.find('/') == std::string_view::npos) kind = IndicatorKind::email;
    else if (is_hex_text(text) && (text.size() == 32 || text.size() == 40 || text.size() == 64 || text.size() == 128))
      return hash(text, std::nullopt);
    else if (auto slash = text.find('/'); slash != std::string_view::npos && text.find("/", slash + 1) == std::string_view::npos &&
             any_ip(text.substr(0, slash)))
      kind = IndicatorKind::cidr;  // an address and a prefix length, perhaps a bad one
    else if (text.find(':') != std::string_view::npos && any_ipv6(text)) kind = IndicatorKind::ipv6;
    else if (is_digit(text.back()) && std::all_of(text.begin(), text.end(), [](char c) { return is_digit(c) || c == '.'; }))
      kind = IndicatorKind::ipv4;
    else if (text.find('/') != std::string_view::npos) kind = IndicatorKind::url;
    else kind = IndicatorKind::domain;
  }
  switch (*kind) {
    case IndicatorKind::domain: {
      auto d = normalise_domain(text);
      if (!d) return d.error();
      return CanonicalIndicator{IndicatorKind::domain, *d};
    }
    case IndicatorKind::url: {
      // Refanged again once the line breaks are out: "hxx\nps://" is "hxxps://".
      auto u = normalise_url(refang_indicator(without_line_breaks(text)));
      if (!u) return u.error();
      return CanonicalIndicator{IndicatorKind::url, *u};
    }
    case IndicatorKind::ipv4:
    case IndicatorKind::ipv6: {
      auto ip = any_ip(text);
      if (!ip) return ip.error();
      return *ip;
    }
    case IndicatorKind::cidr: return network(text);
    case IndicatorKind::email: {
      auto e = email(text);
      if (!e) return e.error();
      return CanonicalIndicator{IndicatorKind::email, *e};
    }
    case IndicatorKind::md5:
    case IndicatorKind::sha1:
    case IndicatorKind::sha256:
    case IndicatorKind::sha512: return hash(text, kind);
  }
  return Error::invalid("unknown indicator kind");
}

CorrelationKeys correlation_keys(const CanonicalIndicator& indicator) {
  CorrelationKeys keys;
  auto registrable_of = [](std::string_view host) {
    if (parse_ip(host)) return std::string();
    return registrable_domain(host);
  };
  switch (indicator.kind) {
    case IndicatorKind::domain: keys.registrable = registrable_of(indicator.value); break;
    case IndicatorKind::url: keys.registrable = registrable_of(url_host(indicator.value)); break;
    case IndicatorKind::email: {
      auto at = indicator.value.rfind('@');
      if (at != std::string::npos) keys.registrable = registrable_of(std::string_view(indicator.value).substr(at + 1));
      break;
    }
    case IndicatorKind::ipv4:
    case IndicatorKind::ipv6:
    case IndicatorKind::cidr: {
      auto network = parse_network(indicator.value);
      if (!network) break;
      int widest = network->base.v6 ? 48 : 24;
      if (network->prefix < widest) break;  // wider than the key: it holds many
      network->prefix = widest;
      keys.network = parse_network(network->text())->text();  // clears the host bits
      break;
    }
    default: break;
  }
  return keys;
}

std::string_view list_line_value(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.front() == '#' || line.front() == '!') return {};
  if (auto hash_at = line.find(" #"); hash_at != std::string_view::npos) line = trim(line.substr(0, hash_at));
  if (auto hash_at = line.find("\t#"); hash_at != std::string_view::npos) line = trim(line.substr(0, hash_at));
  if (line.substr(0, 2) == "||") {
    line.remove_prefix(2);
    line = line.substr(0, line.find('^'));
    return line;
  }
  // hosts files: "0.0.0.0 evil.example", "127.0.0.1 evil.example"
  auto space = line.find_first_of(" \t");
  if (space != std::string_view::npos) {
    auto first = line.substr(0, space);
    if (first == "0.0.0.0" || first == "127.0.0.1" || first == "::" || first == "::1") {
      auto rest = trim(line.substr(space));
      return rest.substr(0, rest.find_first_of(" \t"));
    }
  }
  return line;
}

}  // namespace jaga
