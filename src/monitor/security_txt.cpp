#include "monitor/security_txt.h"

#include <algorithm>
#include <cctype>

#include "util/text.h"
#include "util/time.h"

namespace jaga::monitor {

SecurityTxt read_security_txt(std::string_view text, long long now_unix) {
  SecurityTxt out;
  int expires_count = 0, languages_count = 0;
  bool signed_message = false, in_signed_header = false;
  size_t line_number = 0;
  for (std::string_view line : split(text, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // A file signed with OpenPGP (RFC 4880 cleartext): its armour headers
    // end at the first blank line, the signature ends the fields.
    if (line_number == 1 && line == "-----BEGIN PGP SIGNED MESSAGE-----") {
      signed_message = in_signed_header = true;
      continue;
    }
    if (in_signed_header) {
      if (trim(line).empty()) in_signed_header = false;
      continue;
    }
    if (signed_message && line == "-----BEGIN PGP SIGNATURE-----") break;
    if (signed_message && line.rfind("- ", 0) == 0) line.remove_prefix(2);
    std::string_view content = trim(line);
    if (content.empty() || content.front() == '#') continue;
    size_t colon = content.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      out.problems.push_back("Line " + std::to_string(line_number) + " is neither a field (\"Name: value\") nor a comment.");
      continue;
    }
    std::string name = to_lower_ascii(trim(content.substr(0, colon)));
    std::string value(trim(content.substr(colon + 1)));
    if (name == "contact") {
      std::string scheme = to_lower_ascii(value.substr(0, value.find(':') + 1));
      if (scheme == "http:")
        out.problems.push_back("Contact " + value + " must use https://, not http:// (RFC 9116, 2.5.3).");
      else if (scheme != "mailto:" && scheme != "https:" && scheme != "tel:")
        out.problems.push_back("Contact " + value + " is not a mailto:, https: or tel: URI (RFC 9116, 2.5.3).");
      out.contacts.push_back(value);
    } else if (name == "expires") {
      ++expires_count;
      out.expires = value;
    } else if (name == "preferred-languages") {
      ++languages_count;
    }
  }
  if (out.contacts.empty()) out.problems.push_back("There is no Contact field; RFC 9116 requires at least one.");
  if (expires_count == 0) {
    out.problems.push_back("There is no Expires field; RFC 9116 requires one.");
  } else if (expires_count > 1) {
    out.problems.push_back("Expires appears " + std::to_string(expires_count) + " times; RFC 9116 allows it once.");
  } else if (auto when = parse_rfc3339(out.expires); !when) {
    out.problems.push_back("Expires \"" + out.expires + "\" is not an RFC 3339 date and time.");
  } else if (unix_seconds(*when) <= now_unix) {
    out.problems.push_back("The file expired on " + out.expires + ".");
  }
  if (languages_count > 1) out.problems.push_back("Preferred-Languages appears more than once; RFC 9116 allows it once.");
  return out;
}

}  // namespace jaga::monitor
