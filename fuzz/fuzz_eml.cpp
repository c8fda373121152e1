// The .eml reader over arbitrary bytes: bounded, no crash.
#include <cstdint>
#include <string_view>

#include "intel/eml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)jaga::parse_email(bytes);
  (void)jaga::extract_email_indicators(bytes, "fuzz.eml");
  return 0;
}
