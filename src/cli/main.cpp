// jaga's command line: serve, migrate, user add|passwd|list, audit verify|list,
// version.
// Errors are one line on stderr and a non-zero exit code.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/app.h"
#include "app/settings.h"
#include "api/access.h"
#include "model/audit.h"
#include "util/time.h"
#include "util/crypto.h"
#include "util/log.h"

extern char** environ;

namespace {

using namespace jaga;

int fail(const std::string& message) {
  std::fprintf(stderr, "jaga: %s\n", message.c_str());
  return 1;
}

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos && entry.rfind("JAGA_", 0) == 0) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

// Changes made from the command line are audited as made by "cli", with the
// operating-system account that ran it.
AuditEvent cli_event(std::string action, std::string target_type, std::string target, boost::json::object details = {}) {
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

// Reads a password from stdin (one line) when piped or asked to, else asks
// without echo.
std::string read_password(const char* prompt, bool from_stdin) {
  std::string password;
  if (!from_stdin && isatty(STDIN_FILENO)) {
    std::fprintf(stderr, "%s", prompt);
    std::system("stty -echo 2>/dev/null");
    std::getline(std::cin, password);
    std::system("stty echo 2>/dev/null");
    std::fprintf(stderr, "\n");
  } else {
    std::getline(std::cin, password);
  }
  return password;
}

}  // namespace

int main(int argc, char** argv) {
  init_crypto();
  CLI::App app{"jaga: the software of a national cyber-security coordination desk"};
  app.require_subcommand(1);
  std::string config_path, listen, data_dir, web_root;
  Settings settings;

  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--config", config_path, "configuration file (TOML/INI); JAGA_* variables and flags override it")
        ->check(CLI::ExistingFile);
    cmd->add_option("--data-dir", data_dir, "directory of the store and the attachments (default ./var)");
  };

  auto* serve = app.add_subcommand("serve", "serve the portal, the desk console and the API");
  add_common(serve);
  serve->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_option("--web-root", web_root, "directory of the built front end");

  auto* migrate = app.add_subcommand("migrate", "apply pending database migrations and exit");
  add_common(migrate);

  auto* user = app.add_subcommand("user", "manage console users");
  user->require_subcommand(1);
  std::string username, role = "operator";
  bool password_stdin = false;
  auto* user_add = user->add_subcommand("add", "add a user; the password is read from stdin or asked for");
  add_common(user_add);
  user_add->add_option("username", username, "the new user's name")->required();
  user_add->add_option("--role", role, "administrator, analyst, operator, organisation-contact or partner-liaison")
      ->capture_default_str();
  user_add->add_flag("--password-stdin", password_stdin, "read the password from stdin, even from a terminal");
  auto* user_passwd = user->add_subcommand("passwd", "set a user's password (read from stdin or asked for)");
  add_common(user_passwd);
  user_passwd->add_option("username", username, "the user")->required();
  user_passwd->add_flag("--password-stdin", password_stdin, "read the password from stdin, even from a terminal");
  auto* user_list = user->add_subcommand("list", "list users");
  add_common(user_list);

  auto* token = app.add_subcommand("token", "API tokens for scripts (Authorization: Bearer <token>)");
  token->require_subcommand(1);
  std::string token_role, token_label;
  int64_t token_id = 0;
  auto* token_create = token->add_subcommand("create", "create a token acting as a user; prints only the token");
  add_common(token_create);
  token_create->add_option("username", username, "the user the token acts as")->required();
  token_create->add_option("--role", token_role, "scope it to this role (only for administrators' tokens; default: the user's role)");
  token_create->add_option("--name", token_label, "what the token is for");
  auto* token_list = token->add_subcommand("list", "list tokens (never their values)");
  add_common(token_list);
  auto* token_revoke = token->add_subcommand("revoke", "revoke a token at once");
  add_common(token_revoke);
  token_revoke->add_option("id", token_id, "the token's id, from token list")->required();

  auto* audit = app.add_subcommand("audit", "check and read the audit log");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand("verify", "check the hash chain; exits 1 naming the first broken entry");
  add_common(audit_verify);
  auto* audit_list = audit->add_subcommand("list", "print audit entries, newest first");
  add_common(audit_list);
  AuditFilter audit_filter;
  audit_filter.limit = 50;
  audit_list->add_option("--actor", audit_filter.actor, "only this username (or cli, system)");
  audit_list->add_option("--action", audit_filter.action, "an action, or a prefix ending in '.' such as session.");
  audit_list->add_option("--limit", audit_filter.limit, "how many")->check(CLI::Range(1, 100000))->capture_default_str();

  app.add_subcommand("version", "print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (app.got_subcommand("version")) {
    std::printf("jaga %s\n", JAGA_VERSION);
    return 0;
  }

  if (!config_path.empty()) {
    std::ifstream in(config_path);
    std::stringstream text;
    text << in.rdbuf();
    if (auto st = apply_config_file(settings, text.str()); !st) return fail(config_path + ": " + st.error().message);
  }
  if (auto st = apply_environment(settings, environment()); !st) return fail(st.error().message);
  if (!listen.empty()) settings.listen = listen;
  if (!data_dir.empty()) settings.data_dir = data_dir;
  if (!web_root.empty()) settings.web_root = web_root;
  if (auto st = validate(settings); !st) return fail(st.error().message);

  if (app.got_subcommand(serve)) return jaga::serve(settings, argv[0]);

  log::set_enabled(false);  // one-shot commands print results, not logs
  auto store = open_store(settings);
  if (!store) return fail(store.error().message);

  if (app.got_subcommand(migrate)) {
    std::printf("schema version %d\n", (*store)->schema_version());
    return 0;
  }
  if (user_list->parsed()) {
    auto users = (*store)->list_users();
    if (!users) return fail(users.error().message);
    std::printf("%-24s %-14s %-26s %s\n", "USERNAME", "ROLE", "CREATED", "STATE");
    for (const auto& u : *users) {
      std::string state = u.must_change_password ? "must change password" : "active";
      if (!u.locked_until.empty()) state = "locked until " + u.locked_until;
      std::printf("%-24s %-14s %-26s %s\n", u.username.c_str(), std::string(to_string(u.role)).c_str(),
                  u.created_at.c_str(), state.c_str());
    }
    return 0;
  }
  if (token_create->parsed()) {
    auto owner = (*store)->find_user(username);
    if (!owner) return fail("no user named '" + username + "'");
    Role role = owner->role;
    if (!token_role.empty()) {
      auto parsed = parse_role(token_role);
      if (!parsed) return fail("role must be one of " + role_names() + ", not '" + token_role + "'");
      if (*parsed != owner->role && owner->role != Role::administrator)
        return fail("a token of " + username + " can only have their role, " + std::string(to_string(owner->role)));
      role = *parsed;
    }
    std::string value = std::string(api::kTokenPrefix) + random_token(32);
    ApiToken t;
    t.user_id = owner->id;
    t.name = token_label.empty() ? "created on the command line" : token_label;
    t.token_hash = sha256_hex(value);
    t.role = role;
    t.created_at = now_rfc3339();
    auto event = cli_event("token.create", "user", username, {{"role", std::string(to_string(role))}, {"name", t.name}});
    auto created = wait_for<int64_t>([&](auto cb) { (*store)->create_token(t, event, cb); });
    if (!created) return fail(created.error().message);
    std::printf("%s\n", value.c_str());
    return 0;
  }
  if (token_list->parsed()) {
    auto tokens = (*store)->list_tokens();
    if (!tokens) return fail(tokens.error().message);
    std::printf("%-6s %-20s %-22s %-26s %-26s %s\n", "ID", "USER", "ROLE", "CREATED", "LAST USED", "NAME");
    for (const auto& t : *tokens) {
      std::string used = t.revoked_at.empty() ? (t.last_used_at.empty() ? "never" : t.last_used_at) : "revoked " + t.revoked_at;
      std::printf("%-6lld %-20s %-22s %-26s %-26s %s\n", static_cast<long long>(t.id), t.username.c_str(),
                  std::string(to_string(t.role)).c_str(), t.created_at.c_str(), used.c_str(), t.name.c_str());
    }
    return 0;
  }
  if (token_revoke->parsed()) {
    auto event = cli_event("token.revoke", "token", std::to_string(token_id));
    auto revoked = wait_for<bool>([&](auto cb) { (*store)->revoke_token(token_id, event, cb); });
    if (!revoked) return fail(revoked.error().message);
    std::printf("token %lld revoked\n", static_cast<long long>(token_id));
    return 0;
  }
  if (audit_verify->parsed()) {
    auto check = (*store)->verify_audit_log();
    if (!check) return fail(check.error().message);
    if (check->first_broken_id) {
      return fail("the audit log is broken at entry " + std::to_string(*check->first_broken_id) + ": " +
                  check->problem + " (the " + std::to_string(check->entries - 1) + " entries before it are intact)");
    }
    std::printf("the audit log is intact: %lld entries\n", static_cast<long long>(check->entries));
    return 0;
  }
  if (audit_list->parsed()) {
    auto entries = (*store)->list_audit(audit_filter);
    if (!entries) return fail(entries.error().message);
    for (const auto& e : *entries) {
      std::printf("%6lld  %s  %-16s %-26s %s %s %s\n", static_cast<long long>(e.id), e.at.c_str(), e.event.actor.c_str(),
                  e.event.action.c_str(), e.event.target_type.c_str(), e.event.target.c_str(), e.event.details.c_str());
    }
    return 0;
  }
  if (user_add->parsed() || user_passwd->parsed()) {
    if (username.empty() || username.size() > 64 || username.find_first_of(" \t\n/") != std::string::npos)
      return fail("the username must be 1 to 64 characters without spaces");
    auto parsed_role = parse_role(role);
    if (!parsed_role) return fail("role must be one of " + role_names() + ", not '" + role + "'");
    std::string password = read_password("password: ", password_stdin);
    if (password.size() < 12) return fail("the password must have at least 12 characters");
    if (user_add->parsed()) {
      User u{0, username, hash_password(password), *parsed_role};
      auto event = cli_event("user.create", "user", username, {{"role", role}});
      auto created = wait_for<int64_t>([&](auto cb) { (*store)->create_user(u, event, cb); });
      if (!created) return fail(created.error().message);
      std::printf("added %s (%s)\n", username.c_str(), std::string(to_string(*parsed_role)).c_str());
    } else {
      auto event = cli_event("user.password_set", "user", username);
      auto changed = wait_for<bool>([&](auto cb) { (*store)->set_password(username, hash_password(password), false, event, cb); });
      if (!changed) return fail(changed.error().message);
      std::printf("password of %s changed; their sessions have ended\n", username.c_str());
    }
    return 0;
  }
  return 0;
}
