#include "app/commands.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>

#include "api/access.h"
#include "intel/registry_csv.h"
#include "util/crypto.h"
#include "util/time.h"

namespace jaga::commands {

namespace {


std::string format(const char* pattern, auto... values) {
  int size = std::snprintf(nullptr, 0, pattern, values...);
  std::string out(static_cast<size_t>(size), '\0');
  std::snprintf(out.data(), out.size() + 1, pattern, values...);
  return out;
}

Status check_new_credentials(const std::string& username, const std::string& password) {
  if (username.empty() || username.size() > 64 || username.find_first_of(" \t\n/") != std::string::npos)
    return Error::invalid("the username must be 1 to 64 characters without spaces");
  if (password.size() < 12) return Error::invalid("the password must have at least 12 characters");
  return {};
}

Result<int64_t> organisation_id(Store& store, const std::string& name) {
  auto all = store.list_organisations();
  if (!all) return all.error();
  for (const auto& o : *all)
    if (o.name == name) return o.id;
  return Error::not_found("there is no organisation named '" + name + "'");
}

}  // namespace

// Who ran the command: "cli", with the operating-system account.
AuditEvent cli_event(std::string action, std::string target_type, std::string target, boost::json::object details) {
  const char* os_user = std::getenv("USER");
  details["os_user"] = os_user ? os_user : std::to_string(getuid());
  return AuditEvent{std::nullopt, "cli", std::move(action), std::move(target_type), std::move(target),
                    boost::json::serialize(details), ""};
}

std::string role_names() {
  std::string out;
  for (Role r : kAllRoles) out += (out.empty() ? "" : ", ") + std::string(to_string(r));
  return out;
}

Result<Role> role_option(const std::string& text) {
  auto parsed = parse_role(text);
  if (!parsed) return Error::invalid("role must be one of " + role_names() + ", not '" + text + "'");
  return *parsed;
}

Result<std::string> add_user(Store& store, const std::string& username, const std::string& role,
                             const std::string& password, const std::string& organisation) {
  auto parsed = role_option(role);
  if (!parsed) return parsed.error();
  if (auto st = check_new_credentials(username, password); !st) return st.error();
  User u{0, username, hash_password(password), *parsed};
  if (*parsed == Role::organisation_contact && organisation.empty())
    return Error::invalid("an organisation contact needs --organisation NAME (see jaga organisation list)");
  if (!organisation.empty()) {
    auto id = organisation_id(store, organisation);
    if (!id) return id.error();
    u.organisation_id = *id;
  }
  auto event = cli_event("user.create", "user", username, {{"role", std::string(to_string(*parsed))}});
  auto created = wait_for<int64_t>([&](auto cb) { store.create_user(u, event, cb); });
  if (!created) return created.error();
  return "added " + username + " (" + std::string(to_string(*parsed)) + ")\n";
}

Result<std::string> set_password(Store& store, const std::string& username, const std::string& password) {
  if (auto st = check_new_credentials(username, password); !st) return st.error();
  auto event = cli_event("user.password_set", "user", username);
  auto changed = wait_for<bool>([&](auto cb) { store.set_password(username, hash_password(password), false, event, cb); });
  if (!changed) return changed.error();
  return "password of " + username + " changed; their sessions have ended\n";
}

Result<std::string> list_users(Store& store) {
  auto users = store.list_users();
  if (!users) return users.error();
  std::string out = format("%-24s %-22s %-26s %s\n", "USERNAME", "ROLE", "CREATED", "STATE");
  for (const auto& u : *users) {
    std::string state = u.must_change_password ? "must change password" : "active";
    if (!u.locked_until.empty()) state = "locked until " + u.locked_until;
    out += format("%-24s %-22s %-26s %s\n", u.username.c_str(), std::string(to_string(u.role)).c_str(),
                  u.created_at.c_str(), state.c_str());
  }
  return out;
}

Result<std::string> create_token(Store& store, const std::string& username, const std::string& role_text,
                                 const std::string& name) {
  auto owner = store.find_user(username);
  if (!owner) return Error::not_found("no user named '" + username + "'");
  Role role = owner->role;
  if (!role_text.empty()) {
    auto parsed = role_option(role_text);
    if (!parsed) return parsed.error();
    if (*parsed != owner->role && owner->role != Role::administrator)
      return Error::invalid("a token of " + username + " can only have their role, " + std::string(to_string(owner->role)));
    role = *parsed;
  }
  std::string value = std::string(api::kTokenPrefix) + random_token(32);
  ApiToken t;
  t.user_id = owner->id;
  t.name = name.empty() ? "created on the command line" : name;
  t.token_hash = sha256_hex(value);
  t.role = role;
  t.created_at = now_rfc3339();
  auto event = cli_event("token.create", "user", username, {{"role", std::string(to_string(role))}, {"name", t.name}});
  auto created = wait_for<int64_t>([&](auto cb) { store.create_token(t, event, cb); });
  if (!created) return created.error();
  return value + "\n";
}

Result<std::string> list_tokens(Store& store) {
  auto tokens = store.list_tokens();
  if (!tokens) return tokens.error();
  std::string out = format("%-6s %-20s %-22s %-26s %-34s %s\n", "ID", "USER", "ROLE", "CREATED", "LAST USED", "NAME");
  for (const auto& t : *tokens) {
    std::string used = t.revoked_at.empty() ? (t.last_used_at.empty() ? "never" : t.last_used_at) : "revoked " + t.revoked_at;
    out += format("%-6lld %-20s %-22s %-26s %-34s %s\n", static_cast<long long>(t.id), t.username.c_str(),
                  std::string(to_string(t.role)).c_str(), t.created_at.c_str(), used.c_str(), t.name.c_str());
  }
  return out;
}

Result<std::string> revoke_token(Store& store, int64_t id) {
  auto event = cli_event("token.revoke", "token", std::to_string(id));
  auto revoked = wait_for<bool>([&](auto cb) { store.revoke_token(id, event, cb); });
  if (!revoked) return revoked.error();
  return "token " + std::to_string(id) + " revoked\n";
}

Result<std::string> import_organisations(Store& store, const std::string& csv_text) {
  auto orgs = read_registry_csv(csv_text);
  if (!orgs) return orgs.error();
  int total = static_cast<int>(orgs->size());
  auto event = cli_event("organisation.import", "", "", {{"organisations", total}});
  auto added = wait_for<int>([&](auto cb) { store.import_organisations(std::move(*orgs), event, cb); });
  if (!added) return added.error();
  return "imported " + std::to_string(total) + " organisations: " + std::to_string(*added) + " new, " +
         std::to_string(total - *added) + " updated\n";
}

Result<std::string> export_organisations(Store& store) {
  auto all = store.list_organisations();
  if (!all) return all.error();
  auto event = cli_event("organisation.export", "", "", {{"organisations", all->size()}});
  auto audited = wait_for<int64_t>([&](auto cb) { store.append_audit(event, cb); });
  if (!audited) return audited.error();
  return write_registry_csv(*all);
}

Result<std::string> list_organisations(Store& store) {
  auto all = store.list_organisations();
  if (!all) return all.error();
  std::string out = format("%-6s %-44s %-9s %-8s %-8s %s\n", "ID", "NAME", "KIND", "DOMAINS", "NETWORKS", "PARENT");
  for (const auto& o : *all)
    out += format("%-6lld %-44s %-9s %-8zu %-8zu %s\n", static_cast<long long>(o.id), o.name.c_str(), o.kind.c_str(),
                  o.domains.size(), o.networks.size(), o.parent_name.c_str());
  return out;
}

Result<std::string> verify_audit(Store& store) {
  auto check = store.verify_audit_log();
  if (!check) return check.error();
  if (check->first_broken_id)
    return Error::conflict("the audit log is broken at entry " + std::to_string(*check->first_broken_id) + ": " +
                           check->problem + " (the " + std::to_string(check->entries - 1) + " entries before it are intact)");
  return "the audit log is intact: " + std::to_string(check->entries) + " entries\n";
}

Result<std::string> list_audit(Store& store, const AuditFilter& filter) {
  auto entries = store.list_audit(filter);
  if (!entries) return entries.error();
  std::string out;
  for (const auto& e : *entries)
    out += format("%6lld  %s  %-16s %-26s %s %s %s\n", static_cast<long long>(e.id), e.at.c_str(), e.event.actor.c_str(),
                  e.event.action.c_str(), e.event.target_type.c_str(), e.event.target.c_str(), e.event.details.c_str());
  return out;
}

}  // namespace jaga::commands
