// Indicator normalisation over arbitrary bytes, as every kind and as the kind
// the value looks like: no crash, and a canonical form is its own canonical
// form (one value, one spelling). URLs also give their Safe Browsing
// expressions, at most 30, the first being the URL's own.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "intel/normalise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (int k = -1; k < jaga::kIndicatorKinds; ++k) {
    std::optional<jaga::IndicatorKind> kind;
    if (k >= 0) kind = static_cast<jaga::IndicatorKind>(k);
    auto got = jaga::normalise_indicator(text, kind);
    if (!got) continue;
    auto again = jaga::normalise_indicator(got->value, got->kind);
    if (!again || again->value != got->value || again->kind != got->kind) std::abort();
    if (got->kind == jaga::IndicatorKind::url) {
      auto expressions = jaga::url_expressions(got->value);
      if (expressions.empty() || expressions.size() > 30 || expressions.front() != jaga::url_expression(got->value))
        std::abort();
    }
  }
  (void)jaga::list_line_value(text);
  return 0;
}
