// The constituency registry over HTTP: organisations with their domains,
// networks, AS numbers and contacts; CSV import and export; and routing,
// which names the organisations an incident affects from its indicators.
#include <boost/json.hpp>

#include "api/access.h"
#include "api/json_input.h"
#include "api/query_input.h"
#include "api/routes.h"
#include "api/submission.h"
#include "http/problem.h"
#include "intel/constituency.h"
#include "intel/domain.h"
#include "intel/network.h"
#include "intel/registry_csv.h"

namespace jaga::api {

namespace {

Access registry_readers() { return Access::only({Role::administrator, Role::analyst}); }
Access registry_editors() { return Access::only({Role::administrator}); }

boost::json::object organisation_json(const Organisation& o) {
  boost::json::array contacts;
  for (const auto& c : o.contacts)
    contacts.push_back({{"name", c.name}, {"email", c.email}, {"phone", c.phone}, {"pgp_key", c.pgp_key}});
  boost::json::object out{{"id", o.id},
                          {"name", o.name},
                          {"kind", o.kind},
                          {"language", o.language},
                          {"parent", o.parent_name},
                          {"domains", boost::json::value_from(o.domains)},
                          {"networks", boost::json::value_from(o.networks)},
                          {"asns", boost::json::value_from(o.asns)},
                          {"contacts", contacts}};
  out["parent_id"] = o.parent_id ? boost::json::value(*o.parent_id) : boost::json::value(nullptr);
  return out;
}

// An organisation from a JSON body: the same checks as the CSV import.
Result<Organisation> read_organisation(const boost::json::object& body) {
  Organisation o;
  auto name = string_field(body, "name", true, 200);
  if (!name) return name.error();
  if (name->empty()) return Error::invalid("the name is empty", "/name");
  o.name = *name;
  auto kind = string_field(body, "kind", false, 20);
  if (!kind) return kind.error();
  o.kind = kind->empty() ? "other" : *kind;
  if (std::find_if(std::begin(kOrganisationKinds), std::end(kOrganisationKinds), [&](const char* k) { return o.kind == k; }) ==
      std::end(kOrganisationKinds))
    return Error::invalid("kind must be ministry, agency, province, regency, city or other", "/kind");
  auto language = string_field(body, "language", false, 5);
  if (!language) return language.error();
  o.language = language->empty() ? "id" : *language;
  if (o.language != "id" && o.language != "en" && o.language != "zh")
    return Error::invalid("language must be id, en or zh", "/language");
  if (auto* parent = body.if_contains("parent_id"); parent && !parent->is_null()) {
    if (!parent->is_int64()) return Error::invalid("parent_id must be a number", "/parent_id");
    o.parent_id = parent->as_int64();
  }
  auto domains = string_list_field(body, "domains", 500, 253);
  if (!domains) return domains.error();
  for (size_t i = 0; i < domains->size(); ++i) {
    auto d = canonical_domain((*domains)[i]);
    if (!d) return Error::invalid("'" + (*domains)[i] + "' is not a domain name", "/domains/" + std::to_string(i));
    o.domains.push_back(*d);
  }
  auto networks = string_list_field(body, "networks", 500, 50);
  if (!networks) return networks.error();
  for (size_t i = 0; i < networks->size(); ++i) {
    auto n = parse_network((*networks)[i]);
    if (!n) return Error::invalid("'" + (*networks)[i] + "' is not an IP range such as 103.10.20.0/24", "/networks/" + std::to_string(i));
    o.networks.push_back(n->text());
  }
  if (auto* asns = body.if_contains("asns"); asns && !asns->is_null()) {
    if (!asns->is_array()) return Error::invalid("asns must be a list of numbers", "/asns");
    for (const auto& a : asns->as_array()) {
      if (!a.is_int64() || a.as_int64() <= 0 || a.as_int64() > 4294967295LL) return Error::invalid("asns must be AS numbers", "/asns");
      o.asns.push_back(a.as_int64());
    }
  }
  if (auto* contacts = body.if_contains("contacts"); contacts && !contacts->is_null()) {
    if (!contacts->is_array()) return Error::invalid("contacts must be a list", "/contacts");
    for (size_t i = 0; i < contacts->as_array().size(); ++i) {
      const auto& c = contacts->as_array()[i];
      std::string at = "/contacts/" + std::to_string(i) + "/";
      if (!c.is_object()) return Error::invalid("each contact must be an object", at);
      OrganisationContact contact;
      for (auto [field, target, max] : {std::tuple{"name", &contact.name, 200}, std::tuple{"email", &contact.email, 254},
                                        std::tuple{"phone", &contact.phone, 50}, std::tuple{"pgp_key", &contact.pgp_key, 20000}}) {
        auto value = string_field(c.as_object(), field, false, static_cast<size_t>(max), at);
        if (!value) return value.error();
        *target = *value;
      }
      if (!contact.email.empty() && contact.email.find('@') == std::string::npos)
        return Error::invalid("'" + contact.email + "' is not an email address", at + "email");
      o.contacts.push_back(std::move(contact));
    }
  }
  return o;
}

}  // namespace

void route_incident(ApiContext& ctx, const std::string& reference, std::function<void()> then) {
  auto incident = ctx.store.find_incident(reference);
  auto organisations = ctx.store.list_organisations();
  if (!incident || !organisations) return then();
  // An analyst's choice stands: routing only fills in while nobody has chosen.
  for (const auto& o : incident->organisations)
    if (o.source == "analyst") return then();
  ConstituencyIndex index(*organisations);
  auto routing = index.route(incident->indicators);
  std::vector<IncidentOrganisation> found;
  for (const auto& m : routing.matches) {
    std::string reason = m.indicator == m.rule ? m.indicator : m.indicator + (m.rule.find('/') != std::string::npos ? " is in " : " is under ") + m.rule;
    auto it = std::find_if(found.begin(), found.end(), [&](const auto& f) { return f.organisation_id == m.organisation_id; });
    if (it == found.end()) found.push_back({m.organisation_id, "", "routing", reason});
    else it->reason += "; " + reason;
  }
  // The indicators each organisation owns, one by one (routing them together
  // folds a URL into its host's domain): notifications keep one
  // organisation's assets from another.
  for (const auto& indicator : incident->indicators)
    for (const auto& m : index.route({indicator}).matches)
      for (auto& f : found)
        if (f.organisation_id == m.organisation_id) f.indicators.push_back(indicator.value);
  // Nothing to record when routing finds what it found before.
  std::vector<std::pair<int64_t, std::string>> before, after;
  for (const auto& o : incident->organisations) before.emplace_back(o.organisation_id, o.reason);
  for (const auto& o : found) after.emplace_back(o.organisation_id, o.reason);
  std::sort(before.begin(), before.end());
  std::sort(after.begin(), after.end());
  if (before == after) return then();
  ctx.store.set_incident_organisations(reference, "routing", std::move(found), 0, std::nullopt,
                                       [then = std::move(then)](Result<bool>) { then(); });
}

void add_organisation_routes(http::Router& router, ApiContext& ctx) {
  router.add({"GET", "/api/v1/organisations", "organisations_list", 0,
              guard(ctx, registry_readers(), [&ctx](http::Request&, Caller&, http::Reply reply) {
    auto all = ctx.store.list_organisations();
    if (!all) return reply(http::problem(all.error()));
    boost::json::array items;
    for (const auto& o : *all) items.push_back(organisation_json(o));
    reply(json_response(200, {{"items", items}}));
  })});

  router.add({"POST", "/api/v1/organisations", "organisations_create", 256 * 1024,
              guard(ctx, registry_editors(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto org = read_organisation(*body);
    if (!org) return reply(http::problem(org.error()));
    auto audit = caller_event(request, caller, "organisation.create", "organisation", org->name);
    ctx.store.save_organisation(*org, audit, [reply](Result<int64_t> id) {
      if (!id) return reply(http::problem(id.error()));
      auto response = json_response(201, {{"id", *id}});
      response.set("location", "/api/v1/organisations/" + std::to_string(*id));
      reply(std::move(response));
    });
  })});

  router.add({"GET", "/api/v1/organisations/export", "organisations_export", 0,
              guard(ctx, registry_readers(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto all = ctx.store.list_organisations();
    if (!all) return reply(http::problem(all.error()));
    auto csv = write_registry_csv(*all);
    ctx.store.append_audit(caller_event(request, caller, "organisation.export", "", "", "{\"organisations\":" + std::to_string(all->size()) + "}"),
                           [reply, csv = std::move(csv)](Result<int64_t> audited) {
      if (!audited) return reply(http::problem(audited.error()));  // no export that the audit log does not know of
      auto response = http::Response::text(200, csv, "text/csv; charset=utf-8");
      response.set("content-disposition", "attachment; filename=\"constituency.csv\"");
      response.set("cache-control", "no-store");
      reply(std::move(response));
    });
  })});

  router.add({"POST", "/api/v1/organisations/import", "organisations_import", 8 * 1024 * 1024,
              guard(ctx, registry_editors(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto orgs = read_registry_csv(request.body);
    if (!orgs) return reply(http::problem(orgs.error()));
    int total = static_cast<int>(orgs->size());
    auto audit = caller_event(request, caller, "organisation.import", "", "", "{\"organisations\":" + std::to_string(total) + "}");
    ctx.store.import_organisations(std::move(*orgs), audit, [reply, total](Result<int> added) {
      if (!added) return reply(http::problem(added.error()));
      reply(json_response(200, {{"added", *added}, {"updated", total - *added}}));
    });
  })});

  router.add({"GET", "/api/v1/organisations/{id}", "organisations_read", 0,
              guard(ctx, registry_readers(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    auto id = path_id(request, "organisation");
    if (!id) return reply(http::problem(id.error()));
    auto org = ctx.store.find_organisation(*id);
    if (!org) return reply(http::problem(org.error()));
    reply(json_response(200, organisation_json(*org)));
  })});

  router.add({"PUT", "/api/v1/organisations/{id}", "organisations_update", 256 * 1024,
              guard(ctx, registry_editors(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto id = path_id(request, "organisation");
    if (!id) return reply(http::problem(id.error()));
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto org = read_organisation(*body);
    if (!org) return reply(http::problem(org.error()));
    org->id = *id;
    auto audit = caller_event(request, caller, "organisation.update", "organisation", std::to_string(*id));
    ctx.store.save_organisation(*org, audit, [&ctx, reply](Result<int64_t> saved) {
      if (!saved) return reply(http::problem(saved.error()));
      auto org = ctx.store.find_organisation(*saved);
      if (!org) return reply(http::problem(org.error()));
      reply(json_response(200, organisation_json(*org)));
    });
  })});

  router.add({"DELETE", "/api/v1/organisations/{id}", "organisations_delete", 0,
              guard(ctx, registry_editors(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto id = path_id(request, "organisation");
    if (!id) return reply(http::problem(id.error()));
    auto audit = caller_event(request, caller, "organisation.delete", "organisation", std::to_string(*id));
    ctx.store.delete_organisation(*id, audit, [reply](Result<bool> done) {
      if (!done) return reply(http::problem(done.error()));
      http::Response response;
      response.status = 204;
      reply(std::move(response));
    });
  })});
}

}  // namespace jaga::api
