// The REST API, the public portal's endpoints, the desk console's endpoints,
// health and metrics, and the built front end, registered on one Router.
#pragma once

#include <boost/json/object.hpp>

#include "api/context.h"
#include "http/message.h"
#include "http/router.h"

namespace jaga::api {

void add_public_routes(http::Router& router, ApiContext& ctx);
void add_desk_routes(http::Router& router, ApiContext& ctx);
void add_incident_routes(http::Router& router, ApiContext& ctx);
void add_organisation_routes(http::Router& router, ApiContext& ctx);
// The website monitor's sites (site_routes.cpp).
void add_site_routes(http::Router& router, ApiContext& ctx);
void add_audit_routes(http::Router& router, ApiContext& ctx);
void add_notification_routes(http::Router& router, ApiContext& ctx);
void add_indicator_routes(http::Router& router, ApiContext& ctx);
// Sharing from incidents, approvals, partners, collections, the transfer log.
void add_exchange_routes(http::Router& router, ApiContext& ctx);
// The TAXII 2.1 server under /taxii2/ (taxii_routes.cpp).
void add_taxii_routes(http::Router& router, ApiContext& ctx);
// Turns a problem+json answer under /taxii2/ into the TAXII error object.
void taxii_error_response(http::Response& response);
// An outbox message as the API shows it (notification_routes.cpp).
boost::json::object outbox_json(const OutboxMessage& message);

// Names the organisations an incident affects, from its indicators and the
// constituency registry (source "routing"), unless an analyst has chosen
// them; then calls `then`.
void route_incident(ApiContext& ctx, const std::string& reference, std::function<void()> then);
void add_web_routes(http::Router& router, ApiContext& ctx);

// Security headers for every response (strict CSP, no sniffing, no framing).
void decorate_response(const http::Request& request, http::Response& response);

// Refuses state-changing requests that a browser marks as coming from another
// site (a CSRF attempt), whatever their credentials.
std::optional<http::Response> refuse_cross_site(const http::Request& request);

// Runs slow work (password hashing, file checks) on the worker pool. When the
// pool's queue is full, answers 503 at once rather than leave the client
// waiting for a reply that never comes.
void run_on_worker(ApiContext& ctx, const http::Reply& reply, std::function<void()> job);

inline void add_all_routes(http::Router& router, ApiContext& ctx) {
  add_public_routes(router, ctx);
  add_desk_routes(router, ctx);
  add_incident_routes(router, ctx);
  add_organisation_routes(router, ctx);
  add_site_routes(router, ctx);
  add_audit_routes(router, ctx);
  add_notification_routes(router, ctx);
  add_indicator_routes(router, ctx);
  add_exchange_routes(router, ctx);
  add_taxii_routes(router, ctx);
  add_web_routes(router, ctx);
}

}  // namespace jaga::api
