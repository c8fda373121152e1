// The audit log for administrators: browse and filter it, and check its
// hash chain, from the console or a script.
#include <boost/json.hpp>

#include "api/access.h"
#include "api/query_input.h"
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
    auto from = query_time(request, "from", false);
    if (!from) return reply(http::problem(from.error()));
    auto to = query_time(request, "to", true);
    if (!to) return reply(http::problem(to.error()));
    filter.from = *from;
    filter.to = *to;
    auto limit = query_number(request, "limit", filter.limit, 500);
    if (!limit) return reply(http::problem(limit.error()));
    auto offset = query_number(request, "offset", 0, 100000000);
    if (!offset) return reply(http::problem(offset.error()));
    filter.limit = *limit;
    filter.offset = *offset;
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
