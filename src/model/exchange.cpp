#include "model/exchange.h"

#include <algorithm>

#include "util/text.h"

namespace jaga {

Tlp highest_tlp_leaving(const Agreement& agreement, const Collection& collection) {
  return std::min({agreement.max_tlp, collection.max_tlp, Tlp::amber});
}

bool may_leave(Tlp object_tlp, Tlp ceiling) { return object_tlp < Tlp::amber_strict && object_tlp <= ceiling; }

Tlp label_on_arrival(std::optional<Tlp> marked, const Collection& collection) {
  return marked ? *marked : collection.max_tlp;
}

bool needs_second_analyst(const std::vector<Partner>& readers) {
  return std::any_of(readers.begin(), readers.end(), [](const Partner& p) { return p.agreement.four_eyes && !p.disabled; });
}

Status check_exchange_name(std::string_view what, std::string_view name) {
  auto fine = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'; };
  bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), fine) && name[0] != '-' &&
            name[0] != '_' && name[0] != '.';
  if (!ok)
    return Error::invalid(std::string(what) + " must be 1 to 64 lower-case letters, digits, '-', '_' or '.', not \"" +
                          std::string(name) + "\"");
  return {};
}

Result<CollectionRight> parse_collection_right(std::string_view text) {
  CollectionRight right;
  auto colon = text.rfind(':');
  std::string_view alias = text.substr(0, colon), access = colon == std::string_view::npos ? "r" : text.substr(colon + 1);
  for (char c : access) {
    if (c == 'r') right.read = true;
    else if (c == 'w') right.write = true;
    else return Error::invalid("the access after ':' is r, w or rw, not \"" + std::string(access) + "\"");
  }
  if (!right.read && !right.write) return Error::invalid("give r, w or rw after ':' in \"" + std::string(text) + "\"");
  if (auto st = check_exchange_name("a collection's alias", alias); !st) return st.error();
  right.collection = alias;
  return right;
}

std::string outcomes_json(const std::vector<WriteOutcome>& outcomes) {
  std::string out = "[";
  out.reserve(outcomes.size() * 96 + 2);
  for (const auto& o : outcomes) {
    if (out.size() > 1) out += ',';
    out += "{\"id\":";
    append_json_string(out, o.stix_id);
    out += ",\"version\":";
    append_json_string(out, o.version);
    if (!o.message.empty()) {
      out += ",\"message\":";
      append_json_string(out, o.message);
    }
    out += '}';
  }
  out += ']';
  return out;
}

}  // namespace jaga
