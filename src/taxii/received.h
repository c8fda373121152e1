// What a partner sends becomes part of the desk's own intelligence: the
// indicator objects among received STIX objects, as a batch for the store
// of indicators with the partner as their source; and the whole write of
// received objects, with their provenance and transfer log entry. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/exchange.h"
#include "intel/indicator_import.h"
#include "model/indicator.h"
#include "stix/object.h"

namespace jaga::taxii {

// The indicators read with the objects (stix::read_envelope's visitor with
// intel's read_stix_object), checked and keyed for the store of indicators;
// nothing when none is an indicator jaga can read.
std::optional<IndicatorImport> indicators_received(ParsedImport parsed, const std::string& partner, Tlp unmarked);

// The texts of an envelope's objects, split without parsing them; nothing
// when it is not shaped as an envelope.
std::optional<std::vector<std::string_view>> envelope_object_texts(std::string_view body);

// The indicators among the objects of an envelope taken in before (its
// objects checked then), as indicators_received gives them.
std::optional<IndicatorImport> indicators_of_envelope(std::string_view body, const std::string& partner, Tlp unmarked);

// The objects of a read envelope as the store takes them.
std::vector<SharedObjectInput> shared_inputs(std::vector<stix::Object> objects);

// The write of `objects` that `partner` sent into `collection` through
// `channel` ("taxii-post", "pull"): the partner as origin, the transfer log
// entry under its agreement, and `indicators`, read from those objects.
ReceivedObjects received_objects(const Partner& partner, const Collection& collection,
                                 std::vector<SharedObjectInput> objects, ParsedImport indicators, std::string channel,
                                 std::string status_id);

}  // namespace jaga::taxii
