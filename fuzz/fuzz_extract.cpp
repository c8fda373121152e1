// Refanging and indicator extraction over arbitrary bytes: no crash, and every
// indicator found is already canonical (extracting it again finds itself).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "intel/extract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& indicator : jaga::extract_indicators(text)) {
    if (indicator.value.empty()) std::abort();
    if (indicator.type == "url" && !jaga::canonical_url(indicator.value)) std::abort();
  }
  return 0;
}
