#include "intel/log_match.h"

#include <algorithm>
#include <bit>
#include <boost/json.hpp>
#include <cctype>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "util/text.h"

namespace jaga {

namespace {

inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Bytes that send a host to the slow path: non-ASCII, ':' of an IPv6
// address, '[' of a bracketed one.
inline bool is_special(char c) {
  auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || c == ':' || c == '[';
}

bool has_high_bytes(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  return false;
}

// A host as a log writes it: a name in any case, perhaps with a trailing
// dot or in Unicode, or an address (IPv6 perhaps in brackets).
std::optional<IndexHit> match_host(const IndicatorIndex& index, std::string_view host) {
  if (host.empty()) return std::nullopt;
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (is_digit(host.back()) || host.find(':') != std::string_view::npos) {
    if (!index.has_addresses()) return std::nullopt;
    if (auto ip = parse_ip(host)) return index.match_address(*ip);
    return std::nullopt;
  }
  if (host.back() == '.') host.remove_suffix(1);
  if (has_high_bytes(host)) {
    auto ascii = normalise_domain(host);
    if (!ascii) return std::nullopt;
    return index.match_domain(*ascii);
  }
  return index.match_domain(host);
}

std::optional<IndexHit> match_address_text(const IndicatorIndex& index, std::string_view text) {
  if (!index.has_addresses() || text.empty()) return std::nullopt;
  if (auto ip = parse_ip(text)) return index.match_address(*ip);
  return std::nullopt;
}

// The host of a URL without canonicalising the rest: enough when no URL is
// listed, and much cheaper.
std::string_view host_of_url(std::string_view url) {
  // A scheme only at the start: "x.org/?to=http://y.org" is on x.org.
  auto is_scheme_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  };
  auto sep = url.find("://");
  if (sep != std::string_view::npos && std::all_of(url.begin(), url.begin() + sep, is_scheme_char))
    url.remove_prefix(sep + 3);
  size_t end = 0;
  while (end < url.size() && url[end] != '/' && url[end] != '?' && url[end] != '#') ++end;
  url = url.substr(0, end);
  if (auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  if (!url.empty() && url.front() == '[') return url.substr(0, url.find(']') + 1);
  return url.substr(0, url.rfind(':'));
}

std::optional<IndexHit> match_url_text(const IndicatorIndex& index, std::string_view url) {
  if (!index.has(IndicatorKind::url)) return match_host(index, host_of_url(url));
  auto canonical = normalise_url(url);
  if (!canonical) return match_host(index, host_of_url(url));
  return index.match_url(*canonical);
}

bool is_hex_token(std::string_view t) {
  if (t.size() != 32 && t.size() != 40 && t.size() != 64 && t.size() != 128) return false;
  for (char c : t)
    if (!is_digit(c) && !((c | 0x20) >= 'a' && (c | 0x20) <= 'f')) return false;
  return true;
}

// One token of free text, by what it looks like.
std::optional<IndexHit> match_token(const IndicatorIndex& index, std::string_view token) {
  if (token.find("://") != std::string_view::npos) return match_url_text(index, token);
  if (auto at = token.find('@'); at != std::string_view::npos) {
    if (!index.has(IndicatorKind::email)) return std::nullopt;
    auto email = normalise_indicator(token, IndicatorKind::email);
    if (!email) return std::nullopt;
    return index.match_exact(IndicatorKind::email, email->value);
  }
  if (is_hex_token(token)) {
    auto lower = to_lower_ascii(token);
    for (auto kind : {IndicatorKind::md5, IndicatorKind::sha1, IndicatorKind::sha256, IndicatorKind::sha512})
      if (index.has(kind)) return index.match_exact(kind, lower);
    return std::nullopt;
  }
  if (token.find('.') == std::string_view::npos && token.find(':') == std::string_view::npos) return std::nullopt;
  if (token.find('/') != std::string_view::npos) return match_url_text(index, token);
  return match_host(index, token);
}

bool is_separator(char c) {
  return is_blank(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '(' || c == ')' || c == '[' ||
         c == ']' || c == '{' || c == '}' || c == ',' || c == ';' || c == '|' || c == '`';
}

template <class Found>
void for_each_token(std::string_view text, Found&& found) {
  size_t i = 0, n = text.size();
  while (i < n) {
    while (i < n && is_separator(text[i])) ++i;
    size_t start = i;
    while (i < n && !is_separator(text[i])) ++i;
    std::string_view token = text.substr(start, i - start);
    while (!token.empty() && std::strchr(".:!?=", token.back())) token.remove_suffix(1);
    if (token.size() >= 4) found(token);
  }
}

// `keep`: field and value do not live as long as the chunk (a JSON line's
// decoded strings), so the result keeps copies.
void add_hit(ChunkResult& out, uint64_t line, std::string_view field, std::string_view value,
             const std::optional<IndexHit>& hit, bool keep = false) {
  if (!hit) return;
  if (keep) {
    field = out.texts.emplace_back(field);
    value = out.texts.emplace_back(value);
  }
  out.hits.push_back(LogHit{line, field, value, *hit});
}

// The field values of many lines, matched together: the plain host names
// among them (most of a DNS or proxy log) are looked up as one batch, so
// that their memory accesses overlap (see match_domains); hits come out in
// the order the values were added.
class FieldBatch {
 public:
  // What a value is, and so how it is matched.
  enum class As : uint8_t {
    host,     // a name or an address, as a log writes it
    address,  // an IP address only
    url,
  };

  FieldBatch(const IndicatorIndex& index, ChunkResult& out) : index_(index), out_(out) {}
  ~FieldBatch() { flush(); }

  // `plain`: the host is known to hold no byte that takes the slow path
  // (non-ASCII, ':' or '[').
  void add_host(uint64_t number, std::string_view field, std::string_view value,
                std::string_view host, bool plain) {
    std::string_view name = host;
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    // Addresses, Unicode names and oddities take the slow path.
    int32_t slot = -1;
    if (plain && !name.empty() && !is_digit(name.back())) {
      slot = static_cast<int32_t>(names_count_);
      names_[names_count_++] = name;
    }
    add(number, field, value, As::host, host, slot);
  }
  void add_host(uint64_t number, std::string_view field, std::string_view value,
                std::string_view host) {
    add_host(number, field, value, host, std::none_of(host.begin(), host.end(), is_special));
  }
  void add_address(uint64_t number, std::string_view field, std::string_view value) {
    if (index_.has_addresses()) add(number, field, value, As::address, value, -1);
  }
  // A URL: by its host alone when no URL is listed.
  void add_url(uint64_t number, std::string_view field, std::string_view url) {
    if (index_.has(IndicatorKind::url))
      add(number, field, url, As::url, url, -1);
    else
      add_host(number, field, url, host_of_url(url));
  }

  void flush() {
    if (!size_) return;
    index_.match_domains(names_, names_count_, found_);
    for (size_t i = 0; i < size_; ++i) {
      const Value& v = values_[i];
      if (v.name >= 0) {
        if (found_[v.name]) add_hit(out_, v.number, v.field, v.value, found_[v.name]);
        continue;
      }
      switch (v.as) {
        case As::host:
          add_hit(out_, v.number, v.field, v.value, match_host(index_, v.text));
          break;
        case As::address:
          add_hit(out_, v.number, v.field, v.value, match_address_text(index_, v.text));
          break;
        case As::url:
          add_hit(out_, v.number, v.field, v.value, match_url_text(index_, v.text));
          break;
      }
    }
    size_ = names_count_ = 0;
  }

 private:
  static constexpr size_t kBatch = 64;  // names; a few more values
  struct Value {
    uint64_t number;
    std::string_view field, value, text;  // text: what is matched (the host of a URL, say)
    As as;
    int32_t name;  // its place among names_, or -1: matched alone
  };
  // Flushes as soon as either array is full, so that there is always room.
  void add(uint64_t number, std::string_view field, std::string_view value, As as,
           std::string_view text, int32_t name) {
    values_[size_++] = Value{number, field, value, text, as, name};
    if (size_ == std::size(values_) || names_count_ == kBatch) flush();
  }

  const IndicatorIndex& index_;
  ChunkResult& out_;
  Value values_[4 * kBatch];
  std::string_view names_[kBatch];
  std::optional<IndexHit> found_[kBatch];
  size_t size_ = 0, names_count_ = 0;
};

// Bytes that separate fields (space, tab, CR and the other controls), line
// ends, and bytes that send a name to the slow path (non-ASCII, ':' of an
// IPv6 address, '[' of a bracketed one), as bit masks over 64 bytes: SSE2,
// which every x86-64 has.
struct BlockMasks {
  uint64_t separator, newline, special;
};

#if defined(__SSE2__)
inline BlockMasks block_masks(const char* p) {
  const __m128i space = _mm_set1_epi8(0x20), nl = _mm_set1_epi8('\n'), colon = _mm_set1_epi8(':'),
                bracket = _mm_set1_epi8('[');
  uint64_t separator = 0, newline = 0, special = 0;
  for (int k = 0; k < 4; ++k) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    __m128i low = _mm_cmpeq_epi8(_mm_max_epu8(x, space), space);  // x <= 0x20, unsigned
    separator |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(low))) << (16 * k);
    newline |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, nl)))) << (16 * k);
    __m128i odd = _mm_or_si128(_mm_cmpeq_epi8(x, colon), _mm_cmpeq_epi8(x, bracket));
    // movemask of x itself: the bytes with the high bit set
    special |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_or_si128(x, odd))))
               << (16 * k);
  }
  return {separator, newline, special};
}
#else
inline BlockMasks block_masks(const char* p) {
  uint64_t separator = 0, newline = 0, special = 0;
  for (int i = 0; i < 64; ++i) {
    auto c = static_cast<unsigned char>(p[i]);
    separator |= static_cast<uint64_t>(c <= 0x20) << i;
    newline |= static_cast<uint64_t>(c == '\n') << i;
    special |= static_cast<uint64_t>(c >= 0x80 || c == ':' || c == '[') << i;
  }
  return {separator, newline, special};
}
#endif

// Where fields start and end among the 64 bytes of `text` from `at`, with
// the line end and the special bytes there. Every byte from the line end on
// counts as a separator, and bytes past the end of `text` read as line ends
// (from a copy). `previous_separator`: whether the byte before `at` is one;
// left as the last of these 64 is, for the next block of the same line.
struct FieldMasks {
  uint64_t starts, ends, newline, special;
};

inline FieldMasks field_masks(std::string_view text, size_t at, bool& previous_separator) {
  alignas(64) char last[64];
  const char* p = text.data() + at;
  size_t valid = std::min<size_t>(64, text.size() - at);
  if (valid < 64) {
    std::memcpy(last, p, valid);
    std::memset(last + valid, '\n', 64 - valid);
    p = last;
  }
  BlockMasks masks = block_masks(p);
  uint64_t separator = masks.separator;
  if (masks.newline) separator |= ~((masks.newline & (~masks.newline + 1)) - 1);  // the line end on
  uint64_t before = (separator << 1) | (previous_separator ? 1 : 0);
  previous_separator = separator >> 63;
  return {~separator & before, separator & ~before, masks.newline, masks.special};
}

// The line at the start of `text`: up to `max` of its whitespace-separated
// fields (how many in `count`), read from the bit masks of 64 bytes at a
// time; answers its length, to its newline or the end of `text`.
size_t split_line(std::string_view text, std::string_view* fields, size_t max, size_t& count) {
  count = 0;
  bool previous_separator = true, in_field = false;
  size_t field_start = 0;
  for (size_t block = 0;; block += 64) {
    auto [starts, ends, newline, special] = field_masks(text, block, previous_separator);
    // Starts and ends alternate: a field's end is the first end after its start.
    while (count < max) {
      if (!in_field) {
        if (!starts) break;
        field_start = block + std::countr_zero(starts);
        starts &= starts - 1;
        in_field = true;
      }
      if (!ends) break;
      size_t end = block + std::countr_zero(ends);
      ends &= ends - 1;
      fields[count++] = text.substr(field_start, end - field_start);
      in_field = false;
    }
    if (newline) return block + std::countr_zero(newline);
    if (count == max) {  // the rest of the line only for where it ends
      const char* rest = text.data() + block + 64;
      const void* found = std::memchr(rest, '\n', text.size() - block - 64);
      return found ? static_cast<const char*>(found) - text.data() : text.size();
    }
  }
}

// A DNS line the quick way cannot take (longer than 63 bytes): split the
// plain way. Answers where the next line starts.
size_t scan_dns_line_slowly(std::string_view chunk, size_t at, uint64_t number, FieldBatch& batch,
                            ChunkResult& out) {
  std::string_view f[3];
  size_t count = 0;
  size_t length = split_line(chunk.substr(at), f, 3, count);
  if (length > kMaxLogLine || count < 3) {
    ++out.unreadable;
  } else {
    batch.add_address(number, "client", f[1]);
    batch.add_host(number, "query", f[2], f[2]);
  }
  return at + length + 1;
}

// DNS lines one at a time, each read as bit masks over the 64 bytes from its
// start (nearly every DNS log line is shorter): the fields' starts and ends
// come from a few bit operations, without a branch per byte or per field,
// so that each byte is looked at once here and once more by the name's hash.
void scan_dns(const IndicatorIndex& index, std::string_view chunk, ChunkResult& out) {
  FieldBatch batch(index, out);
  const char* base = chunk.data();
  const size_t size = chunk.size();
  uint64_t number = out.lines;
  size_t at = 0;
  while (at < size) {
    ++number;
    bool line_start = true;
    auto [starts, ends, newline, special] = field_masks(chunk, at, line_start);
    if (newline == 0) {
      at = scan_dns_line_slowly(chunk, at, number, batch, out);
      continue;
    }
    int length = std::countr_zero(newline);
    if (length == 0) {  // an empty line
      at += 1;
      continue;
    }
    // The second and third fields: the client and the query.
    starts &= starts - 1;
    ends &= ends - 1;
    int client_start = std::countr_zero(starts), client_end = std::countr_zero(ends);
    starts &= starts - 1;
    ends &= ends - 1;
    if (starts == 0) {  // fewer than three fields
      ++out.unreadable;
    } else {
      int query_start = std::countr_zero(starts), query_end = std::countr_zero(ends);
      uint64_t in_query = ((uint64_t{1} << query_end) - 1) & ~((uint64_t{1} << query_start) - 1);
      batch.add_address(number, "client",
                        std::string_view(base + at + client_start, client_end - client_start));
      std::string_view query(base + at + query_start, query_end - query_start);
      batch.add_host(number, "query", query, query, (special & in_query) == 0);
    }
    at += length + 1;
  }
  batch.flush();
  out.lines = number;
}

void match_proxy(FieldBatch& batch, const std::string_view* f, size_t count, uint64_t number,
                 ChunkResult& out) {
  if (count < 7) {
    ++out.unreadable;
    return;
  }
  batch.add_address(number, "client", f[2]);
  // CONNECT requests name "host:port" instead of a URL.
  if (f[5] == "CONNECT" && f[6].find('/') == std::string_view::npos)
    batch.add_host(number, "url", f[6], f[6].substr(0, f[6].rfind(':')));
  else
    batch.add_url(number, "url", f[6]);
  if (count >= 9) {
    auto slash = f[8].find('/');
    auto server = slash == std::string_view::npos ? std::string_view() : f[8].substr(slash + 1);
    if (!server.empty() && server != "-") batch.add_address(number, "server", server);
  }
}

void scan_proxy(const IndicatorIndex& index, std::string_view chunk, ChunkResult& out) {
  FieldBatch batch(index, out);
  uint64_t number = out.lines;
  for (size_t at = 0; at < chunk.size();) {
    ++number;
    std::string_view fields[9];
    size_t count = 0;
    size_t length = split_line(chunk.substr(at), fields, 9, count);
    if (length > kMaxLogLine)
      ++out.unreadable;
    else if (length > 0)
      match_proxy(batch, fields, count, number, out);
    at += length + 1;
  }
  batch.flush();
  out.lines = number;
}

void match_text(const IndicatorIndex& index, std::string_view text, std::string_view field,
                uint64_t number, ChunkResult& out, bool keep = false) {
  for_each_token(text, [&](std::string_view token) {
    add_hit(out, number, field, token, match_token(index, token), keep);
  });
}

void walk_json(const IndicatorIndex& index, const boost::json::value& value, std::string& pointer, uint64_t number,
               ChunkResult& out, int depth) {
  if (depth > 32) return;
  if (value.is_string()) {
    std::string_view text = value.as_string();
    if (!text.empty() && text.find_first_of(" \t") == std::string_view::npos)
      add_hit(out, number, pointer, text, match_token(index, text), true);
    else
      match_text(index, text, pointer, number, out, true);
  } else if (value.is_object()) {
    for (const auto& [key, child] : value.as_object()) {
      size_t keep = pointer.size();
      pointer += '/';
      for (char c : std::string_view(key)) pointer += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
      walk_json(index, child, pointer, number, out, depth + 1);
      pointer.resize(keep);
    }
  } else if (value.is_array()) {
    size_t i = 0;
    for (const auto& child : value.as_array()) {
      size_t keep = pointer.size();
      pointer += '/' + std::to_string(i++);
      walk_json(index, child, pointer, number, out, depth + 1);
      pointer.resize(keep);
    }
  }
}

void match_jsonl(const IndicatorIndex& index, std::string_view line, uint64_t number, ChunkResult& out) {
  boost::system::error_code ec;
  auto doc = boost::json::parse(line, ec);
  if (ec) {
    ++out.unreadable;
    return;
  }
  std::string pointer;
  walk_json(index, doc, pointer, number, out, 0);
}

}  // namespace

std::optional<LogFormat> parse_log_format(std::string_view text) {
  if (text == "dns") return LogFormat::dns;
  if (text == "proxy" || text == "squid") return LogFormat::proxy;
  if (text == "text") return LogFormat::text;
  if (text == "jsonl" || text == "json") return LogFormat::jsonl;
  return std::nullopt;
}

void match_lines(const IndicatorIndex& index, LogFormat format, std::string_view chunk, ChunkResult& out) {
  if (format == LogFormat::dns) return scan_dns(index, chunk, out);
  if (format == LogFormat::proxy) return scan_proxy(index, chunk, out);
  const char* p = chunk.data();
  const char* end = p + chunk.size();
  uint64_t number = out.lines;
  while (p < end) {
    const char* newline = static_cast<const char*>(std::memchr(p, '\n', end - p));
    const char* line_end = newline ? newline : end;
    std::string_view line(p, line_end - p);
    ++number;
    if (line.size() > kMaxLogLine) {
      ++out.unreadable;
    } else if (!line.empty()) {
      if (format == LogFormat::text) match_text(index, line, "text", number, out);
      else if (!trim(line).empty()) match_jsonl(index, line, number, out);
    }
    p = newline ? newline + 1 : end;
  }
  out.lines = number;
}

}  // namespace jaga
