// The built front end (portal at /, status page at /status/..., desk console
// at /desk), health and readiness probes, metrics, and the headers every
// response carries.
#include <sys/stat.h>

#include <boost/json.hpp>

#include "api/routes.h"
#include "api/submission.h"
#include "http/problem.h"
#include "util/text.h"

namespace jaga::api {

namespace {

std::string content_type_for(const std::string& path) {
  struct Known { const char* ext; const char* type; };
  static constexpr Known known[] = {{".js", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
                                    {".html", "text/html; charset=utf-8"}, {".svg", "image/svg+xml"},
                                    {".png", "image/png"}, {".ico", "image/x-icon"}, {".json", "application/json"},
                                    {".woff2", "font/woff2"}, {".txt", "text/plain; charset=utf-8"}};
  for (const auto& k : known) {
    std::string_view ext(k.ext);
    if (path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0) return k.type;
  }
  return "application/octet-stream";
}

bool is_regular_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

http::Response file_response(const std::string& path, bool immutable) {
  if (!is_regular_file(path)) {
    return http::problem(404, "", "The web console is not built; run scripts/build (npm run build in web/).");
  }
  http::Response r;
  r.file_path = path;
  r.set("content-type", content_type_for(path));
  r.set("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace

void decorate_response(const http::Request& request, http::Response& response) {
  if (request.path.rfind("/taxii2", 0) == 0 && response.status >= 400) taxii_error_response(response);
  bool has_csp = false;
  for (const auto& [name, value] : response.headers)
    if (name == "content-security-policy") has_csp = true;
  if (!has_csp) {
    response.set("content-security-policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                 "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  }
  response.set("x-content-type-options", "nosniff");
  response.set("referrer-policy", "no-referrer");
  response.set("x-frame-options", "DENY");
  response.set("cross-origin-opener-policy", "same-origin");
  response.set("permissions-policy", "camera=(), microphone=(), geolocation=()");
  if (request.secure) response.set("strict-transport-security", "max-age=31536000");
}

void run_on_worker(ApiContext& ctx, const http::Reply& reply, std::function<void()> job) {
  if (!ctx.workers.post(std::move(job)))
    reply(http::problem(Error::unavailable("the server is busy; try again in a moment")));
}

std::optional<http::Response> refuse_cross_site(const http::Request& request) {
  if (auto site = request.header("sec-fetch-site"); site && *site == "cross-site")
    return http::problem(403, "", "Requests from other sites are not accepted.");
  return std::nullopt;
}

void add_web_routes(http::Router& router, ApiContext& ctx) {
  router.add({"GET", "/healthz", "healthz", 0, [](http::Request&, http::Reply reply) {
                reply(json_response(200, {{"status", "ok"}}));
              }});
  router.add({"GET", "/readyz", "readyz", 0, [&ctx](http::Request&, http::Reply reply) {
                auto st = ctx.store.ping();
                if (!st) return reply(http::problem(503, "", "The store does not answer."));
                reply(json_response(200, {{"status", "ready"}, {"schema_version", ctx.store.schema_version()}}));
              }});
  router.add({"GET", "/metrics", "metrics", 0, [&ctx](http::Request&, http::Reply reply) {
                reply(http::Response::text(200, ctx.metrics.render(), "text/plain; version=0.0.4; charset=utf-8"));
              }});

  auto page = [&ctx](const char* file) {
    return [&ctx, file](http::Request&, http::Reply reply) { reply(file_response(ctx.settings.web_root + "/" + file, false)); };
  };
  router.add({"GET", "/", "portal", 0, page("index.html")});
  router.add({"GET", "/status/{code}", "portal_status", 0, page("index.html")});
  router.add({"GET", "/desk", "desk", 0, page("desk.html")});
  router.add({"GET", "/desk/{*rest}", "desk", 0, page("desk.html")});
  router.add({"GET", "/assets/{*file}", "assets", 0, [&ctx](http::Request& request, http::Reply reply) {
                const auto& file = request.params.at("file");
                for (auto segment : split(file, '/')) {
                  if (segment.empty() || segment == "." || segment == ".." || segment.find('\\') != std::string_view::npos)
                    return reply(http::problem(404, "", "There is nothing at " + request.path + "."));
                }
                reply(file_response(ctx.settings.web_root + "/assets/" + file, true));
              }});
}

}  // namespace jaga::api
