// A reader for saved emails (.eml, RFC 5322 + MIME) as reporters attach them
// to phishing reports: the headers that name the sender, the relays in the
// Received headers, and the decoded text and HTML parts. Pure; bounded in depth
// and part count so a hostile message cannot make it loop or blow up.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "intel/extract.h"
#include "model/report.h"

namespace jaga {

struct EmailPart {
  std::string content_type;  // lower case, without parameters
  std::string text;          // transfer-decoded
};

struct EmailMessage {
  std::vector<std::pair<std::string, std::string>> headers;  // unfolded, in order
  std::vector<EmailPart> parts;                              // text/plain and text/html leaves
  std::string header(std::string_view name) const;           // first one, or ""
  std::vector<std::string> all_headers(std::string_view name) const;
};

EmailMessage parse_email(std::string_view bytes);

// Whether an attachment looks like a saved email worth parsing.
bool looks_like_email(std::string_view filename, std::string_view media_type, std::string_view head);

// The indicators a saved email names: sender addresses (From, Reply-To,
// Return-Path, Sender), public relay IPs in Received headers, and URLs, domains
// and the rest in its text and HTML parts (href and src included).
std::vector<Indicator> extract_email_indicators(std::string_view bytes, std::string_view source,
                                                const ExtractOptions& options = {});

}  // namespace jaga
