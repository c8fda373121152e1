// The website monitor over HTTP: the watched sites with their latest state,
// one site with its findings, history, alerts and content baseline, adding,
// removing, CSV import and export, resetting a baseline, and the copies of
// pages kept as evidence.
#include <boost/json.hpp>

#include "api/access.h"
#include "api/json_input.h"
#include "api/query_input.h"
#include "api/routes.h"
#include "api/submission.h"
#include "http/problem.h"
#include "monitor/sites.h"
#include "util/time.h"

namespace jaga::api {

namespace {

Access site_readers() { return Access::only({Role::administrator, Role::analyst, Role::operator_}); }
Access site_editors() { return Access::only({Role::administrator, Role::analyst}); }

boost::json::object site_json(const SiteState& state) {
  const Site& s = state.site;
  boost::json::object out{{"id", s.id},
                          {"url", s.url},
                          {"organisation", s.organisation},
                          {"interval_seconds", s.interval_seconds},
                          {"keywords", boost::json::value_from(s.keywords)},
                          {"tags", boost::json::value_from(s.tags)},
                          {"enabled", s.enabled},
                          {"created_at", s.created_at},
                          {"updated_at", s.updated_at}};
  out["organisation_id"] = s.organisation_id ? boost::json::value(*s.organisation_id) : boost::json::value(nullptr);
  if (state.checked_at.empty()) {
    out["state"] = nullptr;
  } else {
    boost::system::error_code ec;
    auto findings = boost::json::parse(state.findings_json, ec);
    out["state"] = {{"checked_at", state.checked_at},
                    {"up", state.up},
                    {"status", state.status},
                    {"total_ms", state.total_ms},
                    {"score", state.score},
                    {"error", state.error},
                    {"failures_in_row", state.failures_in_row},
                    {"up_since", state.up_since},
                    {"down_since", state.down_since},
                    {"findings", ec ? boost::json::value(boost::json::array()) : findings}};
  }
  return out;
}

// The site with this id, or 404.
Result<SiteState> find_site(ApiContext& ctx, int64_t id) {
  SiteFilter filter;
  filter.after_id = id - 1;
  filter.limit = 1;
  auto page = ctx.store.list_site_states(filter);
  if (!page) return page.error();
  if (page->empty() || page->front().site.id != id) return Error::not_found("no site " + std::to_string(id));
  return page->front();
}

}  // namespace

void add_site_routes(http::Router& router, ApiContext& ctx) {
  router.add({"GET", "/api/v1/sites", "sites_list", 0,
              guard(ctx, site_readers(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    SiteFilter filter;
    auto limit = query_number(request, "limit", 100, 1000);
    if (!limit) return reply(http::problem(limit.error()));
    auto after = query_number(request, "after", 0, std::numeric_limits<int>::max());
    if (!after) return reply(http::problem(after.error()));
    filter.limit = std::max(1, *limit);
    filter.after_id = *after;
    filter.organisation = request.query_value("organisation");
    filter.tag = request.query_value("tag");
    filter.text = request.query_value("search");
    auto page = ctx.store.list_site_states(filter);
    if (!page) return reply(http::problem(page.error()));
    boost::json::array items;
    for (const auto& s : *page) items.push_back(site_json(s));
    boost::json::object body{{"items", items}, {"limit", filter.limit}};
    // The next page starts after the last site of a full one.
    body["next_after"] = static_cast<int>(page->size()) == filter.limit ? boost::json::value(page->back().site.id)
                                                                          : boost::json::value(nullptr);
    reply(json_response(200, body));
  })});

  router.add({"POST", "/api/v1/sites", "sites_save", 64 * 1024,
              guard(ctx, site_editors(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    Site site;
    auto url = string_field(*body, "url", true, 2000);
    if (!url) return reply(http::problem(url.error()));
    site.url = *url;
    auto organisation = string_field(*body, "organisation", false, 200);
    if (!organisation) return reply(http::problem(organisation.error()));
    site.organisation = *organisation;
    if (auto* interval = body->if_contains("interval_seconds"); interval && !interval->is_null()) {
      if (!interval->is_int64()) return reply(http::problem(Error::invalid("interval_seconds must be a number", "/interval_seconds")));
      site.interval_seconds = static_cast<int>(std::clamp<int64_t>(interval->as_int64(), -1, 1000000));
    }
    auto keywords = string_list_field(*body, "keywords", 20, 200);
    if (!keywords) return reply(http::problem(keywords.error()));
    site.keywords = *keywords;
    auto tags = string_list_field(*body, "tags", 20, 60);
    if (!tags) return reply(http::problem(tags.error()));
    site.tags = *tags;
    auto enabled = bool_field(*body, "enabled");
    if (!enabled) return reply(http::problem(enabled.error()));
    site.enabled = enabled->value_or(true);
    if (auto st = monitor::check_site(site); !st) {
      Error e = st.error();
      e.field = "/" + e.field;
      return reply(http::problem(e));
    }
    auto audit = caller_event(request, caller, "site.save", "site", site.url);
    ctx.store.save_sites({site}, audit, [&ctx, reply](Result<SiteSaveCounts> saved) {
      if (!saved) return reply(http::problem(saved.error()));
      if (ctx.site_monitor_changed) ctx.site_monitor_changed();
      reply(json_response(saved->added ? 201 : 200, {{"added", saved->added}, {"updated", saved->updated}}));
    });
  })});

  router.add({"POST", "/api/v1/sites/import", "sites_import", 8 * 1024 * 1024,
              guard(ctx, site_editors(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto sites = monitor::read_sites_csv(request.body);
    if (!sites) return reply(http::problem(sites.error()));
    auto audit = caller_event(request, caller, "site.import", "", "", "{\"sites\":" + std::to_string(sites->size()) + "}");
    ctx.store.save_sites(std::move(*sites), audit, [&ctx, reply](Result<SiteSaveCounts> saved) {
      if (!saved) return reply(http::problem(saved.error()));
      if (ctx.site_monitor_changed) ctx.site_monitor_changed();
      reply(json_response(200, {{"added", saved->added}, {"updated", saved->updated}}));
    });
  })});

  router.add({"GET", "/api/v1/sites/export", "sites_export", 0,
              guard(ctx, site_editors(), [&ctx](http::Request&, Caller&, http::Reply reply) {
    auto all = list_all_site_states(ctx.store, {});
    if (!all) return reply(http::problem(all.error()));
    auto response = http::Response::text(200, monitor::sites_csv(*all), "text/csv; charset=utf-8");
    response.set("content-disposition", "attachment; filename=\"sites.csv\"");
    response.set("cache-control", "no-store");
    reply(std::move(response));
  })});

  router.add({"GET", "/api/v1/sites/{id}", "sites_read", 0,
              guard(ctx, site_readers(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    auto id = path_id(request, "site");
    if (!id) return reply(http::problem(id.error()));
    auto site = find_site(ctx, *id);
    if (!site) return reply(http::problem(site.error()));
    auto since = query_time(request, "since", false);
    if (!since) return reply(http::problem(since.error()));
    std::string from = since->empty() ? format_rfc3339(Clock::now() - std::chrono::hours(24 * 30)) : *since;
    auto history = ctx.store.site_history(*id, from);
    if (!history) return reply(http::problem(history.error()));
    boost::json::array rows;
    for (const auto& h : *history)
      rows.push_back({{"period", h.period}, {"start", h.start}, {"checks", h.checks}, {"up_checks", h.up_checks},
                      {"p50_ms", h.p50_ms}, {"p95_ms", h.p95_ms}, {"max_ms", h.max_ms}});
    auto body = site_json(*site);
    body["history"] = std::move(rows);
    auto alerts = ctx.store.list_site_alerts(*id, 20);
    if (!alerts) return reply(http::problem(alerts.error()));
    boost::json::array alert_rows;
    for (const auto& a : *alerts) {
      boost::json::array evidence;
      for (const auto& e : a.evidence)
        evidence.push_back({{"id", e.id}, {"captured_at", e.captured_at}, {"url", e.url}, {"sha256", e.sha256},
                            {"size", e.size}, {"href", "/api/v1/site-evidence/" + std::to_string(e.id)}});
      alert_rows.push_back({{"id", a.id}, {"kind", a.kind}, {"open", a.closed_at.empty()},
                            {"incident", {{"id", a.incident_id}, {"reference", a.incident_reference}}},
                            {"opened_at", a.opened_at}, {"last_seen_at", a.last_seen_at}, {"closed_at", a.closed_at},
                            {"seen", a.seen}, {"evidence", std::move(evidence)}});
    }
    body["alerts"] = std::move(alert_rows);
    auto baseline = ctx.store.find_site_baseline(*id);
    if (!baseline) return reply(http::problem(baseline.error()));
    if (*baseline) {
      const auto& b = **baseline;
      body["baseline"] = {{"learned_at", b.learned_at}, {"title", b.title},
                          {"script_hosts", boost::json::value_from(b.script_hosts)},
                          {"frame_hosts", boost::json::value_from(b.frame_hosts)},
                          {"text_excerpt", b.text.substr(0, 500)}};
    } else {
      body["baseline"] = nullptr;
    }
    reply(json_response(200, body));
  })});

  // The site's page as it is now becomes its baseline at the next clean check.
  router.add({"DELETE", "/api/v1/sites/{id}/baseline", "sites_baseline_reset", 0,
              guard(ctx, site_editors(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto id = path_id(request, "site");
    if (!id) return reply(http::problem(id.error()));
    auto site = find_site(ctx, *id);
    if (!site) return reply(http::problem(site.error()));
    auto audit = caller_event(request, caller, "site.baseline_reset", "site", site->site.url);
    ctx.store.reset_site_baseline(*id, audit, [&ctx, reply](Result<bool> removed) {
      if (!removed) return reply(http::problem(removed.error()));
      if (ctx.site_monitor_changed) ctx.site_monitor_changed();
      reply(json_response(200, {{"reset", *removed}}));
    });
  })});

  // A page as it was served when an alert opened: downloaded, never rendered
  // (a defaced page is the attacker's HTML).
  router.add({"GET", "/api/v1/site-evidence/{id}", "site_evidence", 0,
              guard(ctx, site_readers(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    auto id = path_id(request, "kept page");
    if (!id) return reply(http::problem(id.error()));
    auto evidence = ctx.store.find_site_evidence(*id);
    if (!evidence) return reply(http::problem(evidence.error()));
    http::Response response;
    response.body = std::move(evidence->body);
    as_download(response, "site-" + std::to_string(evidence->site_id) + "-evidence-" + std::to_string(evidence->id) +
                              ".html.txt");
    response.set("x-content-sha256", evidence->sha256);
    reply(std::move(response));
  })});

  router.add({"DELETE", "/api/v1/sites/{id}", "sites_delete", 0,
              guard(ctx, site_editors(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto id = path_id(request, "site");
    if (!id) return reply(http::problem(id.error()));
    auto site = find_site(ctx, *id);
    if (!site) return reply(http::problem(site.error()));
    auto audit = caller_event(request, caller, "site.delete", "site", site->site.url);
    ctx.store.delete_site(site->site.url, audit, [&ctx, reply](Result<bool> removed) {
      if (!removed) return reply(http::problem(removed.error()));
      if (ctx.site_monitor_changed) ctx.site_monitor_changed();
      http::Response response;
      response.status = 204;
      reply(std::move(response));
    });
  })});
}

}  // namespace jaga::api
