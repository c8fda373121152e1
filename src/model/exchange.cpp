#include "model/exchange.h"

#include <algorithm>

namespace jaga {

Tlp highest_tlp_leaving(const Agreement& agreement, const Collection& collection) {
  return std::min({agreement.max_tlp, collection.max_tlp, Tlp::amber});
}

bool may_leave(Tlp object_tlp, Tlp ceiling) { return object_tlp < Tlp::amber_strict && object_tlp <= ceiling; }

Tlp label_on_arrival(std::optional<Tlp> marked, const Collection& collection) {
  return marked ? *marked : collection.max_tlp;
}

}  // namespace jaga
