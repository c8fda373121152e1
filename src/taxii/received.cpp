#include "taxii/received.h"

#include "intel/indicator_intake.h"
#include "util/crypto.h"

namespace jaga::taxii {

std::optional<IndicatorImport> indicators_received(const std::vector<SharedObjectInput>& objects,
                                                   const std::string& partner, Tlp unmarked) {
  std::string bundle = "{\"type\":\"bundle\",\"id\":\"bundle--" + random_uuid() + "\",\"objects\":[";
  size_t count = 0;
  for (const auto& o : objects) {
    if (o.type != "indicator") continue;
    if (count++) bundle += ',';
    bundle += o.json;
  }
  if (count == 0) return std::nullopt;
  bundle += "]}";
  IntakeOptions options;
  options.format = ImportFormat::stix;
  options.source_kind = IndicatorSourceKind::partner;
  options.source_name = partner;
  options.tlp = unmarked;
  IntakeReport report;
  auto batch = take_in_indicators(bundle, options, report);
  if (!batch || batch->indicators.empty()) return std::nullopt;
  return std::move(*batch);
}

}  // namespace jaga::taxii
