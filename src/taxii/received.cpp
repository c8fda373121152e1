#include "taxii/received.h"

#include "intel/indicator_intake.h"
#include "taxii/protocol.h"
#include "util/crypto.h"
#include "util/json_text.h"

namespace jaga::taxii {

std::optional<IndicatorImport> indicators_received(ParsedImport parsed, const std::string& partner, Tlp unmarked) {
  if (parsed.indicators.empty()) return std::nullopt;
  IntakeOptions options;
  options.source_kind = IndicatorSourceKind::partner;
  options.source_name = partner;
  options.tlp = unmarked;
  IntakeReport report;
  auto batch = take_in_parsed(std::move(parsed), options, report);
  if (batch.indicators.empty()) return std::nullopt;
  return batch;
}

std::optional<std::vector<std::string_view>> envelope_object_texts(std::string_view body) {
  auto members = split_json_object(body);
  auto objects = members ? member_text(*members, "objects") : std::nullopt;
  return objects ? split_json_array(*objects) : std::nullopt;
}

std::optional<IndicatorImport> indicators_of_envelope(std::string_view body, const std::string& partner, Tlp unmarked) {
  auto texts = envelope_object_texts(body);
  if (!texts) return std::nullopt;
  ParsedImport parsed;
  read_stix_object_texts(*texts, parsed);
  return indicators_received(std::move(parsed), partner, unmarked);
}

std::vector<SharedObjectInput> shared_inputs(std::vector<stix::Object> objects) {
  std::vector<SharedObjectInput> out;
  out.reserve(objects.size());
  for (auto& o : objects)
    out.push_back({std::move(o.id), std::move(o.type), std::move(o.spec_version), std::move(o.version), o.tlp,
                   std::move(o.json), ""});
  return out;
}

ReceivedObjects received_objects(const Partner& partner, const Collection& collection,
                                 std::vector<SharedObjectInput> objects, ParsedImport indicators, std::string channel,
                                 std::string status_id) {
  ReceivedObjects write;
  write.collection = collection;
  write.indicators = indicators_received(std::move(indicators), partner.name, collection.max_tlp);
  write.objects = std::move(objects);
  write.origin = WriteOrigin{partner.name, std::move(status_id)};
  write.transfer = transfer_entry(partner, collection.alias, "received", std::move(channel));
  return write;
}

}  // namespace jaga::taxii
