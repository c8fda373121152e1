// What a monitored page shows and where its parts come from, read from its
// HTML with gumbo: the title, the text a visitor sees, the text hidden from
// view (the usual place of injected gambling links), the text of links to
// other sites, and the hosts its scripts and frames load from. Pure: no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jaga::monitor {

struct PageContent {
  std::string title;
  std::string text;                // visible text, whitespace collapsed to single spaces
  std::string hidden_text;         // text of elements hidden by style or attribute
  std::string external_link_text;  // text of links to other hosts
  std::vector<std::string> script_hosts;  // hosts of <script src>, sorted, unique; the page's own host left out
  std::vector<std::string> frame_hosts;   // the same for <iframe src>
  std::vector<std::string> link_hosts;    // hosts of <a href> to other sites
};

// `page_url` is where the page was fetched from: relative links are its own host's.
PageContent read_page(std::string_view html, std::string_view page_url);

// The host of an absolute or protocol-relative URL, in lower case without
// port or credentials; empty for a relative one.
std::string url_host(std::string_view url);

}  // namespace jaga::monitor
