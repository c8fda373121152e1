// The JSON body of a report: any bytes give a ReportInput or an Error, never a crash.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/json_input.h"
#include "api/report_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto fields = jaga::api::parse_json_object(body);
  if (!fields) return 0;
  auto input = jaga::api::read_report_input(*fields);
  if (!input && input.error().message.empty()) std::abort();
  return 0;
}
