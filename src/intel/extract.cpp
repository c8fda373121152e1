#include "intel/extract.h"

#include "intel/normalise.h"
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <unordered_set>

#include "intel/domain.h"
#include "intel/normalise.h"
#include "intel/refang.h"
#include "util/text.h"

namespace jaga {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_high(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// Length of the UTF-8 sequence at text[i] when it is CJK or full-width
// punctuation (。，、）etc.), which ends a token like ASCII punctuation does.
size_t cjk_punctuation_length(std::string_view text, size_t i) {
  if (i + 3 > text.size()) return 0;
  auto b0 = static_cast<unsigned char>(text[i]);
  auto b1 = static_cast<unsigned char>(text[i + 1]);
  if (b0 == 0xE3 && b1 == 0x80) return 3;                      // U+3000..U+303F
  if (b0 == 0xEF && (b1 == 0xBC || b1 == 0xBD)) return 3;      // U+FF00..U+FF7F
  if (b0 == 0xE2 && b1 == 0x80) return 3;                      // U+2000..U+203F: quotes, dashes
  return 0;
}

// Characters that end a URL in running text.
bool ends_url(std::string_view text, size_t i) {
  char c = text[i];
  if (static_cast<unsigned char>(c) <= ' ') return true;
  if (std::strchr("<>\"'`{}|\\^", c)) return true;
  return is_high(c) && cjk_punctuation_length(text, i) > 0;
}

class Collector {
 public:
  Collector(std::string_view source) : source_(source) {}
  // Keeps the first of each (type, value) in the order found; a set, because
  // a pasted log can name tens of thousands of distinct addresses.
  void add(std::string type, std::string value) {
    std::string key;
    key.reserve(type.size() + 1 + value.size());
    key.append(type).append(1, '\n').append(value);
    if (!seen_.insert(std::move(key)).second) return;
    found_.push_back({std::move(type), std::move(value), std::string(source_)});
  }
  std::vector<Indicator> take() { return std::move(found_); }

 private:
  std::string_view source_;
  std::vector<Indicator> found_;
  std::unordered_set<std::string> seen_;
};

void mask(std::string& work, size_t begin, size_t end) {
  std::fill(work.begin() + static_cast<long>(begin), work.begin() + static_cast<long>(end), ' ');
}

void add_host(Collector& out, std::string_view url) {
  auto start = url.find("://") + 3;
  auto end = url.find_first_of("/?#", start);
  std::string_view host = url.substr(start, end - start);
  if (!host.empty() && host.front() == '[') {
    out.add("ipv6", std::string(host.substr(1, host.find(']') - 1)));
    return;
  }
  auto colon = host.rfind(':');
  if (colon != std::string_view::npos) host = host.substr(0, colon);
  if (canonical_ipv4(host)) out.add("ipv4", std::string(host));
  else out.add("domain", std::string(host));
}

void find_urls(std::string& work, Collector& out) {
  size_t pos = 0;
  while (true) {
    size_t sep = work.find("://", pos);
    size_t www = std::string::npos;
    for (size_t p = pos; p + 4 <= work.size(); ++p) {
      if (starts_with_icase(std::string_view(work).substr(p), "www.") &&
          (p == 0 || (!is_alnum(work[p - 1]) && work[p - 1] != '.' && work[p - 1] != '/' &&
                      work[p - 1] != '@' && work[p - 1] != '-'))) {
        www = p;
        break;
      }
      if (sep != std::string::npos && p >= sep) break;
    }
    size_t begin;
    bool add_scheme = false;
    if (www != std::string::npos && (sep == std::string::npos || www < sep)) {
      begin = www;
      add_scheme = true;
    } else if (sep != std::string::npos) {
      begin = sep;
      while (begin > 0 && is_alpha(work[begin - 1])) --begin;
      if (begin == sep) {
        pos = sep + 3;
        continue;
      }
    } else {
      return;
    }
    size_t end = begin;
    while (end < work.size() && !ends_url(work, end)) ++end;
    // Trailing punctuation belongs to the sentence, not the URL; a closing
    // bracket stays when the URL opened one.
    while (end > begin) {
      char last = work[end - 1];
      std::string_view candidate(work.data() + begin, end - begin);
      if (std::strchr(".,;:!?*", last)) {
        --end;
      } else if (last == ')' && std::count(candidate.begin(), candidate.end(), '(') <
                                      std::count(candidate.begin(), candidate.end(), ')')) {
        --end;
      } else if (last == ']' && std::count(candidate.begin(), candidate.end(), '[') <
                                      std::count(candidate.begin(), candidate.end(), ']')) {
        --end;
      } else {
        break;
      }
    }
    std::string candidate = work.substr(begin, end - begin);
    if (add_scheme) candidate = "http://" + candidate;
    if (auto url = canonical_url(candidate)) {
      out.add("url", *url);
      add_host(out, *url);
      mask(work, begin, end);
    }
    pos = std::max(end, begin + 1);
  }
}

bool is_local_char(char c) { return is_alnum(c) || std::strchr("._%+-", c); }
bool is_domain_char(char c) { return is_alnum(c) || c == '.' || c == '-' || c == '_' || is_high(c); }

void find_emails(std::string& work, Collector& out) {
  for (size_t at = work.find('@'); at != std::string::npos; at = work.find('@', at + 1)) {
    size_t begin = at;
    while (begin > 0 && is_local_char(work[begin - 1])) --begin;
    size_t end = at + 1;
    while (end < work.size() && is_domain_char(work[end]) && cjk_punctuation_length(work, end) == 0)
      ++end;
    while (end > at + 1 && (work[end - 1] == '.' || work[end - 1] == '-')) --end;
    while (begin < at && work[begin] == '.') ++begin;
    if (begin == at || end == at + 1) continue;
    std::string local = to_lower_ascii(work.substr(begin, at - begin));
    if (local.back() == '.' || local.find("..") != std::string::npos) continue;
    auto domain = canonical_domain(std::string_view(work).substr(at + 1, end - at - 1));
    if (!domain) continue;
    out.add("email", local + "@" + *domain);
    mask(work, begin, end);
  }
}

// A run of the characters in `allowed`, starting where the previous character is not one.
template <class Pred>
size_t run_end(const std::string& work, size_t begin, Pred allowed) {
  size_t end = begin;
  while (end < work.size() && allowed(work[end])) ++end;
  return end;
}

void find_ipv6(std::string& work, Collector& out) {
  auto allowed = [](char c) { return is_hex(c) || c == ':' || c == '.'; };
  for (size_t i = 0; i < work.size();) {
    if (!allowed(work[i]) || (i > 0 && (is_alnum(work[i - 1]) || work[i - 1] == ':'))) {
      ++i;
      continue;
    }
    size_t end = run_end(work, i, allowed);
    std::string_view token(work.data() + i, end - i);
    while (!token.empty() && token.back() == '.') token.remove_suffix(1);
    if (end < work.size() && is_alnum(work[end])) {  // part of a longer word
      i = end;
      continue;
    }
    size_t colons = std::count(token.begin(), token.end(), ':');
    if (colons >= 2 && (token.find("::") != std::string_view::npos || colons == 7)) {
      if (auto v6 = canonical_ipv6(token)) {
        if (v6->rfind("::ffff:", 0) == 0 && v6->find('.') != std::string::npos) {
          out.add("ipv4", v6->substr(7));
        } else if (*v6 != "::") {
          out.add("ipv6", *v6);
        }
        mask(work, i, i + token.size());
      }
    }
    i = end;
  }
}

void find_ipv4(std::string& work, Collector& out) {
  auto allowed = [](char c) { return is_digit(c) || c == '.'; };
  for (size_t i = 0; i < work.size();) {
    if (!is_digit(work[i]) || (i > 0 && (is_alnum(work[i - 1]) || work[i - 1] == '.'))) {
      ++i;
      continue;
    }
    size_t end = run_end(work, i, allowed);
    std::string_view token(work.data() + i, end - i);
    while (!token.empty() && token.back() == '.') token.remove_suffix(1);
    bool followed_by_word = end < work.size() && (is_alpha(work[end]) || work[end] == '_');
    if (!followed_by_word) {
      if (auto v4 = canonical_ipv4(token)) {
        out.add("ipv4", *v4);
        mask(work, i, i + token.size());
      }
    }
    i = end;
  }
}

void find_hashes(std::string& work, Collector& out) {
  for (size_t i = 0; i < work.size();) {
    if (!is_alnum(work[i])) {
      ++i;
      continue;
    }
    size_t end = run_end(work, i, is_alnum);
    std::string_view token(work.data() + i, end - i);
    bool hex = std::all_of(token.begin(), token.end(), is_hex);
    bool bounded = (i == 0 || (!is_high(work[i - 1]) && work[i - 1] != '_')) &&
                   (end == work.size() || (!is_high(work[end]) && work[end] != '_'));
    if (hex && bounded) {
      const char* type = token.size() == 32    ? "md5"
                         : token.size() == 40  ? "sha1"
                         : token.size() == 64  ? "sha256"
                         : token.size() == 128 ? "sha512"
                                               : nullptr;
      if (type) {
        out.add(type, to_lower_ascii(token));
        mask(work, i, end);
      }
    }
    i = end;
  }
}

// Top-level domains that are also everyday file extensions: "notes.zip" or
// "readme.md" in prose is a file, not a domain, unless written as a URL.
bool looks_like_file_name(std::string_view canonical) {
  static constexpr std::array<std::string_view, 12> extensions = {
      "zip", "mov", "md", "py", "sh", "pl", "rs", "so", "ps", "exe", "pdf", "doc"};
  if (std::count(canonical.begin(), canonical.end(), '.') != 1) return false;
  auto tld = canonical.substr(canonical.rfind('.') + 1);
  return std::find(extensions.begin(), extensions.end(), tld) != extensions.end();
}

void find_domains(std::string& work, Collector& out) {
  for (size_t i = 0; i < work.size();) {
    bool starts = (is_alnum(work[i]) || is_high(work[i])) && cjk_punctuation_length(work, i) == 0;
    if (!starts) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < work.size() && is_domain_char(work[end]) && cjk_punctuation_length(work, end) == 0)
      ++end;
    // After '@' it is an account handle or a rejected address; after '/' a path.
    if (i > 0 && (work[i - 1] == '@' || work[i - 1] == '/')) {
      i = end;
      continue;
    }
    std::string_view token(work.data() + i, end - i);
    while (!token.empty() && (token.back() == '.' || token.back() == '-')) token.remove_suffix(1);
    if (token.find('.') != std::string_view::npos && token.find("..") == std::string_view::npos) {
      if (auto domain = canonical_domain(token); domain && !looks_like_file_name(*domain)) {
        out.add("domain", *domain);
      }
    }
    i = std::max(end, i + 1);
  }
}

void find_phones(std::string& work, const ExtractOptions& options, Collector& out) {
  for (size_t i = 0; i < work.size(); ++i) {
    char c = work[i];
    bool plus = c == '+';
    bool paren = c == '(' && i + 1 < work.size() && work[i + 1] == '0';
    if (!(plus || paren || c == '0')) continue;
    if (i > 0 && (is_alnum(work[i - 1]) || work[i - 1] == '.' || work[i - 1] == '+' ||
                  work[i - 1] == '-' || work[i - 1] == '/')) {
      continue;
    }
    std::string digits;
    size_t end = plus ? i + 1 : i;
    size_t last_digit = end;
    int separators_in_a_row = 0;
    while (end < work.size()) {
      char d = work[end];
      if (is_digit(d)) {
        digits.push_back(d);
        separators_in_a_row = 0;
        last_digit = end + 1;
      } else if (d == ' ' || d == '-' || d == '.' || d == '(' || d == ')') {
        if (++separators_in_a_row > 2) break;
      } else {
        break;
      }
      ++end;
    }
    if (last_digit < work.size() && (is_alpha(work[last_digit]) || work[last_digit] == '@')) continue;
    // Built with append, not "+" + string: GCC 12 reports a false -Wrestrict
    // on the latter once it is inlined here (GCC bug 105329).
    std::string number = "+";
    if (plus) {
      if (digits.size() < 8 || digits.size() > 15 || digits[0] == '0') continue;
      number.append(digits);
    } else if (digits.rfind("00", 0) == 0) {
      if (digits.size() < 10 || digits.size() > 17) continue;
      number.append(digits, 2);
    } else {
      if (digits.size() < 9 || digits.size() > 13) continue;
      number.append(options.default_calling_code).append(digits, 1);
    }
    out.add("phone", number);
    mask(work, i, last_digit);
    i = last_digit;
  }
}

bool unreserved(char c) { return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

// Percent-encoding made canonical: escapes upper-cased, unreserved characters
// decoded, bytes that may not appear raw (space, non-ASCII, quotes) escaped.
std::string normalise_escapes(std::string_view text) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '%' && i + 2 < text.size() &&
        is_hex(text[i + 1]) && is_hex(text[i + 2])) {
      auto value = static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      if (unreserved(value)) {
        out.push_back(value);
      } else {
        out.push_back('%');
        out.push_back(static_cast<char>(std::toupper(text[i + 1])));
        out.push_back(static_cast<char>(std::toupper(text[i + 2])));
      }
      i += 2;
    } else if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' ||
               c == '`' || c == '{' || c == '|' || c == '}' || c == '%') {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

}  // namespace

std::string sanitise_utf8(std::string_view text) {
  std::string out(text);
  size_t i = 0;
  while (i < out.size()) {
    auto c = static_cast<unsigned char>(out[i]);
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 1) {
      ++i;
      continue;
    }
    if (len == 0 || i + len > out.size() || !is_valid_utf8(std::string_view(out).substr(i, len))) {
      out[i] = ' ';
      ++i;
      continue;
    }
    i += len;
  }
  return out;
}

std::optional<std::string> canonical_ipv4(std::string_view text) {
  auto parts = split(text, '.');
  if (parts.size() != 4) return std::nullopt;
  for (auto part : parts) {
    if (part.empty() || part.size() > 3) return std::nullopt;
    if (part.size() > 1 && part[0] == '0') return std::nullopt;  // octal is ambiguous
    for (char c : part)
      if (!is_digit(c)) return std::nullopt;
    if (std::stoi(std::string(part)) > 255) return std::nullopt;
  }
  return std::string(text);
}

std::optional<std::string> canonical_ipv6(std::string_view text) {
  if (text.size() > 45) return std::nullopt;
  std::string input(text);
  unsigned char bytes[16];
  if (inet_pton(AF_INET6, input.c_str(), bytes) != 1) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  if (!inet_ntop(AF_INET6, bytes, buf, sizeof buf)) return std::nullopt;
  return std::string(buf);
}

bool is_public_ip(std::string_view ip) {
  if (ip.find(':') == std::string_view::npos) {
    auto parts = split(ip, '.');
    if (parts.size() != 4) return false;
    int a = std::stoi(std::string(parts[0])), b = std::stoi(std::string(parts[1]));
    if (a == 0 || a == 10 || a == 127 || a >= 224) return false;
    if (a == 169 && b == 254) return false;
    if (a == 172 && b >= 16 && b <= 31) return false;
    if (a == 192 && b == 168) return false;
    if (a == 100 && b >= 64 && b <= 127) return false;  // carrier-grade NAT
    return true;
  }
  std::string s = to_lower_ascii(ip);
  if (s == "::" || s == "::1") return false;
  if (s.rfind("fe8", 0) == 0 || s.rfind("fe9", 0) == 0 || s.rfind("fea", 0) == 0 ||
      s.rfind("feb", 0) == 0)
    return false;  // link-local
  if (s.rfind("fc", 0) == 0 || s.rfind("fd", 0) == 0) return false;  // unique local
  if (s.rfind("ff", 0) == 0) return false;                            // multicast
  return true;
}

std::optional<std::string> canonical_url(std::string_view text) {
  auto sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0 || text.size() > 8192) return std::nullopt;
  std::string scheme = to_lower_ascii(text.substr(0, sep));
  if (scheme != "http" && scheme != "https" && scheme != "ftp") return std::nullopt;
  std::string_view rest = text.substr(sep + 3);
  auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      port = authority.substr(close + 2);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  std::string canonical_host;
  if (!host.empty() && host.front() == '[') {
    auto v6 = canonical_ipv6(host.substr(1, host.size() - 2));
    if (!v6) return std::nullopt;
    canonical_host = "[" + *v6 + "]";
  } else if (auto v4 = canonical_ipv4(host)) {
    canonical_host = *v4;
  } else if (auto domain = canonical_domain(host)) {
    canonical_host = *domain;
  } else {
    return std::nullopt;
  }
  std::string canonical_port;
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), is_digit)) return std::nullopt;
    int number = std::stoi(std::string(port));
    if (number == 0 || number > 65535) return std::nullopt;
    bool is_default = (scheme == "http" && number == 80) || (scheme == "https" && number == 443) ||
                      (scheme == "ftp" && number == 21);
    if (!is_default) canonical_port = ":" + std::to_string(number);
  }
  tail = tail.substr(0, tail.find('#'));
  auto query_at = tail.find('?');
  std::string_view path = tail.substr(0, query_at);
  std::string query = query_at == std::string_view::npos
                          ? ""
                          : normalise_escapes(tail.substr(query_at));
  std::string canonical_path = path.empty() ? "/" : resolve_dot_segments(normalise_escapes(path), false);
  return scheme + "://" + canonical_host + canonical_port + canonical_path + query;
}

std::vector<Indicator> extract_indicators(std::string_view text, const ExtractOptions& options,
                                          std::string_view source) {
  std::string work = refang(sanitise_utf8(text));
  Collector out(source);
  find_urls(work, out);
  find_emails(work, out);
  find_ipv6(work, out);
  find_ipv4(work, out);
  find_hashes(work, out);
  find_domains(work, out);
  find_phones(work, options, out);
  auto found = out.take();
  for (auto& indicator : found) {
    auto kind = parse_indicator_kind(indicator.type);
    if (!kind) continue;  // phone numbers
    auto keys = correlation_keys({*kind, indicator.value});
    indicator.registrable = std::move(keys.registrable);
    indicator.network = std::move(keys.network);
  }
  return found;
}

}  // namespace jaga
