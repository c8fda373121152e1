#include "model/audit.h"

#include "util/crypto.h"

namespace jaga {

namespace {
void put(std::string& out, const std::string& field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}
}  // namespace

std::string audit_hash(const AuditEntry& entry) {
  std::string encoded = "jaga-audit-v1;";
  put(encoded, entry.previous_hash);
  put(encoded, std::to_string(entry.id));
  put(encoded, entry.at);
  put(encoded, entry.event.actor_id ? std::to_string(*entry.event.actor_id) : "");
  put(encoded, entry.event.actor);
  put(encoded, entry.event.action);
  put(encoded, entry.event.target_type);
  put(encoded, entry.event.target);
  put(encoded, entry.event.details);
  put(encoded, entry.event.remote_address);
  return sha256_hex(encoded);
}

bool AuditChainChecker::add(const AuditEntry& entry) {
  if (check_.first_broken_id) return false;
  ++check_.entries;
  auto broken = [&](std::string problem) {
    check_.first_broken_id = entry.id;
    check_.problem = std::move(problem);
    return false;
  };
  if (entry.id != last_id_ + 1)
    return broken("entry " + std::to_string(last_id_ + 1) + (entry.id > last_id_ + 1 ? " is missing" : " is out of order"));
  last_id_ = entry.id;
  if (entry.previous_hash != expected_previous_)
    return broken("its previous hash does not match the hash of the entry before it");
  if (audit_hash(entry) != entry.hash) return broken("its hash does not match its contents");
  expected_previous_ = entry.hash;
  return true;
}

}  // namespace jaga
