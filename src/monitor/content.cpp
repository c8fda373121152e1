#include "monitor/content.h"

#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "util/text.h"

namespace jaga::monitor {

namespace {

// A style value with spaces removed and in lower case: "display: none" and
// "DISPLAY:NONE" read alike.
std::string compact_style(std::string_view style) {
  std::string out;
  out.reserve(style.size());
  for (char c : style)
    if (!std::isspace(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// True when `style` sets `property` to zero ("0", "0px", "0em"), not to "0.8em".
bool sets_zero(const std::string& style, std::string_view property) {
  for (size_t at = style.find(property); at != std::string::npos; at = style.find(property, at + 1)) {
    if (at > 0 && style[at - 1] != ';' && style[at - 1] != '{') continue;  // "max-height:0" is not "height:0"
    size_t value = at + property.size();
    if (value < style.size() && style[value] == '0' &&
        (value + 1 == style.size() || !(std::isdigit(static_cast<unsigned char>(style[value + 1])) || style[value + 1] == '.')))
      return true;
  }
  return false;
}

// True when `style` moves the element a thousand pixels or more off the page.
bool moved_off_page(const std::string& style) {
  for (std::string_view property : {"left:-", "top:-", "text-indent:-", "margin-left:-"}) {
    for (size_t at = style.find(property); at != std::string::npos; at = style.find(property, at + 1)) {
      if (at > 0 && style[at - 1] != ';') continue;
      if (std::strtol(style.c_str() + at + property.size(), nullptr, 10) >= 1000) return true;
    }
  }
  return false;
}

bool hidden_by_style(std::string_view raw) {
  std::string style = compact_style(raw);
  if (style.find("display:none") != std::string::npos) return true;
  if (style.find("visibility:hidden") != std::string::npos) return true;
  if (sets_zero(style, "font-size:") || sets_zero(style, "opacity:")) return true;
  if (moved_off_page(style)) return true;
  bool clipped = style.find("overflow:hidden") != std::string::npos;
  return clipped && (sets_zero(style, "height:") || sets_zero(style, "width:"));
}

bool is_hidden(const GumboElement& element) {
  if (gumbo_get_attribute(&element.attributes, "hidden")) return true;
  const GumboAttribute* style = gumbo_get_attribute(&element.attributes, "style");
  return style && hidden_by_style(style->value);
}

void append_text(std::string& out, std::string_view text) {
  for (char c : text) {
    bool space = std::isspace(static_cast<unsigned char>(c));
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
}

void separate(std::string& out) {
  if (!out.empty() && out.back() != ' ') out += ' ';
}

void trim_end(std::string& out) {
  while (!out.empty() && out.back() == ' ') out.pop_back();
}

void add_host(std::vector<std::string>& hosts, const std::string& host, const std::string& own_host) {
  if (!host.empty() && host != own_host) hosts.push_back(host);
}

void sort_unique(std::vector<std::string>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

class Reader {
 public:
  Reader(PageContent& page, std::string own_host) : page_(page), own_host_(std::move(own_host)) {}

  void visit(const GumboNode* node, bool hidden, bool in_external_link) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
      std::string_view text = node->v.text.text;
      append_text(hidden ? page_.hidden_text : page_.text, text);
      if (in_external_link) append_text(page_.external_link_text, text);
      return;
    }
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return;
    const GumboElement& element = node->v.element;
    switch (element.tag) {
      case GUMBO_TAG_SCRIPT:
        if (auto* src = gumbo_get_attribute(&element.attributes, "src"))
          add_host(page_.script_hosts, url_host(src->value), own_host_);
        return;
      case GUMBO_TAG_IFRAME:
      case GUMBO_TAG_FRAME:
        if (auto* src = gumbo_get_attribute(&element.attributes, "src"))
          add_host(page_.frame_hosts, url_host(src->value), own_host_);
        return;
      case GUMBO_TAG_TITLE:
        if (page_.title.empty()) {
          for (unsigned i = 0; i < element.children.length; ++i) {
            auto* child = static_cast<const GumboNode*>(element.children.data[i]);
            if (child->type == GUMBO_NODE_TEXT) append_text(page_.title, child->v.text.text);
          }
          trim_end(page_.title);
          if (!page_.title.empty() && page_.title.front() == ' ') page_.title.erase(0, 1);
        }
        return;
      case GUMBO_TAG_STYLE:
      case GUMBO_TAG_NOSCRIPT:
      case GUMBO_TAG_TEMPLATE:
      case GUMBO_TAG_HEAD:
        // The head's scripts and title still count.
        if (element.tag != GUMBO_TAG_HEAD) return;
        break;
      default:
        break;
    }
    bool hidden_here = hidden || is_hidden(element);
    bool external = in_external_link;
    if (element.tag == GUMBO_TAG_A) {
      if (auto* href = gumbo_get_attribute(&element.attributes, "href")) {
        std::string host = url_host(href->value);
        if (!host.empty() && host != own_host_) {
          page_.link_hosts.push_back(host);
          external = true;
          separate(page_.external_link_text);
        }
      }
    }
    std::string& out = hidden_here ? page_.hidden_text : page_.text;
    separate(out);
    for (unsigned i = 0; i < element.children.length; ++i)
      visit(static_cast<const GumboNode*>(element.children.data[i]), hidden_here, external);
    separate(out);
  }

 private:
  PageContent& page_;
  std::string own_host_;
};

}  // namespace

std::string url_host(std::string_view url) {
  size_t start;
  if (url.size() >= 2 && url[0] == '/' && url[1] == '/') {
    start = 2;
  } else {
    size_t colon = url.find("://");
    if (colon == std::string_view::npos) return "";
    std::string scheme = to_lower_ascii(url.substr(0, colon));
    if (scheme != "http" && scheme != "https") return "";
    start = colon + 3;
  }
  size_t end = url.find_first_of("/?#", start);
  std::string_view authority = url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    return to_lower_ascii(authority.substr(0, close == std::string_view::npos ? authority.size() : close + 1));
  }
  if (size_t colon = authority.find(':'); colon != std::string_view::npos) authority = authority.substr(0, colon);
  std::string host = to_lower_ascii(authority);
  while (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

PageContent read_page(std::string_view html, std::string_view page_url) {
  PageContent page;
  GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  Reader reader(page, url_host(page_url));
  reader.visit(output->root, false, false);
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  for (std::string* text : {&page.text, &page.hidden_text, &page.external_link_text}) {
    trim_end(*text);
    if (!text->empty() && text->front() == ' ') text->erase(0, 1);
  }
  sort_unique(page.script_hosts);
  sort_unique(page.frame_hosts);
  sort_unique(page.link_hosts);
  return page;
}

}  // namespace jaga::monitor
