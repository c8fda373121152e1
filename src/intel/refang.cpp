#include "intel/refang.h"

#include "util/text.h"

namespace jaga {

namespace {

struct Replacement {
  std::string_view from;  // matched case-insensitively
  std::string_view to;
};

// Longest forms first, so "[://]" wins over "[:]".
constexpr Replacement replacements[] = {
    {"hxxps[://]", "https://"}, {"hxxp[://]", "http://"}, {"[://]", "://"},
    {"hxxps", "https"}, {"hxxp", "http"}, {"hxxxp", "http"}, {"hxxxps", "https"},
    {"h**ps", "https"}, {"h**p", "http"}, {"meows://", "https://"}, {"meow://", "http://"},
    {"fxp://", "ftp://"},
    {"[dot]", "."}, {"(dot)", "."}, {"{dot}", "."}, {"[ . ]", "."}, {"[.]", "."}, {"(.)", "."},
    {"{.}", "."}, {"\\.", "."}, {"[d]", "."},
    {"[at]", "@"}, {"(at)", "@"}, {"{at}", "@"}, {"[@]", "@"}, {"(@)", "@"}, {"{@}", "@"},
    {"[:]", ":"}, {"[/]", "/"},
};

}  // namespace

std::string refang(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    bool replaced = false;
    char c = text[i];
    if (c == 'h' || c == 'H' || c == '[' || c == '(' || c == '{' || c == '\\' || c == 'm' ||
        c == 'M' || c == 'f' || c == 'F') {
      for (const auto& r : replacements) {
        if (starts_with_icase(text.substr(i), r.from)) {
          // "hxxp" only when it starts a word, so "thxxpx" stays as it is.
          bool word_start = i == 0 || !isalnum(static_cast<unsigned char>(text[i - 1]));
          if ((r.from[0] == 'h' || r.from[0] == 'm' || r.from[0] == 'f') && !word_start) continue;
          out += r.to;
          i += r.from.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) {
      // " dot " and " at " in prose are too ambiguous to refang; "[dot]" is not.
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

}  // namespace jaga
