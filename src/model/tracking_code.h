// Tracking codes: what a reporter reads over the phone to the desk, e.g.
// JG-7K3M-Q9PX. The alphabet leaves out characters people confuse when they
// read or hear them (0/O, 1/I/L, U/V is kept apart by dropping U).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jaga {

inline constexpr std::string_view tracking_code_alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string generate_tracking_code();
// Accepts what a person types (lower case, spaces, missing dashes, o for 0 is
// not guessed) and returns the canonical "JG-XXXX-XXXX", or nothing.
std::optional<std::string> normalise_tracking_code(std::string_view text);

}  // namespace jaga
