// Log matching over arbitrary bytes in every format, against a small index
// of each kind: no crash, line numbers within the lines read, and every hit
// names an indicator of the index.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "intel/log_match.h"

namespace {

constexpr std::string_view kListed[] = {"evil.example.com",
                                        "zip",
                                        "http://phish.example.net/login/",
                                        "192.0.2.0/24",
                                        "198.51.100.7",
                                        "2001:db8::/32",
                                        "phisher@example.org",
                                        "d41d8cd98f00b204e9800998ecf8427e"};

const jaga::IndicatorIndex& index() {
  static const jaga::IndicatorIndex built = [] {
    jaga::IndicatorIndex::Builder builder;
    for (auto text : kListed) builder.add(*jaga::normalise_indicator(text), text);
    return std::move(builder).build();
  }();
  return built;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto format : {jaga::LogFormat::dns, jaga::LogFormat::proxy, jaga::LogFormat::text, jaga::LogFormat::jsonl}) {
    jaga::ChunkResult result;
    jaga::match_lines(index(), format, text, result);
    for (const auto& hit : result.hits)
      if (hit.line == 0 || hit.line > result.lines || hit.value.empty() ||
          std::find(std::begin(kListed), std::end(kListed), index().listed(hit.hit.id)) ==
              std::end(kListed))
        std::abort();
  }
  return 0;
}
