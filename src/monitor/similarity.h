// How much of a page's text is still the text of its baseline, in a form
// small enough to keep per site. A plain hash changes with every date,
// visitor counter and rotated news item; this compares the pages' runs of
// words instead. Pure: no I/O.
//
// The text is cut into words (lower case; every number becomes one token,
// so dates and counters do not count as change), each run of three words
// is hashed, and the sketch keeps the 128 smallest hashes (a bottom-k
// MinHash). Two sketches estimate the Jaccard similarity of the runs: 1.0
// for the same text, about 0.8 when a news item of ten changed, near 0
// for a page replaced by a defacer's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jaga::monitor {

struct TextSketch {
  std::vector<uint64_t> hashes;  // ascending, unique, at most kSketchSize
  size_t shingle_count = 0;      // runs of words in the text, before the cut
};

constexpr size_t kSketchSize = 128;

TextSketch sketch_text(std::string_view text);

// 0.0 (nothing in common) to 1.0 (the same runs of words). Two empty texts are the same.
double similarity(const TextSketch& a, const TextSketch& b);

// Hex, for keeping a sketch in the store; parse_sketch reads it back (empty on bad text).
std::string sketch_to_hex(const TextSketch& sketch);
TextSketch parse_sketch(std::string_view hex);

}  // namespace jaga::monitor
