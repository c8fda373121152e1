#include "intel/domain.h"

#include <idn2.h>
#include <libpsl.h>

#include <cstdlib>

#include "util/text.h"

namespace jaga {

static const psl_ctx_t* suffixes() {
  // The system's current list when the publicsuffix package is installed,
  // else the one compiled into libpsl.
  static const psl_ctx_t* ctx = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest ? latest : psl_builtin();
  }();
  return ctx;
}

static bool valid_ascii_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> canonical_domain(std::string_view text) {
  if (text.empty() || text.size() > 253 * 4) return std::nullopt;
  std::string name(text);
  if (name.back() == '.') name.pop_back();
  if (name.empty() || name.front() == '.') return std::nullopt;
  bool ascii = true;
  for (unsigned char c : name)
    if (c >= 0x80) ascii = false;
  if (!ascii) {
    if (!is_valid_utf8(name)) return std::nullopt;
    char* converted = nullptr;
    int rc = idn2_to_ascii_8z(name.c_str(), &converted, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
    if (rc != IDN2_OK) {
      rc = idn2_to_ascii_8z(name.c_str(), &converted, IDN2_TRANSITIONAL | IDN2_NFC_INPUT);
    }
    if (rc != IDN2_OK || !converted) return std::nullopt;
    name = converted;
    idn2_free(converted);
  }
  name = to_lower_ascii(name);
  if (name.size() > 253) return std::nullopt;
  auto labels = split(name, '.');
  if (labels.size() < 2) return std::nullopt;
  for (auto label : labels)
    if (!valid_ascii_label(label)) return std::nullopt;
  std::string tld(labels.back());
  // All-numeric top labels are IP fragments or version numbers, never TLDs.
  if (tld.find_first_not_of("0123456789") == std::string::npos) return std::nullopt;
  if (!is_public_suffix(tld)) return std::nullopt;
  if (is_public_suffix(name, true)) return std::nullopt;
  return name;
}

bool is_public_suffix(const std::string& name, bool implicit_star_rule) {
  return psl_is_public_suffix2(suffixes(), name.c_str(), PSL_TYPE_ANY | (implicit_star_rule ? 0 : PSL_TYPE_NO_STAR_RULE));
}

std::string registrable_domain(std::string_view canonical) {
  std::string name(canonical);
  const char* reg = psl_registrable_domain(suffixes(), name.c_str());
  return reg ? std::string(reg) : name;
}

std::string domain_to_unicode(std::string_view canonical) {
  std::string name(canonical);
  char* out = nullptr;
  if (idn2_to_unicode_8z8z(name.c_str(), &out, 0) != IDN2_OK || !out) return name;
  std::string result(out);
  idn2_free(out);
  return result;
}

}  // namespace jaga
