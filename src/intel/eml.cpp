#include "intel/eml.h"

#include <algorithm>

#include "util/text.h"

namespace jaga {

namespace {

constexpr int max_depth = 8;
constexpr size_t max_parts = 64;

struct Split {
  std::string_view head, body;
};

Split split_head_body(std::string_view bytes) {
  size_t crlf = bytes.find("\r\n\r\n"), lf = bytes.find("\n\n");
  if (crlf != std::string_view::npos && (lf == std::string_view::npos || crlf < lf))
    return {bytes.substr(0, crlf), bytes.substr(crlf + 4)};
  if (lf != std::string_view::npos) return {bytes.substr(0, lf), bytes.substr(lf + 2)};
  return {bytes, {}};
}

std::vector<std::pair<std::string, std::string>> parse_headers(std::string_view head) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (std::string_view raw : split(head, '\n')) {
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (raw.empty()) continue;
    if ((raw[0] == ' ' || raw[0] == '\t') && !headers.empty()) {  // folded continuation
      headers.back().second += ' ';
      headers.back().second += trim(raw);
      continue;
    }
    auto colon = raw.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    headers.emplace_back(to_lower_ascii(trim(raw.substr(0, colon))),
                         std::string(trim(raw.substr(colon + 1))));
    if (headers.size() > 1000) break;
  }
  return headers;
}

std::string find_header(const std::vector<std::pair<std::string, std::string>>& headers,
                        std::string_view name) {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

// The value of `param` in a header like `multipart/mixed; boundary="abc"`.
std::string header_param(std::string_view value, std::string_view param) {
  std::string lower = to_lower_ascii(value);
  size_t pos = 0;
  while ((pos = lower.find(param, pos)) != std::string::npos) {
    size_t after = pos + param.size();
    bool starts_word = pos == 0 || lower[pos - 1] == ';' || lower[pos - 1] == ' ' || lower[pos - 1] == '\t';
    size_t eq = after;
    while (eq < lower.size() && lower[eq] == ' ') ++eq;
    if (starts_word && eq < lower.size() && lower[eq] == '=') {
      size_t v = eq + 1;
      while (v < value.size() && value[v] == ' ') ++v;
      if (v < value.size() && value[v] == '"') {
        auto close = value.find('"', v + 1);
        return std::string(value.substr(v + 1, close == std::string_view::npos ? std::string_view::npos
                                                                                 : close - v - 1));
      }
      auto end = value.find_first_of("; \t", v);
      return std::string(value.substr(v, end == std::string_view::npos ? std::string_view::npos : end - v));
    }
    pos = after;
  }
  return {};
}

std::string media_type_of(std::string_view content_type) {
  auto semi = content_type.find(';');
  return to_lower_ascii(trim(content_type.substr(0, semi)));
}

void parse_entity(std::string_view bytes, int depth, std::vector<EmailPart>& parts,
                  std::vector<std::pair<std::string, std::string>>* top_headers) {
  if (depth > max_depth || parts.size() >= max_parts) return;
  auto [head, body] = split_head_body(bytes);
  auto headers = parse_headers(head);
  std::string content_type = find_header(headers, "content-type");
  std::string media = content_type.empty() ? "text/plain" : media_type_of(content_type);
  if (top_headers) *top_headers = headers;
  if (media.rfind("multipart/", 0) == 0) {
    std::string boundary = header_param(content_type, "boundary");
    if (boundary.empty() || boundary.size() > 200) return;
    std::string delimiter = "--" + boundary;
    size_t pos = body.find(delimiter);
    while (pos != std::string_view::npos && parts.size() < max_parts) {
      size_t start = body.find('\n', pos);
      if (start == std::string_view::npos) break;
      if (body.substr(pos + delimiter.size(), 2) == "--") break;  // closing delimiter
      size_t next = body.find(delimiter, start);
      std::string_view part = body.substr(start + 1, next == std::string_view::npos ? std::string_view::npos
                                                                                   : next - start - 1);
      parse_entity(part, depth + 1, parts, nullptr);
      pos = next;
    }
    return;
  }
  if (media == "message/rfc822") {
    parse_entity(body, depth + 1, parts, nullptr);
    return;
  }
  if (media != "text/plain" && media != "text/html") return;
  std::string encoding = to_lower_ascii(find_header(headers, "content-transfer-encoding"));
  std::string text;
  if (encoding == "base64") {
    if (!decode_base64(body, text)) text.clear();
  } else if (encoding == "quoted-printable") {
    text = decode_quoted_printable(body);
  } else {
    text = std::string(body);
  }
  parts.push_back({media, std::move(text)});
}

// The values of href= and src= attributes, unescaped for &amp;.
std::vector<std::string> html_links(std::string_view html) {
  std::vector<std::string> links;
  std::string lower = to_lower_ascii(html);
  for (std::string_view attr : {"href", "src"}) {
    size_t pos = 0;
    while ((pos = lower.find(attr, pos)) != std::string::npos && links.size() < 10000) {
      size_t p = pos + attr.size();
      pos = p;
      while (p < lower.size() && (lower[p] == ' ' || lower[p] == '\t' || lower[p] == '\n' || lower[p] == '\r')) ++p;
      if (p >= lower.size() || lower[p] != '=') continue;
      ++p;
      while (p < lower.size() && (lower[p] == ' ' || lower[p] == '\n' || lower[p] == '\r')) ++p;
      if (p >= lower.size()) break;
      char quote = html[p];
      size_t begin = (quote == '"' || quote == '\'') ? p + 1 : p;
      size_t end = (quote == '"' || quote == '\'') ? html.find(quote, begin) : html.find_first_of(" >\t\r\n", begin);
      if (end == std::string_view::npos) end = html.size();
      std::string link(html.substr(begin, end - begin));
      // Erase the "amp;" after each '&' (not replace(): GCC 12 reports a false
      // -Wrestrict there once inlined, GCC bug 105329).
      for (size_t amp = 0; (amp = link.find("&amp;", amp)) != std::string::npos;) link.erase(++amp, 4);
      links.push_back(std::move(link));
    }
  }
  return links;
}

// Text of an HTML document with tags turned into spaces.
std::string html_text(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') in_tag = true;
    else if (c == '>') {
      in_tag = false;
      out.push_back(' ');
    } else if (!in_tag) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string EmailMessage::header(std::string_view name) const {
  return find_header(headers, to_lower_ascii(name));
}

std::vector<std::string> EmailMessage::all_headers(std::string_view name) const {
  std::vector<std::string> values;
  std::string key = to_lower_ascii(name);
  for (const auto& [k, v] : headers)
    if (k == key) values.push_back(v);
  return values;
}

EmailMessage parse_email(std::string_view bytes) {
  EmailMessage message;
  parse_entity(bytes, 0, message.parts, &message.headers);
  return message;
}

bool looks_like_email(std::string_view filename, std::string_view media_type, std::string_view head) {
  std::string name = to_lower_ascii(filename);
  if (name.size() >= 4 && name.substr(name.size() - 4) == ".eml") return true;
  if (media_type == "message/rfc822") return true;
  std::string start = to_lower_ascii(head.substr(0, 2048));
  return (start.rfind("received:", 0) == 0 || start.rfind("return-path:", 0) == 0 ||
          start.rfind("from:", 0) == 0 || start.rfind("delivered-to:", 0) == 0) &&
         start.find("\nsubject:") != std::string::npos;
}

std::vector<Indicator> extract_email_indicators(std::string_view bytes, std::string_view source,
                                                const ExtractOptions& options) {
  EmailMessage message = parse_email(bytes);
  std::vector<Indicator> found;
  auto add = [&](Indicator i) {
    if (std::find(found.begin(), found.end(), i) == found.end()) found.push_back(std::move(i));
  };
  for (std::string_view name : {"from", "reply-to", "return-path", "sender"}) {
    for (const auto& value : message.all_headers(name)) {
      for (auto& i : extract_indicators(value, options, source))
        if (i.type == "email") add(std::move(i));
    }
  }
  for (const auto& received : message.all_headers("received")) {
    for (auto& i : extract_indicators(received, options, source)) {
      if ((i.type == "ipv4" || i.type == "ipv6") && is_public_ip(i.value)) add(std::move(i));
    }
  }
  for (const auto& part : message.parts) {
    if (part.content_type == "text/html") {
      for (const auto& link : html_links(part.text))
        for (auto& i : extract_indicators(link, options, source)) add(std::move(i));
      for (auto& i : extract_indicators(html_text(part.text), options, source)) add(std::move(i));
    } else {
      for (auto& i : extract_indicators(part.text, options, source)) add(std::move(i));
    }
  }
  return found;
}

}  // namespace jaga
