// The audit log for administrators: browse and filter it, and check its
// hash chain, from the console or a script.
#include <boost/json.hpp>

#include "api/access.h"
#include "api/routes.h"
#include "api/submission.h"
#include "http/problem.h"
#include "util/time.h"

namespace jaga::api {

void add_audit_routes(http::Router& router, ApiContext& ctx) {
  const Access administrators = Access::only({Role::administrator});

  router.add({"GET", "/api/v1/audit", "audit_list", 0,
              guard(ctx, administrators, [&ctx](http::Request& request, Caller&, http::Reply reply) {
    AuditFilter filter;
    filter.actor = request.query_value("actor");
    filter.action = request.query_value("action");
    for (auto [name, target] : {std::pair{"from", &filter.from}, std::pair{"to", &filter.to}}) {
      auto value = request.query_value(name);
      if (value.empty()) continue;
      auto when = parse_rfc3339(value);
      if (!when) return reply(http::problem(Error::invalid(std::string(name) + " must be a date such as 2026-11-25", name)));
      *target = format_rfc3339(*when + (std::string(name) == "to" && value.size() == 10 ? std::chrono::hours(24) : std::chrono::hours(0)));
    }
    for (auto [name, target, max] : {std::tuple{"limit", &filter.limit, 500}, std::tuple{"offset", &filter.offset, 100000000}}) {
      auto text = request.query_value(name);
      if (text.empty()) continue;
      if (text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
        return reply(http::problem(Error::invalid(std::string(name) + " must be a whole number", name)));
      *target = std::min(std::stoi(text), max);
    }
    auto entries = ctx.store.list_audit(filter);
    if (!entries) return reply(http::problem(entries.error()));
    boost::json::array items;
    for (const auto& e : *entries) {
      boost::json::value details = e.event.details.empty() ? boost::json::value(boost::json::object{})
                                                           : boost::json::parse(e.event.details);
      boost::json::object item{{"id", e.id},
                               {"at", e.at},
                               {"actor", e.event.actor},
                               {"action", e.event.action},
                               {"target_type", e.event.target_type},
                               {"target", e.event.target},
                               {"details", details},
                               {"remote_address", e.event.remote_address},
                               {"hash", e.hash}};
      items.push_back(std::move(item));
    }
    reply(json_response(200, {{"items", items}, {"limit", filter.limit}, {"offset", filter.offset}}));
  })});

  router.add({"GET", "/api/v1/audit/verify", "audit_verify", 0,
              guard(ctx, administrators, [&ctx](http::Request&, Caller&, http::Reply reply) {
    // Reads the whole chain: on the worker pool, not an I/O thread.
    run_on_worker(ctx, reply, [&ctx, reply] {
      auto check = ctx.store.verify_audit_log();
      if (!check) return reply(http::problem(check.error()));
      boost::json::object body{{"intact", !check->first_broken_id}, {"entries", check->entries}};
      if (check->first_broken_id) {
        body["first_broken_entry"] = *check->first_broken_id;
        body["problem"] = check->problem;
      }
      reply(json_response(200, body));
    });
  })});
}

}  // namespace jaga::api
