#include "model/tracking_code.h"

#include "util/crypto.h"

namespace jaga {

std::string generate_tracking_code() {
  // Rejection sampling keeps every character equally likely.
  std::string code = "JG-";
  int produced = 0;
  while (produced < 8) {
    for (unsigned char byte : random_bytes(16)) {
      if (byte >= 240) continue;  // 240 = 8 * 30
      if (produced == 4) code.push_back('-');
      code.push_back(tracking_code_alphabet[byte % tracking_code_alphabet.size()]);
      if (++produced == 8) break;
    }
  }
  return code;
}

std::optional<std::string> normalise_tracking_code(std::string_view text) {
  std::string chars;
  for (char c : text) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    chars.push_back(c);
  }
  if (chars.size() == 10 && chars.rfind("JG", 0) == 0) chars.erase(0, 2);
  if (chars.size() != 8) return std::nullopt;
  for (char c : chars)
    if (tracking_code_alphabet.find(c) == std::string_view::npos) return std::nullopt;
  return "JG-" + chars.substr(0, 4) + "-" + chars.substr(4);
}

}  // namespace jaga
