#include "api/access.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <unordered_map>

#include "api/routes.h"
#include "http/problem.h"
#include "util/crypto.h"
#include "util/time.h"

namespace jaga::api {

namespace {

// Records a token's last use at most once a minute per token, so that a busy
// script does not turn every read into a write.
bool due_for_touch(int64_t token_id) {
  static std::mutex mutex;
  static std::unordered_map<int64_t, std::chrono::steady_clock::time_point> last_touch;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex);
  auto [it, inserted] = last_touch.try_emplace(token_id, now);
  if (!inserted && now - it->second < std::chrono::minutes(1)) return false;
  it->second = now;
  return true;
}

Result<Caller> from_token(ApiContext& ctx, std::string_view token) {
  if (token.size() > 200) return Error::unauthenticated("The API token is not valid.");
  auto pair = ctx.store.find_token_with_user(sha256_hex(token));
  if (!pair) {
    if (pair.error().kind == ErrorKind::not_found) return Error::unauthenticated("The API token's user no longer exists.");
    return Error::unauthenticated("The API token is not valid.");
  }
  auto found = std::optional<ApiToken>(std::move(pair->first));
  auto user = std::optional<User>(std::move(pair->second));
  if (!found->revoked_at.empty()) return Error::unauthenticated("The API token was revoked.");
  // A token never outranks its user: after a change of role, only an
  // administrator's tokens keep their scope.
  if (found->role != user->role && user->role != Role::administrator)
    return Error::unauthenticated("The API token no longer matches its user's role; create a new one.");
  if (due_for_touch(found->id)) ctx.store.touch_token(found->id);
  Caller caller{std::move(*user), found->role, std::nullopt, std::move(*found)};
  return caller;
}

Result<Caller> from_session(ApiContext& ctx, const http::Request& request, bool before_password_change) {
  std::string token = request.cookie(kSessionCookie);
  if (token.empty() || token.size() > 100) return Error::unauthenticated("Sign in to use the desk console.");
  auto session = ctx.store.find_session(sha256_hex(token));
  if (!session) return Error::unauthenticated("Your session has ended; sign in again.");
  if (session->expires_at < now_rfc3339()) return Error::unauthenticated("Your session has expired; sign in again.");
  bool unsafe = request.method != "GET" && request.method != "HEAD";
  if (unsafe) {
    std::string csrf(request.header("x-csrf-token").value_or(""));
    if (!constant_time_equal(csrf, session->csrf_token))
      return Error::forbidden("The request lacks the CSRF token of this session.");
  }
  auto user = ctx.store.find_user_by_id(session->user_id);
  if (!user) return Error::unauthenticated("Your account no longer exists.");
  if (user->must_change_password && !before_password_change)
    return Error::forbidden("Choose a new password before you continue.");
  Role role = user->role;
  return Caller{std::move(*user), role, std::move(*session), std::nullopt};
}

}  // namespace

bool Access::allows(Role role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }

Access Access::any_signed_in(bool before_password_change) {
  return Access{{std::begin(kAllRoles), std::end(kAllRoles)}, before_password_change};
}

Access Access::only(std::initializer_list<Role> roles) { return Access{roles, false}; }

Result<Caller> authenticate(ApiContext& ctx, const http::Request& request, bool before_password_change) {
  auto authorization = request.header("authorization");
  if (authorization) {
    constexpr std::string_view bearer = "Bearer ";
    if (authorization->size() <= bearer.size() || authorization->substr(0, bearer.size()) != bearer)
      return Error::unauthenticated("Authorization must be 'Bearer <token>'.");
    return from_token(ctx, authorization->substr(bearer.size()));
  }
  return from_session(ctx, request, before_password_change);
}

http::Handler guard(ApiContext& ctx, Access access, GuardedHandler handler) {
  return [&ctx, access = std::move(access), handler = std::move(handler)](http::Request& request, http::Reply reply) {
    if (auto refused = refuse_cross_site(request)) return reply(*refused);
    auto caller = authenticate(ctx, request, access.before_password_change);
    if (!caller) return reply(http::problem(caller.error()));
    if (!access.allows(caller->role))
      return reply(http::problem(Error::forbidden("The role " + std::string(to_string(caller->role)) +
                                                  " may not use this.")));
    handler(request, *caller, std::move(reply));
  };
}

AuditEvent staff_event(const http::Request& request, std::optional<int64_t> user_id, std::string username,
                       std::string action, std::string target_type, std::string target, std::string details_json) {
  return AuditEvent{user_id,           std::move(username),     std::move(action), std::move(target_type),
                    std::move(target), std::move(details_json), request.remote_address};
}

AuditEvent caller_event(const http::Request& request, const Caller& caller, std::string action,
                        std::string target_type, std::string target, std::string details_json) {
  if (caller.token) {
    // Which token acted is part of who acted.
    std::string token_note = "\"token_id\":" + std::to_string(caller.token->id);
    details_json = details_json.empty() || details_json == "{}" ? "{" + token_note + "}"
                                                                : "{" + token_note + "," + details_json.substr(1);
  }
  return staff_event(request, caller.user.id, caller.user.username, std::move(action), std::move(target_type),
                     std::move(target), std::move(details_json));
}

}  // namespace jaga::api
