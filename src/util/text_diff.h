// What changed between two versions of a page's visible text, for the
// evidence of a defacement: the passages only the first has (removed) and
// those only the second has (added), each in its page's order. A passage
// is a sentence, cut at . ! ? and their CJK forms, or at 30 words. Passages
// are compared with numbers and case ignored, so that a changed date or
// counter is not reported as a change. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jaga {

struct TextChange {
  std::vector<std::string> removed, added;
  bool empty() const { return removed.empty() && added.empty(); }
};

TextChange text_change(std::string_view before, std::string_view after);

// The change as a few readable lines, at most `max_chars` long in all.
std::string describe_text_change(const TextChange& change, size_t max_chars);

}  // namespace jaga
