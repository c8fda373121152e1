// The desk console's API: signing in (Argon2id, session cookie HttpOnly +
// SameSite=Strict, CSRF token for every change, lockout after repeated
// failures), entering reports received by phone, walk-in or letter, and
// reading the list of reports and each one in full.
#include <boost/json.hpp>

#include "api/access.h"
#include "api/json_input.h"
#include "api/query_input.h"
#include "api/routes.h"
#include "api/submission.h"
#include "http/problem.h"
#include "model/tracking_code.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/time.h"
#include "util/totp.h"

namespace jaga::api {

namespace {

std::string session_cookie_header(const std::string& token, bool secure, int max_age) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age) + (secure ? "; Secure" : "");
}

boost::json::object user_json(const User& u) {
  return {{"id", u.id}, {"username", u.username}, {"role", to_string(u.role)},
          {"must_change_password", u.must_change_password}, {"totp_enabled", u.totp_enabled}};
}

// One sign-in attempt on its way through the password, the second factor
// and the store.
struct SignIn {
  ApiContext* ctx;
  User user;
  http::Reply reply;
  bool secure;
  AuditEvent failed, signed_in;
};

void sign_in_failed(std::shared_ptr<SignIn> s, const std::string& reason) {
  auto& ctx = *s->ctx;
  std::string lock;
  if (s->user.failed_sign_ins + 1 >= ctx.settings.lockout_failures)
    lock = format_rfc3339(Clock::now() + std::chrono::minutes(ctx.settings.lockout_minutes));
  log::warn("sign-in failed", {{"user_id", static_cast<long long>(s->user.id)}, {"locked", lock.empty() ? "no" : "yes"}});
  boost::json::object details{{"reason", reason}};
  if (!lock.empty()) details["locked_until"] = lock;
  s->failed.details = boost::json::serialize(details);
  bool second_factor = reason != "wrong password";
  ctx.store.record_sign_in(s->user.id, false, lock, s->failed, [s, lock, second_factor](Result<bool>) {
    if (!lock.empty())
      return s->reply(http::problem(403, "Account locked",
                                    "Too many failed sign-ins. The account is locked until " + lock.substr(0, 16) + " UTC."));
    s->reply(http::problem(401, "", second_factor ? "The code is wrong or was already used." : "The username or password is wrong."));
  });
}

void sign_in_succeeded(std::shared_ptr<SignIn> s, const std::string& second_factor) {
  auto& ctx = *s->ctx;
  std::string token = random_token(32);
  Session session{sha256_hex(token), s->user.id, random_token(24), now_rfc3339(),
                  format_rfc3339(Clock::now() + std::chrono::hours(ctx.settings.session_hours))};
  if (!second_factor.empty()) s->signed_in.details = json_text({{"second_factor", second_factor}});
  ctx.store.record_sign_in(s->user.id, true, "", s->signed_in, [](Result<bool>) {});
  ctx.store.create_session(session, [s, token, csrf = session.csrf_token](Result<bool> created) {
    if (!created) return s->reply(http::problem(created.error()));
    log::info("signed in", {{"user_id", static_cast<long long>(s->user.id)}});
    auto body = user_json(s->user);
    body["csrf_token"] = csrf;
    auto response = json_response(200, body);
    response.set("set-cookie", session_cookie_header(token, s->secure, s->ctx->settings.session_hours * 3600));
    s->reply(std::move(response));
  });
}

// Recovery codes are shown as xxxxx-xxxxx; people type them in any case,
// with or without the dash.
std::string normalise_recovery_code(std::string_view code) {
  std::string out;
  for (char c : code)
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

boost::json::object desk_view(const Report& r) {
  boost::json::array notes, additions, related;
  for (const auto& n : r.notes) notes.push_back({{"text", n.text}, {"created_at", n.created_at}});
  for (const auto& a : r.additions)
    additions.push_back({{"id", a.id}, {"text", a.text}, {"created_at", a.created_at}, {"attachments", attachments_json(a.attachments, true)}});
  for (const auto& code : r.related) related.push_back(boost::json::value(code));
  boost::json::object contact{{"anonymous", r.input.anonymous}, {"name", r.input.contact.name},
                              {"email", r.input.contact.email}, {"phone", r.input.contact.phone}};
  return {{"tracking_code", r.tracking_code}, {"status", to_string(r.status)}, {"category", r.input.category},
          {"description", r.input.description}, {"occurred_at", r.input.occurred_at}, {"involved", r.input.involved},
          {"language", r.input.language}, {"channel", to_string(r.input.channel)}, {"consent", r.input.consent},
          {"operator", r.operator_name}, {"created_at", r.created_at}, {"updated_at", r.updated_at},
          {"contact", contact}, {"indicators", indicators_json(r.indicators)},
          {"attachments", attachments_json(r.attachments, true)}, {"additions", additions}, {"notes", notes},
          {"related", related}};
}

}  // namespace

void add_desk_routes(http::Router& router, ApiContext& ctx) {
  router.add({"POST", "/api/v1/session", "session_create", 16 * 1024, [&ctx](http::Request& request, http::Reply reply) {
    if (auto refused = refuse_cross_site(request)) return reply(*refused);
    if (!ctx.sign_in_limiter.allow("sign-in " + request.remote_address))
      return reply(http::problem(429, "", "Too many sign-in attempts from this address; wait a minute."));
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto username = string_field(*body, "username", true, 100);
    if (!username) return reply(http::problem(username.error()));
    auto password = string_field(*body, "password", true, 1000);
    if (!password) return reply(http::problem(password.error()));
    auto user = ctx.store.find_user(*username);
    bool secure = request.secure;
    auto wrong = http::problem(401, "", "The username or password is wrong.");
    if (!user) {
      // Spend the same time as a real check so that timing does not reveal which usernames exist.
      auto audit = staff_event(request, std::nullopt, *username, "session.sign_in_failed", "user", *username,
                               json_text({{"reason", "unknown user"}}));
      run_on_worker(ctx, reply, [&ctx, reply, wrong, password = *password, audit] {
        static const std::string dummy = hash_password("not a real password");
        (void)verify_password(dummy, password);
        ctx.store.append_audit(audit, [reply, wrong](Result<int64_t>) { reply(wrong); });
      });
      return;
    }
    if (!user->locked_until.empty() && user->locked_until > now_rfc3339()) {
      auto locked = http::problem(403, "Account locked",
                                  "Too many failed sign-ins. The account is locked until " +
                                      user->locked_until.substr(0, 16) + " UTC; an administrator can unlock it sooner.");
      auto audit = staff_event(request, user->id, user->username, "session.sign_in_failed", "user", user->username,
                               json_text({{"reason", "account locked"}}));
      return ctx.store.append_audit(audit, [reply, locked](Result<int64_t>) { reply(locked); });
    }
    auto code = string_field(*body, "code", false, 40);
    if (!code) return reply(http::problem(code.error()));
    auto attempt = std::make_shared<SignIn>(SignIn{
        &ctx, *user, reply, secure,
        staff_event(request, user->id, user->username, "session.sign_in_failed", "user", user->username),
        staff_event(request, user->id, user->username, "session.sign_in", "user", user->username)});
    run_on_worker(ctx, reply, [attempt, password = *password, code = *code]() {
      const User& user = attempt->user;
      if (!verify_password(user.password_hash, password)) return sign_in_failed(attempt, "wrong password");
      if (!user.totp_enabled) return sign_in_succeeded(attempt, "");
      if (code.empty())
        return attempt->reply(http::typed_problem(401, "urn:jaga:second-factor-required", "Second factor required",
                                                  "Enter the 6-digit code from your authenticator app, or a recovery code."));
      if (code.size() == 6) {
        auto secret = base32_decode(user.totp_secret).value_or("");
        auto step = verify_totp(secret, code, unix_seconds(),
                                user.totp_last_step);
        if (!step) return sign_in_failed(attempt, "wrong code");
        return attempt->ctx->store.claim_totp_step(user.id, *step, [attempt](Result<bool> fresh) {
          if (!fresh || !*fresh) return sign_in_failed(attempt, "code used before");
          sign_in_succeeded(attempt, "totp");
        });
      }
      attempt->ctx->store.use_recovery_code(user.id, sha256_hex(normalise_recovery_code(code)), [attempt](Result<bool> used) {
        if (!used || !*used) return sign_in_failed(attempt, "wrong recovery code");
        sign_in_succeeded(attempt, "recovery code");
      });
    });
  }});

  router.add({"GET", "/api/v1/session", "session_read", 0,
              guard(ctx, Access::any_signed_in(true), [](http::Request&, Caller& caller, http::Reply reply) {
    auto body = user_json(caller.user);
    body["role"] = to_string(caller.role);
    if (caller.session) {
      body["csrf_token"] = caller.session->csrf_token;
      body["expires_at"] = caller.session->expires_at;
    }
    if (caller.token) body["token"] = {{"id", caller.token->id}, {"name", caller.token->name}};
    reply(json_response(200, body));
  })});

  router.add({"DELETE", "/api/v1/session", "session_delete", 0,
              guard(ctx, Access::any_signed_in(true), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    if (!caller.session)
      return reply(http::problem(409, "", "Signed in with an API token, there is no session to end; revoke the token instead."));
    bool secure = request.secure;
    ctx.store.delete_session(caller.session->token_hash, caller_event(request, caller, "session.sign_out"),
                             [reply, secure](Result<bool> done) {
      if (!done) return reply(http::problem(done.error()));
      http::Response response;
      response.status = 204;
      response.set("set-cookie", session_cookie_header("", secure, 0));
      reply(std::move(response));
    });
  })});

  router.add({"POST", "/api/v1/session/password", "session_password", 16 * 1024,
              guard(ctx, Access::any_signed_in(true), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    // A leaked token must not be enough to take the account over.
    if (!caller.session)
      return reply(http::problem(Error::forbidden("Changing the password needs a signed-in session, not an API token.")));
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto current = string_field(*body, "current_password", true, 1000);
    if (!current) return reply(http::problem(current.error()));
    auto next = string_field(*body, "new_password", true, 1000);
    if (!next) return reply(http::problem(next.error()));
    if (next->size() < 12) return reply(http::problem(Error::invalid("the new password must have at least 12 characters", "/new_password")));
    if (*next == *current) return reply(http::problem(Error::invalid("the new password must differ from the current one", "/new_password")));
    auto audit = caller_event(request, caller, "user.password_change", "user", caller.user.username);
    run_on_worker(ctx, reply, [&ctx, user = caller.user, current = *current, next = *next, reply, audit] {
      if (!verify_password(user.password_hash, current))
        return reply(http::problem(Error{ErrorKind::forbidden, "the current password is wrong", "/current_password"}));
      ctx.store.set_password(user.username, hash_password(next), false, audit, [reply](Result<bool> done) {
        if (!done) return reply(http::problem(done.error()));
        // Changing the password ends every session, this one included.
        http::Response response;
        response.status = 204;
        reply(std::move(response));
      });
    });
  })});

  router.add({"POST", "/api/v1/session/totp", "session_totp_setup", 1024,
              guard(ctx, Access::any_signed_in(true), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    if (!caller.session)
      return reply(http::problem(Error::forbidden("Setting up a second factor needs a signed-in session, not an API token.")));
    if (caller.user.totp_enabled)
      return reply(http::problem(Error::conflict("The second factor is already on; turn it off first to set up a new one.")));
    std::string secret = base32_encode(random_bytes(20));
    auto audit = caller_event(request, caller, "user.totp_setup", "user", caller.user.username);
    ctx.store.set_totp(caller.user.id, secret, false, {}, audit, [reply, secret, username = caller.user.username](Result<bool> done) {
      if (!done) return reply(http::problem(done.error()));
      reply(json_response(200, {{"secret", secret}, {"uri", totp_uri("jaga", username, secret)}}));
    });
  })});

  router.add({"POST", "/api/v1/session/totp/confirm", "session_totp_confirm", 1024,
              guard(ctx, Access::any_signed_in(true), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    if (!caller.session)
      return reply(http::problem(Error::forbidden("Setting up a second factor needs a signed-in session, not an API token.")));
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto code = string_field(*body, "code", true, 10);
    if (!code) return reply(http::problem(code.error()));
    const User& user = caller.user;
    if (user.totp_enabled) return reply(http::problem(Error::conflict("The second factor is already on.")));
    if (user.totp_secret.empty())
      return reply(http::problem(Error::conflict("Start the set-up first: POST /api/v1/session/totp.")));
    auto now = unix_seconds();
    auto step = verify_totp(base32_decode(user.totp_secret).value_or(""), *code, now, user.totp_last_step);
    if (!step)
      return reply(http::problem(Error::invalid("The code does not match; check that the phone's clock is right and enter the next code.", "/code")));
    boost::json::array shown;
    std::vector<std::string> hashes;
    for (int i = 0; i < 10; ++i) {
      std::string raw = base32_encode(random_bytes(7)).substr(0, 10);
      std::string code_text = normalise_recovery_code(raw);
      hashes.push_back(sha256_hex(code_text));
      shown.push_back(boost::json::value(code_text.substr(0, 5) + "-" + code_text.substr(5)));
    }
    auto audit = caller_event(request, caller, "user.totp_enabled", "user", user.username);
    ctx.store.claim_totp_step(user.id, *step, [&ctx, reply, id = user.id, secret = user.totp_secret, hashes, shown, audit](Result<bool> fresh) {
      if (!fresh || !*fresh) return reply(http::problem(Error::invalid("That code was already used; enter the next one.", "/code")));
      ctx.store.set_totp(id, secret, true, hashes, audit, [reply, shown](Result<bool> done) {
        if (!done) return reply(http::problem(done.error()));
        reply(json_response(200, {{"recovery_codes", shown}}));
      });
    });
  })});

  router.add({"DELETE", "/api/v1/session/totp", "session_totp_off", 16 * 1024,
              guard(ctx, Access::any_signed_in(true), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    if (!caller.session)
      return reply(http::problem(Error::forbidden("Turning the second factor off needs a signed-in session, not an API token.")));
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto password = string_field(*body, "password", true, 1000);
    if (!password) return reply(http::problem(password.error()));
    auto audit = caller_event(request, caller, "user.totp_disabled", "user", caller.user.username);
    run_on_worker(ctx, reply, [&ctx, reply, user = caller.user, password = *password, audit] {
      if (!verify_password(user.password_hash, password))
        return reply(http::problem(Error{ErrorKind::forbidden, "the password is wrong", "/password"}));
      ctx.store.set_totp(user.id, "", false, {}, audit, [reply](Result<bool> done) {
        if (!done) return reply(http::problem(done.error()));
        http::Response response;
        response.status = 204;
        reply(std::move(response));
      });
    });
  })});

  router.add({"GET", "/api/v1/desk/reports", "desk_reports_list", 0,
              guard(ctx, desk_staff(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    ReportFilter filter;
    if (auto channel = request.query_value("channel"); !channel.empty()) {
      filter.channel = parse_channel(channel);
      if (!filter.channel) return reply(http::problem(Error::invalid("channel must be web, phone, walk-in, letter or email", "channel")));
    }
    filter.category = request.query_value("category");
    if (auto status = request.query_value("status"); !status.empty()) {
      filter.status = parse_report_status(status);
      if (!filter.status)
        return reply(http::problem(Error::invalid("status must be received, in_review, incident_opened, resolved, closed, spam or duplicate", "status")));
    }
    auto text = query_search(request);
    if (!text) return reply(http::problem(text.error()));
    filter.text = *text;
    auto from = query_time(request, "from", false);
    if (!from) return reply(http::problem(from.error()));
    auto to = query_time(request, "to", true);
    if (!to) return reply(http::problem(to.error()));
    filter.from = *from;
    filter.to = *to;
    auto limit = query_number(request, "limit", 50, 500);
    if (!limit) return reply(http::problem(limit.error()));
    auto offset = query_number(request, "offset", 0, 100000000);
    if (!offset) return reply(http::problem(offset.error()));
    filter.limit = *limit;
    filter.offset = *offset;
    auto list = ctx.store.list_reports(filter);
    if (!list) return reply(http::problem(list.error()));
    boost::json::array items;
    for (const auto& s : *list) {
      items.push_back({{"tracking_code", s.tracking_code}, {"category", s.category}, {"channel", to_string(s.channel)},
                       {"status", to_string(s.status)}, {"created_at", s.created_at},
                       {"excerpt", s.description_excerpt}, {"attachments", s.attachment_count}});
    }
    reply(json_response(200, {{"items", items}, {"limit", filter.limit}, {"offset", filter.offset}}));
  })});

  router.add({"POST", "/api/v1/desk/reports", "desk_reports_create",
              ctx.settings.max_attachments * (ctx.settings.max_attachment_bytes + 4096) + 256 * 1024,
              guard(ctx, desk_staff(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto submission = read_submission(ctx, request, "report");
    if (!submission) return reply(http::problem(submission.error()));
    auto input = read_report_input(submission->fields);
    if (!input) return reply(http::problem(input.error()));
    auto channel_text = string_field(submission->fields, "channel", true, 20);
    if (!channel_text) return reply(http::problem(channel_text.error()));
    auto channel = parse_channel(*channel_text);
    if (!channel || *channel == Channel::web)
      return reply(http::problem(Error::invalid("channel must be phone, walk-in, letter or email", "/channel")));
    input->channel = *channel;
    auto audit = caller_event(request, caller, "report.create", "report", "", json_text({{"channel", *channel_text}}));
    create_report(ctx, request, std::move(*input), std::move(submission->files), std::move(audit), reply);
  })});

  router.add({"GET", "/api/v1/desk/reports/{code}", "desk_reports_read", 0,
              guard(ctx, desk_staff(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    auto code = normalise_tracking_code(request.params.at("code"));
    if (!code) return reply(http::problem(Error::not_found("no report with this tracking code")));
    auto report = ctx.store.find_report(*code);
    if (!report) return reply(http::problem(report.error()));
    auto related = ctx.store.find_related_reports(report->id, 50);
    if (!related) return reply(http::problem(related.error()));
    report->related = std::move(*related);
    reply(json_response(200, desk_view(*report)));
  })});

  router.add({"POST", "/api/v1/desk/reports/{code}/notes", "desk_reports_note", 64 * 1024,
              guard(ctx, desk_staff(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto code = normalise_tracking_code(request.params.at("code"));
    if (!code) return reply(http::problem(Error::not_found("no report with this tracking code")));
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto text = string_field(*body, "text", false, 5000);
    if (!text) return reply(http::problem(text.error()));
    auto status_text = string_field(*body, "status", false, 30);
    if (!status_text) return reply(http::problem(status_text.error()));
    std::optional<ReportStatus> status;
    if (!status_text->empty()) {
      status = parse_report_status(*status_text);
      if (!status) return reply(http::problem(Error::invalid("status is not a report status", "/status")));
    }
    if (text->empty() && !status) return reply(http::problem(Error::invalid("give a note text or a new status", "/text")));
    boost::json::object details;
    if (!text->empty()) details["note"] = true;
    if (status) details["status"] = to_string(*status);
    ctx.store.add_public_note(*code, *text, status, caller.user.id,
                              caller_event(request, caller, "report.public_note", "report", *code, json_text(details)),
                              [reply](Result<int64_t> id) {
      if (!id) return reply(http::problem(id.error()));
      reply(json_response(201, {{"id", *id}}));
    });
  })});

  router.add({"GET", "/api/v1/desk/attachments/{id}", "desk_attachment", 0,
              guard(ctx, desk_staff(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    const auto& text = request.params.at("id");
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
      return reply(http::problem(Error::not_found("no attachment with this id")));
    auto attachment = ctx.store.find_attachment(std::stoll(text));
    if (!attachment) return reply(http::problem(attachment.error()));
    http::Response response;
    response.file_path = ctx.blobs.path_of(attachment->sha256);
    as_download(response, attachment->filename);
    reply(std::move(response));
  })});
}

}  // namespace jaga::api
