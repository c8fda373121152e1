// What a partner sends becomes part of the desk's own intelligence: the
// indicator objects among received STIX objects, as a batch for the store
// of indicators with the partner as their source; and the whole write of
// received objects, with their provenance and transfer log entry. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/exchange.h"
#include "intel/indicator_import.h"
#include "model/indicator.h"
#include "stix/object.h"

namespace jaga::taxii {

// Nothing when no object is an indicator jaga can read.
std::optional<IndicatorImport> indicators_received(const std::vector<SharedObjectInput>& objects,
                                                   const std::string& partner, Tlp unmarked);
// The same from the indicators already read while the objects were
// (stix::read_envelope's visitor with intel's read_stix_object).
std::optional<IndicatorImport> indicators_received(ParsedImport parsed, const std::string& partner, Tlp unmarked);

// The objects of a read envelope as the store takes them.
std::vector<SharedObjectInput> shared_inputs(std::vector<stix::Object> objects);

// The write of `objects` that `partner` sent into `collection` through
// `channel` ("taxii-post", "pull"): the partner as origin, the transfer log
// entry under its agreement, and the indicators among them (read from
// `indicators` when the caller read them with the objects, else from the
// objects' text).
ReceivedObjects received_objects(const Partner& partner, const Collection& collection,
                                 std::vector<SharedObjectInput> objects, std::string channel, std::string status_id,
                                 std::optional<ParsedImport> indicators = std::nullopt);

}  // namespace jaga::taxii
