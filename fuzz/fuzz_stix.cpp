// STIX bundles and TAXII envelopes over arbitrary bytes. No crash; an
// error names a JSON pointer; every object read keeps its own text, which
// reads back alone as the same object; a version is a normalised timestamp
// or empty; and TAXII query parameters are read or refused with the name
// of the parameter. Seeds (fuzz/corpus/stix) are the OASIS STIX 2.1 examples
// bundles and envelopes made of them, behind a first byte that picks the case.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "stix/object.h"
#include "taxii/protocol.h"

namespace {

void check_objects(const std::vector<jaga::stix::Object>& objects) {
  for (const auto& o : objects) {
    if (o.id.empty() || o.type.empty() || o.json.empty()) std::abort();
    if (!o.version.empty() && jaga::stix::normal_timestamp(o.version) != o.version) std::abort();
    auto again = jaga::stix::read_object(o.json);
    if (!again || again->id != o.id || again->version != o.version || again->tlp != o.tlp) std::abort();
  }
}

void check_error(const jaga::Error& e) {
  if (e.message.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      if (auto bundle = jaga::stix::read_bundle(text)) check_objects(*bundle);
      else check_error(bundle.error());
      break;
    case 1:
      if (auto envelope = jaga::stix::read_envelope(text)) check_objects(envelope->objects);
      else check_error(envelope.error());
      break;
    case 2:
      if (auto t = jaga::stix::normal_timestamp(text); t && jaga::stix::normal_timestamp(*t) != *t) std::abort();
      break;
    case 3: {
      // "name=value&name=value" as a TAXII query.
      std::map<std::string, std::string> parameters;
      size_t start = 0;
      while (start <= text.size()) {
        auto end = text.find('&', start);
        auto part = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        auto eq = part.find('=');
        parameters[std::string(part.substr(0, eq))] = eq == std::string_view::npos ? "" : std::string(part.substr(eq + 1));
        if (end == std::string_view::npos) break;
        start = end + 1;
      }
      for (auto endpoint : {jaga::taxii::Endpoint::objects, jaga::taxii::Endpoint::manifest, jaga::taxii::Endpoint::versions}) {
        auto query = jaga::taxii::read_query(parameters, endpoint);
        if (!query && query.error().field.empty()) std::abort();
        if (query && (query->limit == 0 || query->limit > jaga::taxii::kMaxPageSize)) std::abort();
      }
      break;
    }
  }
  return 0;
}
