// Who may call what. A signed-in caller comes with a session cookie (and a
// CSRF token for every change) or with `Authorization: Bearer <token>`; each
// route declares the roles it admits, and guard() enforces that declaration
// in one place: 401 when nobody is signed in, 403 when the role may not.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "api/context.h"
#include "http/message.h"
#include "model/audit.h"
#include "model/user.h"
#include "util/result.h"

namespace jaga::api {

inline constexpr const char* kSessionCookie = "jaga_session";
inline constexpr const char* kTokenPrefix = "jaga_";

struct Caller {
  User user;
  Role role = Role::operator_;           // the session's user role, or the token's role
  std::optional<Session> session;        // signed in with the cookie
  std::optional<ApiToken> token;         // or with a bearer token
};

struct Access {
  std::vector<Role> roles;                    // who may
  bool before_password_change = false;        // usable while the user must still change the password
  bool allows(Role role) const;
  static Access any_signed_in(bool before_password_change = false);
  static Access only(std::initializer_list<Role> roles);
};

// Staff of the coordination desk itself, who may read reporters' reports.
inline Access desk_staff() { return Access::only({Role::administrator, Role::analyst, Role::operator_}); }

Result<Caller> authenticate(ApiContext& ctx, const http::Request& request, bool before_password_change);

using GuardedHandler = std::function<void(http::Request&, Caller&, http::Reply)>;

// Wraps a handler so that it runs only for a signed-in caller whose role the
// access admits.
http::Handler guard(ApiContext& ctx, Access access, GuardedHandler handler);

// The audit event of an action by a staff member (signed in or trying to).
AuditEvent staff_event(const http::Request& request, std::optional<int64_t> user_id, std::string username,
                       std::string action, std::string target_type = "", std::string target = "",
                       std::string details_json = "");
AuditEvent caller_event(const http::Request& request, const Caller& caller, std::string action,
                        std::string target_type = "", std::string target = "", std::string details_json = "");

}  // namespace jaga::api
