#include "model/rsit.h"

#include <boost/json.hpp>

namespace jaga {

std::string_view rsit_json();  // compiled in by jaga_embed

const Rsit& Rsit::builtin() {
  static const Rsit taxonomy = [] {
    Rsit rsit;
    auto doc = boost::json::parse(rsit_json()).as_object();
    for (const auto& group : doc.at("values").as_array()) {
      const auto& g = group.as_object();
      std::string class_name(g.at("predicate").as_string());
      for (const auto& entry : g.at("entry").as_array()) {
        const auto& e = entry.as_object();
        RsitType t;
        t.class_name = class_name;
        t.type_name = std::string(e.at("value").as_string());
        if (auto* d = e.if_contains("description"); d && d->is_string())
          t.description = std::string(d->as_string());
        rsit.types_.push_back(std::move(t));
      }
    }
    return rsit;
  }();
  return taxonomy;
}

bool Rsit::is_category(std::string_view category) const {
  for (const auto& t : types_) {
    if (category.size() == t.class_name.size() + 1 + t.type_name.size() &&
        category.substr(0, t.class_name.size()) == t.class_name &&
        category[t.class_name.size()] == ':' &&
        category.substr(t.class_name.size() + 1) == t.type_name) {
      return true;
    }
  }
  return false;
}

}  // namespace jaga
