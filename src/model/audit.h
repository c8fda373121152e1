// The audit log: who did what to which thing, when, from where. Entries are
// appended in the same transaction as the change they record and chained:
// each entry's hash covers its own fields and the hash of the entry before,
// so editing, removing or reordering any entry breaks every hash after it.
// Pure: the hashing and the chain check, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace jaga {

// What a caller records; the store adds the id, time and hashes.
struct AuditEvent {
  std::optional<int64_t> actor_id;  // the user, when a signed-in user acted
  std::string actor;                // username, or "cli" / "system"
  std::string action;               // e.g. "session.sign_in", "report.create"
  std::string target_type;          // e.g. "user", "report"; empty when none
  std::string target;               // the target's id or code
  std::string details;              // a JSON object with what changed, or ""
  std::string remote_address;       // of the acting staff member; never a reporter's
};

struct AuditEntry {
  int64_t id = 0;
  std::string at;  // RFC 3339
  AuditEvent event;
  std::string previous_hash;  // hex; 64 zeros for the first entry
  std::string hash;           // hex SHA-256 over previous_hash and the fields
};

inline const std::string kAuditGenesisHash(64, '0');

// The hash an entry must carry, computed from its fields and previous_hash.
// Every field is length-prefixed so that no two different entries encode
// alike.
std::string audit_hash(const AuditEntry& entry);

struct AuditCheck {
  int64_t entries = 0;                       // entries checked
  std::optional<int64_t> first_broken_id;    // none when the chain is intact
  std::string problem;                       // why that entry is broken
};

struct AuditFilter {
  std::string actor;   // exact username, or "" for any
  std::string action;  // exact action or a prefix ending in '.', e.g. "session."
  std::string from, to;  // RFC 3339 bounds on `at`, "" for open
  int limit = 100;
  int offset = 0;
};

// Checks entries given in id order; `entries` counts those read up to and
// including the first broken one.
class AuditChainChecker {
 public:
  // Returns false once a broken entry has been found (later ones are ignored).
  bool add(const AuditEntry& entry);
  const AuditCheck& result() const { return check_; }

 private:
  AuditCheck check_;
  std::string expected_previous_ = kAuditGenesisHash;
  int64_t last_id_ = 0;
};

}  // namespace jaga
