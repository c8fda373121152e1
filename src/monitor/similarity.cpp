#include "monitor/similarity.h"

#include <algorithm>
#include <cctype>

namespace jaga::monitor {

namespace {

// FNV-1a, then a 64-bit finaliser (splitmix): runs of similar words must not
// give neighbouring hashes, or the smallest would all come from one place.
uint64_t hash_bytes(std::string_view bytes, uint64_t seed) {
  uint64_t h = 1469598103934665603ull ^ seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

// Words: runs of letters (any byte of a UTF-8 sequence counts as a letter),
// lower case; a run of digits (with . , : / - inside) becomes "#".
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isdigit(c)) {
      while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) ||
                                 std::string_view(".,:/-").find(text[i]) != std::string_view::npos))
        ++i;
      words.emplace_back("#");
    } else if (std::isalpha(c) || c >= 0x80) {
      std::string word;
      while (i < text.size()) {
        unsigned char d = static_cast<unsigned char>(text[i]);
        if (!(std::isalpha(d) || d >= 0x80)) break;
        word += static_cast<char>(std::tolower(d));
        ++i;
      }
      words.push_back(std::move(word));
    } else {
      ++i;
    }
  }
  return words;
}

}  // namespace

TextSketch sketch_text(std::string_view text) {
  TextSketch sketch;
  auto words = words_of(text);
  std::vector<uint64_t> hashes;
  // A text of fewer than three words is one run of what it has.
  size_t runs = words.size() >= 3 ? words.size() - 2 : (words.empty() ? 0 : 1);
  hashes.reserve(runs);
  for (size_t i = 0; i < runs; ++i) {
    uint64_t h = 0;
    for (size_t j = i; j < std::min(i + 3, words.size()); ++j) h = hash_bytes(words[j], h);
    hashes.push_back(h);
  }
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  sketch.shingle_count = hashes.size();
  if (hashes.size() > kSketchSize) hashes.resize(kSketchSize);
  sketch.hashes = std::move(hashes);
  return sketch;
}

double similarity(const TextSketch& a, const TextSketch& b) {
  if (a.hashes.empty() && b.hashes.empty()) return 1.0;
  if (a.hashes.empty() || b.hashes.empty()) return 0.0;
  // The k smallest of the union, and how many of them both hold (all of
  // the union when both texts have fewer runs than k: then it is exact).
  const size_t k = kSketchSize;
  size_t i = 0, j = 0, taken = 0, shared = 0;
  while (taken < k && (i < a.hashes.size() || j < b.hashes.size())) {
    if (j == b.hashes.size() || (i < a.hashes.size() && a.hashes[i] < b.hashes[j])) {
      ++i;
    } else if (i == a.hashes.size() || b.hashes[j] < a.hashes[i]) {
      ++j;
    } else {
      ++shared;
      ++i;
      ++j;
    }
    ++taken;
  }
  return taken == 0 ? 1.0 : static_cast<double>(shared) / static_cast<double>(taken);
}

std::string sketch_to_hex(const TextSketch& sketch) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(sketch.hashes.size() * 16);
  for (uint64_t h : sketch.hashes)
    for (int shift = 60; shift >= 0; shift -= 4) out += digits[(h >> shift) & 0xF];
  return out;
}

TextSketch parse_sketch(std::string_view hex) {
  TextSketch sketch;
  if (hex.size() % 16 != 0) return sketch;
  for (size_t at = 0; at < hex.size(); at += 16) {
    uint64_t h = 0;
    for (size_t i = at; i < at + 16; ++i) {
      char c = hex[i];
      int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (v < 0) return {};
      h = (h << 4) | static_cast<uint64_t>(v);
    }
    sketch.hashes.push_back(h);
  }
  if (!std::is_sorted(sketch.hashes.begin(), sketch.hashes.end())) return {};
  sketch.shingle_count = sketch.hashes.size();
  return sketch;
}

}  // namespace jaga::monitor
