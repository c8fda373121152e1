// A site's security.txt (RFC 9116) read and judged: where to report a
// vulnerability, and whether the file is present, well formed and current.
// Pure: no I/O; the probe fetches /.well-known/security.txt.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jaga::monitor {

struct SecurityTxt {
  std::vector<std::string> contacts;  // "mailto:..." or "https://..."
  std::string expires;                // as written
  std::vector<std::string> problems;  // each a sentence; empty when the file is valid and current
};

// `text` is the file's body, `now_unix` the time to judge "Expires" by.
SecurityTxt read_security_txt(std::string_view text, long long now_unix);

}  // namespace jaga::monitor
