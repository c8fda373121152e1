// The parts of STIX 2.1 that indicators need on their way in and out: TLP
// marking-definition ids (TLP 2.0, and TLP 1.0 as older peers send them),
// indicator patterns of the simple comparison forms, and deterministic ids.
// Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intel/normalise.h"
#include "model/incident.h"
#include "util/result.h"

namespace jaga {

// The FIRST TLP 2.0 marking definition of a label.
std::string_view tlp_marking_id(Tlp tlp);
// A TLP 2.0 or TLP 1.0 marking-definition id (TLP:WHITE is CLEAR); nothing
// for any other marking.
std::optional<Tlp> tlp_of_marking(std::string_view marking_id);

// One comparison of a pattern: an object path and the value compared.
struct PatternTerm {
  std::optional<IndicatorKind> kind;  // from the object path; hashes name theirs
  std::string value;
};

// The comparisons of "[a = 'x' OR b = 'y']" (and "[..] OR [..]"): the only
// forms that say "this value is an indicator". AND, other operators, object
// paths jaga has no indicator kind for, and qualifiers are refused with the
// reason.
Result<std::vector<PatternTerm>> parse_simple_pattern(std::string_view pattern);

// "[domain-name:value = 'example.com']" for a canonical indicator.
std::string pattern_of(const CanonicalIndicator& indicator);

// "indicator--<UUIDv5>" derived from the canonical indicator, so that the
// same indicator shared twice is the same STIX object.
std::string stix_indicator_id(const CanonicalIndicator& indicator);
// "<type>--<UUIDv5 of type and name>" in this project's namespace.
std::string deterministic_stix_id(std::string_view type, std::string_view name);

}  // namespace jaga
