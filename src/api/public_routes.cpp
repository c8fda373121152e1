// The public side: filing a report, reading its status with the secret, adding
// information later. No login; abuse is held off by per-address rate limits,
// a proof of work and size limits.
#include <boost/json.hpp>

#include "api/json_input.h"
#include "api/routes.h"
#include "api/submission.h"
#include "http/problem.h"
#include "intel/extract.h"
#include "model/tracking_code.h"
#include "util/crypto.h"
#include "util/time.h"

namespace jaga::api {

namespace {

std::optional<http::Response> rate_limited(http::RateLimiter& limiter, const std::string& key) {
  if (limiter.allow(key)) return std::nullopt;
  auto r = http::problem(429, "", "Too many requests from this address; wait a moment and try again.");
  for (auto& [name, value] : r.headers)
    if (name == "retry-after") value = std::to_string(limiter.retry_after(key));
  return r;
}

// Finds the report that this code and secret open, or answers 404 exactly as
// for an unknown code, so that a guess learns nothing.
Result<Report> report_for_reporter(ApiContext& ctx, const http::Request& request) {
  auto not_found = Error::not_found("No report matches this tracking code and secret.");
  auto code = normalise_tracking_code(request.params.at("code"));
  std::string secret(request.header("x-report-secret").value_or(""));
  if (!code || secret.empty() || secret.size() > 200) return not_found;
  auto report = ctx.store.find_report(*code);
  if (!report) return report.error().kind == ErrorKind::not_found ? not_found : report.error();
  if (!constant_time_equal(sha256_hex(secret), report->secret_hash)) return not_found;
  return report;
}

boost::json::object reporter_view(const Report& r) {
  boost::json::array notes, additions;
  for (const auto& n : r.notes) notes.push_back({{"text", n.text}, {"created_at", n.created_at}});
  for (const auto& a : r.additions)
    additions.push_back({{"text", a.text}, {"created_at", a.created_at}, {"attachments", attachments_json(a.attachments, false)}});
  return {{"tracking_code", r.tracking_code},
          {"status", to_string(r.status)},
          {"category", r.input.category},
          {"language", r.input.language},
          {"created_at", r.created_at},
          {"updated_at", r.updated_at},
          {"indicators", indicators_json(r.indicators)},
          {"attachments", attachments_json(r.attachments, false)},
          {"additions", additions},
          {"notes", notes}};
}

}  // namespace

void add_public_routes(http::Router& router, ApiContext& ctx) {
  const size_t report_body_limit = ctx.settings.max_attachments * (ctx.settings.max_attachment_bytes + 4096) + 256 * 1024;

  router.add({"GET", "/api/v1/public/challenge", "public_challenge", 0, [&ctx](http::Request&, http::Reply reply) {
                int difficulty = ctx.settings.pow_difficulty;
                boost::json::object body{{"difficulty", difficulty},
                                         {"challenge", make_pow_challenge(ctx.settings.pow_key, difficulty, unix_seconds())},
                                         {"algorithm", "sha256(challenge + ':' + solution) with leading zero bits"}};
                reply(json_response(200, body));
              }});

  router.add({"POST", "/api/v1/reports", "reports_create", report_body_limit,
              [&ctx](http::Request& request, http::Reply reply) {
                if (auto refused = refuse_cross_site(request)) return reply(*refused);
                if (auto limited = rate_limited(ctx.report_limiter, "report " + request.remote_address))
                  return reply(*limited);
                if (ctx.settings.pow_difficulty > 0) {
                  std::string challenge(request.header("x-pow-challenge").value_or(""));
                  std::string solution(request.header("x-pow-solution").value_or(""));
                  if (challenge.empty())
                    return reply(http::problem(403, "", "A proof of work is required: get a challenge from "
                                                        "/api/v1/public/challenge and send X-Pow-Challenge and X-Pow-Solution."));
                  auto expires = verify_pow(ctx.settings.pow_key, challenge, solution, unix_seconds());
                  if (!expires) return reply(http::problem(expires.error()));
                  if (!ctx.pow_replays.first_use(challenge, *expires, unix_seconds()))
                    return reply(http::problem(403, "", "This proof of work was already used; reload the form."));
                }
                auto submission = read_submission(ctx, request, "report");
                if (!submission) return reply(http::problem(submission.error()));
                auto input = read_report_input(submission->fields);
                if (!input) return reply(http::problem(input.error()));
                input->channel = Channel::web;
                create_report(ctx, request, std::move(*input), std::move(submission->files), std::nullopt, reply);
              }});

  router.add({"GET", "/api/v1/reports/{code}", "reports_read", 0, [&ctx](http::Request& request, http::Reply reply) {
                auto report = report_for_reporter(ctx, request);
                if (!report) return reply(http::problem(report.error()));
                reply(json_response(200, reporter_view(*report)));
              }});

  router.add({"POST", "/api/v1/reports/{code}/additions", "reports_add", report_body_limit,
              [&ctx](http::Request& request, http::Reply reply) {
                if (auto refused = refuse_cross_site(request)) return reply(*refused);
                if (auto limited = rate_limited(ctx.report_limiter, "addition " + request.remote_address))
                  return reply(*limited);
                auto report = report_for_reporter(ctx, request);
                if (!report) return reply(http::problem(report.error()));
                auto submission = read_submission(ctx, request, "addition");
                if (!submission) return reply(http::problem(submission.error()));
                auto text = string_field(submission->fields, "text", submission->files.empty(), 20000);
                if (!text) return reply(http::problem(text.error()));
                auto code = report->tracking_code;
                auto indicators = extract_indicators(*text, ctx.settings.extract, "addition");
                auto files = std::make_shared<std::vector<Upload>>(std::move(submission->files));
                auto addition_text = std::make_shared<std::string>(std::move(*text));
                run_on_worker(ctx, reply, [&ctx, files, addition_text, code, indicators, reply]() mutable {
                  auto saved = save_files(ctx, *files);
                  if (!saved) return reply(http::problem(saved.error()));
                  for (auto& i : saved->indicators) indicators.push_back(std::move(i));
                  Addition addition{0, *addition_text, now_rfc3339(), std::move(saved->attachments)};
                  ctx.store.add_addition(code, std::move(addition), std::move(indicators),
                                         [reply, code](Result<int64_t> id) {
                                           if (!id) return reply(http::problem(id.error()));
                                           reply(json_response(201, {{"id", *id}, {"tracking_code", code}}));
                                         });
                });
              }});
}

}  // namespace jaga::api
