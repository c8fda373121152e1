// Users of the console (desk operators, analysts, administrators) and their
// sign-in sessions. Passwords are Argon2id hashes; session tokens are stored
// only as SHA-256 hashes, so a copy of the database opens no session.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jaga {

enum class Role { administrator, analyst, operator_ };
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

struct User {
  int64_t id = 0;
  std::string username;
  std::string password_hash;
  Role role = Role::operator_;
  bool must_change_password = false;
  int failed_sign_ins = 0;
  std::string locked_until;  // RFC 3339, empty when not locked
  std::string created_at;
};

struct Session {
  std::string token_hash;
  int64_t user_id = 0;
  std::string csrf_token;
  std::string created_at;
  std::string expires_at;
};

}  // namespace jaga
