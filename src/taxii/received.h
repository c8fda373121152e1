// What a partner sends becomes part of the desk's own intelligence: the
// indicator objects among received STIX objects, as a batch for the store
// of indicators with the partner as their source. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/exchange.h"
#include "model/indicator.h"

namespace jaga::taxii {

// Nothing when no object is an indicator jaga can read.
std::optional<IndicatorImport> indicators_received(const std::vector<SharedObjectInput>& objects,
                                                   const std::string& partner, Tlp unmarked);

}  // namespace jaga::taxii
