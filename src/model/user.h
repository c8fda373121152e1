// Users of the console (desk operators, analysts, administrators) and their
// sign-in sessions. Passwords are Argon2id hashes; session tokens are stored
// only as SHA-256 hashes, so a copy of the database opens no session.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jaga {

// Who may do what is declared per route in the API (api/access.h):
// - administrator: everything, users and settings included;
// - analyst: triage reports, run incidents, notify organisations;
// - operator: the desk: enter reports received by phone, walk-in, letter;
// - organisation-contact: a ministry's or region's contact, who sees only the
//   incidents and sites of their own organisation;
// - partner-liaison: exchanges threat information with partner agencies.
enum class Role { administrator, analyst, operator_, organisation_contact, partner_liaison };
inline constexpr Role kAllRoles[] = {Role::administrator, Role::analyst, Role::operator_,
                                     Role::organisation_contact, Role::partner_liaison};
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
  std::optional<int64_t> organisation_id;  // for organisation contacts
  // Second factor: a TOTP secret (base32) that counts once confirmed, and the
  // last 30-second step used, so that no code works twice.
  std::string totp_secret;
  bool totp_enabled = false;
  int64_t totp_last_step = 0;
};

struct Session {
  std::string token_hash;
  int64_t user_id = 0;
  std::string csrf_token;
  std::string created_at;
  std::string expires_at;
};

// A token for scripts: `Authorization: Bearer <token>`. Stored as a SHA-256
// hash, shown once when created. It acts as its user with its own role,
// which is the user's role (administrators may scope a token to any role).
struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string username;  // filled in by reads
  std::string name;      // what it is for, e.g. "nightly export"
  std::string token_hash;
  Role role = Role::operator_;
  std::string created_at;
  std::string last_used_at;  // empty until first use
  std::string revoked_at;    // empty while valid
};

}  // namespace jaga
