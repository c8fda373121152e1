// Warninglists: known-benign values (top sites, cloud and resolver ranges,
// empty-file hashes...) in the MISP warninglists format. An indicator that a
// list covers is flagged and never alerted on, matched or exported as
// malicious. Pure: lists come in as JSON text; reading files is the caller's.
//
// Semantics follow MISP's: "hostname" entries cover the name and its
// subdomains, "string" entries the exact value (a leading dot makes it a
// suffix), "substring" entries any value containing them, "regex" entries
// (in /.../flags form) any value they find, "cidr" entries the addresses and
// networks inside them. A list applies only to the kinds its
// matching_attributes name (all kinds when it names none).
//
// Built once, then read-only: safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intel/normalise.h"
#include "util/result.h"

namespace jaga {

struct WarninglistInfo {
  std::string name;
  std::string type;  // hostname, string, substring, regex, cidr
  size_t entries = 0;
  size_t skipped = 0;  // entries that could not be read (bad CIDR, bad regex)
};

class Warninglists {
 public:
  Warninglists();
  ~Warninglists();
  Warninglists(Warninglists&&) noexcept;
  Warninglists& operator=(Warninglists&&) noexcept;

  // Adds one list.json, or every list of a JSON array of lists (the form
  // the binary carries). A list whose JSON is malformed or lacks name, type
  // or list is refused with the reason, and the lists before it stay added.
  Status add_json(std::string_view json);

  // The name of a list that covers the indicator, or nothing.
  std::optional<std::string_view> find(const CanonicalIndicator& indicator) const;

  const std::vector<WarninglistInfo>& lists() const;
  size_t entry_count() const;

  struct Tables;  // opaque

 private:
  std::unique_ptr<Tables> tables_;
};

// The MISP warninglists compiled into the binary (data/warninglists).
std::string_view shipped_warninglists_json();
// Those lists, parsed once on first use.
const Warninglists& shipped_warninglists();

}  // namespace jaga
