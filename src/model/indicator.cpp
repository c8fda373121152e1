#include "model/indicator.h"

#include <iterator>

namespace jaga {

namespace {
constexpr std::string_view source_kind_names[] = {"report", "incident", "partner", "feed", "monitor"};
constexpr std::string_view link_names[] = {"same_value", "same_registrable_domain", "same_network_24",
                                           "same_network_48"};
}  // namespace

std::string_view to_string(IndicatorSourceKind kind) { return source_kind_names[static_cast<size_t>(kind)]; }

std::optional<IndicatorSourceKind> parse_indicator_source_kind(std::string_view text) {
  for (size_t i = 0; i < std::size(source_kind_names); ++i)
    if (source_kind_names[i] == text) return static_cast<IndicatorSourceKind>(i);
  return std::nullopt;
}

std::string_view to_string(CorrelationLink link) { return link_names[static_cast<size_t>(link)]; }

}  // namespace jaga
