// Import files over arbitrary bytes: plain lists, CSV, STIX bundles, MISP
// events and manifests, and STIX patterns. No crash; every entry read or
// rejected says where; and a pattern jaga writes for an indicator it read
// reads back as the same indicator.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "intel/indicator_import.h"
#include "intel/stix_vocabulary.h"

namespace {

void check(const jaga::ParsedImport& parsed) {
  for (const auto& i : parsed.indicators)
    if (i.where.empty()) std::abort();
  for (const auto& r : parsed.rejected)
    if (r.where.empty() || r.reason.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0: check(jaga::parse_plain_indicators(text)); break;
    case 1:
      if (auto parsed = jaga::parse_csv_indicators(text, {})) check(*parsed);
      break;
    case 2:
      if (auto parsed = jaga::parse_stix_indicators(text)) check(*parsed);
      break;
    case 3:
      if (auto parsed = jaga::parse_misp_event(text)) check(*parsed);
      break;
    case 4: (void)jaga::parse_misp_manifest(text); break;
    case 5: {
      auto terms = jaga::parse_simple_pattern(text);
      if (!terms) break;
      for (const auto& term : *terms) {
        auto indicator = jaga::normalise_indicator(term.value, term.kind);
        if (!indicator) continue;
        auto back = jaga::parse_simple_pattern(jaga::pattern_of(*indicator));
        if (!back || back->size() != 1) std::abort();
        auto again = jaga::normalise_indicator((*back)[0].value, (*back)[0].kind);
        if (!again || !(*again == *indicator)) std::abort();
      }
      break;
    }
  }
  (void)jaga::detect_import_format(text);
  return 0;
}
