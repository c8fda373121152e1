// The partner exchange as the desk runs it: sharing an incident (its
// indicators, itself, or both) into a collection, the second analyst's
// approval where an agreement asks for four eyes, the partners with their
// agreements and sync state, the collections, and the transfer log.
#include <boost/json.hpp>
#include <charconv>

#include "api/access.h"
#include "api/json_input.h"
#include "api/routes.h"
#include "api/submission.h"
#include "http/problem.h"
#include "intel/normalise.h"
#include "stix/mapping.h"
#include "taxii/sync_service.h"
#include "util/csv.h"
#include "util/time.h"

namespace jaga::api {

namespace {

namespace json = boost::json;

Access sharers() { return Access::only({Role::administrator, Role::analyst}); }
Access exchange_readers() { return Access::only({Role::administrator, Role::analyst, Role::partner_liaison}); }

stix::Agency agency(const ApiContext& ctx) { return {ctx.settings.agency_name, ctx.settings.agency_country}; }

json::object share_json(const Share& s) {
  json::array approvers;
  for (const auto& a : s.approvers_for) approvers.emplace_back(a);
  return {{"id", s.id},
          {"incident", s.incident},
          {"collection", s.collection},
          {"tlp", std::string(to_string(s.tlp))},
          {"summary", s.summary},
          {"state", s.state},
          {"requested_by", s.requested_by},
          {"requested_at", s.requested_at},
          {"decided_by", s.decided_by},
          {"decided_at", s.decided_at},
          {"reason", s.reason},
          {"approvers_for", std::move(approvers)},
          {"object_count", s.objects.size()}};
}

std::optional<IndicatorKind> kind_of(const std::string& type) {
  for (int k = 0; k < kIndicatorKinds; ++k)
    if (to_string(static_cast<IndicatorKind>(k)) == type) return static_cast<IndicatorKind>(k);
  return std::nullopt;
}

struct ShareRequest {
  std::string collection;
  Tlp tlp = Tlp::green;
  bool incident = true;
  bool all_indicators = true;
  std::vector<std::string> indicators;  // values, when not all
};

Result<ShareRequest> read_share_request(const json::object& body, const Incident& incident) {
  ShareRequest r;
  auto collection = string_field(body, "collection", true, 64);
  if (!collection) return collection.error();
  r.collection = *collection;
  auto tlp_text = string_field(body, "tlp", false, 40);
  if (!tlp_text) return tlp_text.error();
  r.tlp = incident.tlp;
  if (!tlp_text->empty()) {
    auto tlp = parse_tlp(*tlp_text);
    if (!tlp) return Error::invalid("tlp must be TLP:CLEAR, TLP:GREEN or TLP:AMBER", "/tlp");
    r.tlp = *tlp;
  }
  if (r.tlp > Tlp::amber)
    return Error::invalid(std::string(to_string(r.tlp)) +
                              " never leaves the agency; share at TLP:CLEAR, TLP:GREEN or TLP:AMBER",
                          "/tlp");
  auto with_incident = bool_field(body, "incident");
  if (!with_incident) return with_incident.error();
  r.incident = with_incident->value_or(true);
  if (auto* v = body.if_contains("indicators"); v && v->is_string()) {
    if (v->get_string() != "all") return Error::invalid("indicators is \"all\" or a list of values", "/indicators");
  } else if (v && !v->is_null()) {
    auto values = string_list_field(body, "indicators", 10000, 2048);
    if (!values) return values.error();
    r.all_indicators = false;
    r.indicators = std::move(*values);
  }
  return r;
}

// The STIX objects of a share: the label's marking definition, the agency,
// the chosen indicators, the incident and what ties them together.
Result<Share> build_share(ApiContext& ctx, const Incident& incident, const ShareRequest& r, const std::string& by) {
  Share share;
  share.incident = incident.reference;
  share.collection = r.collection;
  share.tlp = r.tlp;
  share.requested_by = by;
  auto who = agency(ctx);
  std::string now = now_rfc3339();
  share.objects.push_back(stix::tlp_marking_definition(r.tlp));
  share.objects.push_back(stix::agency_identity(who, incident.created_at));
  std::vector<std::string> refs;
  size_t indicator_count = 0;
  for (const auto& value : r.indicators) {
    bool known = std::any_of(incident.indicators.begin(), incident.indicators.end(),
                             [&](const Indicator& i) { return i.value == value; });
    if (!known) return Error::invalid("the incident names no indicator " + value, "/indicators");
  }
  std::string incident_ref = stix::incident_id(incident.reference);
  for (const auto& i : incident.indicators) {
    if (!r.all_indicators && std::find(r.indicators.begin(), r.indicators.end(), i.value) == r.indicators.end()) continue;
    auto kind = kind_of(i.type);
    if (!kind) continue;  // phone numbers have no STIX pattern
    auto canonical = normalise_indicator(i.value, *kind);
    if (!canonical) continue;
    stix::IndicatorShare s{*canonical, r.tlp, incident.created_at, incident.updated_at, std::nullopt, "", ""};
    s.description = "Seen in " + incident.reference + " (" + incident.category + ")";
    auto object = stix::indicator_object(s, who);
    refs.push_back(object.stix_id);
    share.objects.push_back(std::move(object));
    if (r.incident)
      share.objects.push_back(stix::relationship_object(refs.back(), "related-to", incident_ref, r.tlp, who, incident.created_at));
    ++indicator_count;
  }
  if (r.incident) {
    std::vector<Report> reports;
    for (const auto& code : incident.reports)
      if (auto report = ctx.store.find_report(code)) reports.push_back(std::move(*report));
    share.objects.push_back(stix::incident_object(incident, reports, who, r.tlp));
    refs.push_back(incident_ref);
  }
  if (refs.empty()) return Error::invalid("there is nothing to share: choose the incident or some of its indicators");
  share.objects.push_back(stix::report_object(incident.reference + " shared by " + who.name, refs, r.tlp, who, now));
  share.summary = std::to_string(indicator_count) + (indicator_count == 1 ? " indicator" : " indicators") +
                  (r.incident ? " and the incident" : "");
  return share;
}

Result<int64_t> share_id_param(const http::Request& request) {
  const auto& text = request.params.at("id");
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return Error::not_found("There is no share " + text + ".");
  return id;
}

json::object partner_json(const Partner& p, const std::vector<PartnerRemote>& remotes) {
  json::array rights;
  for (const auto& r : p.collections)
    rights.push_back({{"collection", r.collection}, {"read", r.read}, {"write", r.write}});
  json::object o{{"name", p.name},
                 {"title", p.title},
                 {"disabled", p.disabled},
                 {"agreement", json::object{{"reference", p.agreement.reference},
                                            {"max_tlp", std::string(to_string(p.agreement.max_tlp))},
                                            {"personal_data", p.agreement.personal_data},
                                            {"four_eyes", p.agreement.four_eyes}}},
                 {"collections", std::move(rights)},
                 {"created_at", p.created_at}};
  o["sync"] = nullptr;
  for (const auto& r : remotes) {
    if (r.partner != p.name) continue;
    o["sync"] = json::object{{"api_root", r.api_root},         {"remote_collection", r.remote_collection},
                             {"pull_into", r.pull_into},       {"push_from", r.push_from},
                             {"interval_seconds", r.interval_seconds}, {"last_attempt", r.last_attempt},
                             {"last_success", r.last_success}, {"last_error", r.last_error},
                             {"failures", r.failures},         {"pulled", r.pulled},
                             {"pushed", r.pushed}};
  }
  return o;
}

json::object transfer_json(const Transfer& t) {
  json::array objects;
  for (const auto& [id, version] : t.objects) objects.push_back({{"id", id}, {"version", version}});
  json::error_code ec;
  auto agreement = json::parse(t.agreement, ec);
  return {{"id", t.id},
          {"at", t.at},
          {"direction", t.direction},
          {"partner", t.partner},
          {"collection", t.collection},
          {"channel", t.channel},
          {"agreement", ec ? json::value(json::object{}) : agreement},
          {"object_count", t.objects.size()},
          {"objects", std::move(objects)}};
}

Result<TransferFilter> transfer_filter(const http::Request& request) {
  TransferFilter f;
  f.partner = request.query_value("partner");
  f.direction = request.query_value("direction");
  if (!f.direction.empty() && f.direction != "sent" && f.direction != "received")
    return Error::invalid("direction is sent or received", "direction");
  f.object_id = request.query_value("object");
  f.since = request.query_value("since");
  f.until = request.query_value("until");
  for (const auto* name : {"since", "until"}) {
    auto value = request.query_value(name);
    if (!value.empty() && !parse_rfc3339(value)) return Error::invalid(std::string(name) + " must be an RFC 3339 time", name);
  }
  if (auto before = request.query_value("before"); !before.empty()) {
    auto [end, ec] = std::from_chars(before.data(), before.data() + before.size(), f.before_id);
    if (ec != std::errc() || end != before.data() + before.size()) return Error::invalid("before must be a transfer id", "before");
  }
  return f;
}

}  // namespace

void add_exchange_routes(http::Router& router, ApiContext& ctx) {
  router.add({"POST", "/api/v1/incidents/{reference}/shares", "incidents_share", 64 * 1024,
              guard(ctx, sharers(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    const auto& reference = request.params.at("reference");
    auto incident = looks_like_incident_reference(reference) ? ctx.store.find_incident(reference)
                                                             : Result<Incident>(Error::not_found("no incident " + reference));
    if (!incident) return reply(http::problem(incident.error()));
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto wanted = read_share_request(*body, *incident);
    if (!wanted) return reply(http::problem(wanted.error()));
    auto collection = ctx.store.find_collection(wanted->collection);
    if (!collection) return reply(http::problem(Error::invalid(collection.error().message, "/collection")));
    auto share = build_share(ctx, *incident, *wanted, caller.user.username);
    if (!share) return reply(http::problem(share.error()));
    auto partners = ctx.store.list_partners();
    if (!partners) return reply(http::problem(partners.error()));
    std::vector<Partner> readers;
    for (const auto& p : *partners)
      for (const auto& r : p.collections)
        if (r.read && r.collection == collection->alias) readers.push_back(p);
    for (const auto& p : readers)
      if (p.agreement.four_eyes && !p.disabled) share->approvers_for.push_back(p.name);
    bool publish = !needs_second_analyst(readers);
    auto audit = caller_event(request, caller, publish ? "share.publish" : "share.request", "incident", reference,
                              json::serialize(json::object{{"collection", collection->alias},
                                                           {"tlp", std::string(to_string(share->tlp))},
                                                           {"summary", share->summary}}));
    ctx.store.create_share(std::move(*share), publish, std::move(audit), [reply](Result<Share> saved) {
      if (!saved) return reply(http::problem(saved.error()));
      reply(json_response(201, share_json(*saved)));
    });
  })});

  router.add({"GET", "/api/v1/shares", "shares_list", 0,
              guard(ctx, exchange_readers(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    auto state = request.query_value("state");
    if (!state.empty() && state != "pending" && state != "published" && state != "rejected")
      return reply(http::problem(Error::invalid("state is pending, published or rejected", "state")));
    auto shares = ctx.store.list_shares(state, request.query_value("incident"));
    if (!shares) return reply(http::problem(shares.error()));
    json::array items;
    for (const auto& s : *shares) items.push_back(share_json(s));
    reply(json_response(200, {{"items", std::move(items)}}));
  })});

  auto decide = [&ctx](bool approve) {
    return guard(ctx, sharers(), [&ctx, approve](http::Request& request, Caller& caller, http::Reply reply) {
      auto id = share_id_param(request);
      if (!id) return reply(http::problem(id.error()));
      std::string reason;
      if (!request.body.empty()) {
        auto body = parse_json_object(request.body);
        if (!body) return reply(http::problem(body.error()));
        auto text = string_field(*body, "reason", false, 2000);
        if (!text) return reply(http::problem(text.error()));
        reason = *text;
      }
      if (!approve && reason.empty())
        return reply(http::problem(Error::invalid("say why the share is rejected", "/reason")));
      auto audit = caller_event(request, caller, approve ? "share.approve" : "share.reject", "share",
                                std::to_string(*id), reason.empty() ? "" : json::serialize(json::object{{"reason", reason}}));
      ctx.store.decide_share(*id, caller.user.username, approve, reason, std::move(audit), [reply](Result<Share> decided) {
        if (!decided) return reply(http::problem(decided.error()));
        reply(json_response(200, share_json(*decided)));
      });
    });
  };
  router.add({"POST", "/api/v1/shares/{id}/approve", "shares_approve", 16 * 1024, decide(true)});
  router.add({"POST", "/api/v1/shares/{id}/reject", "shares_reject", 16 * 1024, decide(false)});

  router.add({"GET", "/api/v1/partners", "partners_list", 0,
              guard(ctx, exchange_readers(), [&ctx](http::Request&, Caller&, http::Reply reply) {
    auto partners = ctx.store.list_partners();
    if (!partners) return reply(http::problem(partners.error()));
    auto remotes = ctx.store.list_partner_remotes();
    if (!remotes) return reply(http::problem(remotes.error()));
    json::array items;
    for (const auto& p : *partners) items.push_back(partner_json(p, *remotes));
    reply(json_response(200, {{"items", std::move(items)}}));
  })});

  router.add({"POST", "/api/v1/partners/{name}/sync", "partners_sync", 1024,
              guard(ctx, exchange_readers(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    if (!ctx.partner_sync) return reply(http::problem(Error::unavailable("partner sync is not running")));
    std::string partner = request.params.at("name");
    auto audit = caller_event(request, caller, "partner.sync", "partner", partner);
    run_on_worker(ctx, reply, [&ctx, reply, partner, audit = std::move(audit)]() mutable {
      auto report = ctx.partner_sync->sync_now(partner);
      if (!report) return reply(http::problem(report.error()));
      ctx.store.append_audit(std::move(audit), [](Result<int64_t>) {});
      json::array notes;
      for (const auto& n : report->notes) notes.emplace_back(n);
      reply(json_response(200, {{"ok", report->ok()},
                                {"error", report->error},
                                {"pulled", report->pulled},
                                {"pushed", report->pushed},
                                {"pull_pages", report->pull_pages},
                                {"push_batches", report->push_batches},
                                {"indicators", report->indicators},
                                {"conflicts", report->conflicts},
                                {"notes", std::move(notes)}}));
    });
  })});

  router.add({"GET", "/api/v1/collections", "collections_list", 0,
              guard(ctx, exchange_readers(), [&ctx](http::Request&, Caller&, http::Reply reply) {
    auto collections = ctx.store.list_collections();
    if (!collections) return reply(http::problem(collections.error()));
    json::array items;
    for (const auto& c : *collections)
      items.push_back({{"alias", c.alias}, {"taxii_id", c.taxii_id}, {"title", c.title}, {"description", c.description},
                       {"max_tlp", std::string(to_string(c.max_tlp))}, {"created_at", c.created_at}});
    reply(json_response(200, {{"items", std::move(items)}}));
  })});

  router.add({"GET", "/api/v1/transfers", "transfers_list", 0,
              guard(ctx, exchange_readers(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    auto filter = transfer_filter(request);
    if (!filter) return reply(http::problem(filter.error()));
    filter->limit = 100;
    auto transfers = ctx.store.list_transfers(*filter);
    if (!transfers) return reply(http::problem(transfers.error()));
    json::array items;
    for (const auto& t : *transfers) items.push_back(transfer_json(t));
    json::object out{{"items", std::move(items)}};
    out["next_before"] = static_cast<int>(transfers->size()) == filter->limit ? json::value(transfers->back().id) : nullptr;
    reply(json_response(200, out));
  })});

  router.add({"GET", "/api/v1/transfers/export", "transfers_export", 0,
              guard(ctx, exchange_readers(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto filter = transfer_filter(request);
    if (!filter) return reply(http::problem(filter.error()));
    filter->limit = 1000;
    std::string csv = csv_line({"transfer", "at", "direction", "partner", "collection", "channel", "agreement", "stix_id", "version"});
    for (;;) {
      auto transfers = ctx.store.list_transfers(*filter);
      if (!transfers) return reply(http::problem(transfers.error()));
      for (const auto& t : *transfers)
        for (const auto& [id, version] : t.objects)
          csv += csv_line({std::to_string(t.id), t.at, t.direction, t.partner, t.collection, t.channel, t.agreement, id, version});
      if (static_cast<int>(transfers->size()) < filter->limit) break;
      filter->before_id = transfers->back().id;
    }
    auto response = http::Response::text(200, std::move(csv), "text/csv; charset=utf-8");
    response.set("content-disposition", "attachment; filename=\"transfers.csv\"");
    ctx.store.append_audit(caller_event(request, caller, "transfers.export", "", "", ""), [](Result<int64_t>) {});
    reply(std::move(response));
  })});
}

}  // namespace jaga::api
