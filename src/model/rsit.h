// The Reference Security Incident Taxonomy (RSIT): the classes and types that
// reports and incidents are filed under. Loaded once from the copy compiled
// into the binary (data/taxonomies/rsit.json); immutable and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jaga {

struct RsitType {
  std::string class_name;  // e.g. "fraud"
  std::string type_name;   // e.g. "phishing"
  std::string description;
  std::string category() const { return class_name + ":" + type_name; }
};

class Rsit {
 public:
  static const Rsit& builtin();
  // True for "class:type" pairs that the taxonomy defines.
  bool is_category(std::string_view category) const;
  const std::vector<RsitType>& types() const { return types_; }

 private:
  std::vector<RsitType> types_;
};

}  // namespace jaga
