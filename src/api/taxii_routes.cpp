// The TAXII 2.1 server under /taxii2/: discovery, one API root, its
// collections, their objects (read, written, deleted), single objects and
// their versions, the manifest, and the status of writes. Every endpoint
// answers with and without the trailing slash the specification writes.
//
// The sharing agreement is enforced here, where data leaves: a partner's
// query is capped at the label its agreement and the collection allow
// (never AMBER+STRICT or RED), gets reporters' personal data only when the
// agreement says so, and every object a partner receives or sends is in the
// cross-border transfer log before the answer goes out.
#include <boost/json.hpp>
#include <mutex>

#include "api/routes.h"
#include "api/taxii_auth.h"
#include "http/problem.h"
#include "stix/object.h"
#include "taxii/intake.h"
#include "taxii/protocol.h"
#include "taxii/received.h"
#include "util/text.h"
#include "util/time.h"

namespace jaga::api {

namespace {

constexpr size_t kMaxEnvelopeBytes = 64 * 1024 * 1024;
constexpr const char* kRootPath = "/taxii2/api/";

http::Response taxii_response(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.set("content-type", std::string(taxii::kTaxiiMediaType));
  return r;
}

// The date-added headers of a page: when its first and last object came.
void add_date_headers(http::Response& response, const ObjectPage& page) {
  if (page.objects.empty()) return;
  response.set("x-taxii-date-added-first", page.objects.front().date_added);
  response.set("x-taxii-date-added-last", page.objects.back().date_added);
}

std::string base_url(const ApiContext& ctx, const http::Request& request) {
  if (!ctx.settings.public_url.empty()) {
    std::string url = ctx.settings.public_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  }
  auto host = request.header("host");
  return std::string(request.secure ? "https://" : "http://") + std::string(host ? *host : "127.0.0.1");
}

taxii::ApiRootInfo api_root() {
  return {kRootPath, "jaga partner exchange",
          "Collections of STIX 2.1 objects shared with partner agencies under their agreements."};
}


using TaxiiHandler = std::function<void(http::Request&, TaxiiCaller&, http::Reply)>;

// Checks that the caller accepts TAXII, then authenticates it.
http::Handler taxii(ApiContext& ctx, TaxiiHandler handler) {
  return [&ctx, handler = std::move(handler)](http::Request& request, http::Reply reply) {
    if (!taxii::accepts_taxii(request.header("accept")))
      return reply(http::problem(406, "Not Acceptable",
                                 "This server answers in " + std::string(taxii::kTaxiiMediaType) + "."));
    // The server still reads the request's path and id when it answers:
    // copy all but the body, which may be large and is read only here.
    std::string body = std::move(request.body);
    auto shared_request = std::make_shared<http::Request>(request);
    shared_request->body = std::move(body);
    authenticate_taxii(ctx, *shared_request, reply, [shared_request, reply, handler](TaxiiCaller caller) {
      handler(*shared_request, caller, reply);
    });
  };
}

enum class Need { read, write };

// The collection in the path, if the caller may see it: a partner without
// rights on it is told it does not exist.
Result<Collection> collection_for(ApiContext& ctx, const http::Request& request, const TaxiiCaller& caller,
                                  Need need) {
  auto collection = ctx.store.find_collection(request.params.at("collection"));
  if (!collection) return collection.error();
  auto right = caller.right(*collection);
  if (!right || (!right->read && !right->write))
    return Error::not_found("There is no collection " + request.params.at("collection") + ".");
  if (need == Need::read && !right->read)
    return Error::forbidden("This account may not read the collection " + collection->alias + ".");
  if (need == Need::write && !right->write)
    return Error::forbidden("This account may not write to the collection " + collection->alias + ".");
  return collection;
}

// Reads a query for the caller: only what it may see.
Result<ObjectQuery> query_for(const http::Request& request, const TaxiiCaller& caller, const Collection& collection,
                              taxii::Endpoint endpoint) {
  auto query = taxii::read_query(request.query, endpoint);
  if (!query) return query.error();
  query->collection_id = collection.id;
  query->max_tlp = caller.ceiling(collection);
  query->personal_data = caller.personal_data();
  return query;
}

// Answers once the objects a partner is about to receive are in the
// transfer log; the desk's own reads are not transfers.
void send_logged(ApiContext& ctx, const TaxiiCaller& caller, const Collection& collection, const ObjectPage& page,
                 http::Response response, const http::Reply& reply) {
  if (!caller.partner || page.objects.empty()) return reply(std::move(response));
  Transfer transfer = taxii::transfer_entry(*caller.partner, collection.alias, "sent", "taxii-get");
  transfer.objects.reserve(page.objects.size());
  for (const auto& o : page.objects) transfer.objects.emplace_back(o.stix_id, o.version);
  auto shared_response = std::make_shared<http::Response>(std::move(response));
  ctx.store.log_transfer(std::move(transfer), [shared_response, reply](Result<int64_t> logged) {
    if (!logged) return reply(http::problem(logged.error()));
    reply(std::move(*shared_response));
  });
}

void list_objects(ApiContext& ctx, http::Request& request, TaxiiCaller& caller, const http::Reply& reply,
                  taxii::Endpoint endpoint) {
  auto collection = collection_for(ctx, request, caller, Need::read);
  if (!collection) return reply(http::problem(collection.error()));
  auto query = query_for(request, caller, *collection, endpoint);
  if (!query) return reply(http::problem(query.error()));
  bool one_object = endpoint == taxii::Endpoint::object || endpoint == taxii::Endpoint::versions;
  if (one_object) query->ids = {request.params.at("object")};
  query->with_json = endpoint == taxii::Endpoint::objects || endpoint == taxii::Endpoint::object;
  auto page = ctx.store.list_shared_objects(*query);
  if (!page) return reply(http::problem(page.error()));
  if (one_object && page->objects.empty() && query->added_after.empty())
    return reply(http::problem(Error::not_found("The collection holds no object " + request.params.at("object") +
                                                " that this account may see.")));
  std::string body = endpoint == taxii::Endpoint::manifest   ? taxii::manifest_json(*page)
                     : endpoint == taxii::Endpoint::versions ? taxii::versions_json(*page)
                                                             : taxii::envelope_json(*page);
  auto response = taxii_response(200, std::move(body));
  add_date_headers(response, *page);
  if (!query->with_json) return reply(std::move(response));
  send_logged(ctx, caller, *collection, *page, std::move(response), reply);
}

void add_objects(ApiContext& ctx, http::Request& request, TaxiiCaller& caller, const http::Reply& reply) {
  auto collection = collection_for(ctx, request, caller, Need::write);
  if (!collection) return reply(http::problem(collection.error()));
  if (!taxii::is_taxii_content(request.header("content-type")))
    return reply(http::problem(415, "Unsupported Media Type",
                               "Send an envelope as " + std::string(taxii::kTaxiiMediaType) + "."));
  // Reading and checking a large envelope is CPU work: off the network threads.
  run_on_worker(ctx, reply, [&ctx, reply, caller, collection = std::move(*collection), body = std::move(request.body)]() mutable {
    auto answer = [reply](Result<WriteStatus> status) {
      if (!status) return reply(http::problem(status.error()));
      reply(taxii_response(202, taxii::status_json(*status)));
    };
    if (caller.partner) {
      // Spooled, and written with whatever else waits (taxii/intake.h).
      if (!ctx.intake) return answer(Error::unavailable("the server is not taking partners' envelopes"));
      return ctx.intake->accept(*caller.partner, collection, std::move(body), answer);
    }
    auto envelope = stix::read_envelope(body);
    if (!envelope) return reply(http::problem(envelope.error()));
    ctx.store.add_shared_objects(std::move(collection), taxii::shared_inputs(std::move(envelope->objects)), WriteOrigin{},
                                 std::nullopt, answer);
  });
}

void delete_object(ApiContext& ctx, http::Request& request, TaxiiCaller& caller, const http::Reply& reply) {
  auto collection = collection_for(ctx, request, caller, Need::write);
  if (!collection) return reply(http::problem(collection.error()));
  if (!caller.staff || (caller.staff->role != Role::administrator && caller.staff->role != Role::analyst))
    return reply(http::problem(Error::forbidden("Only the desk's analysts may delete objects from a collection.")));
  auto query = query_for(request, caller, *collection, taxii::Endpoint::delete_object);
  if (!query) return reply(http::problem(query.error()));
  const auto& stix_id = request.params.at("object");
  if (!stix::is_identifier(stix_id))
    return reply(http::problem(Error::invalid("\"" + stix_id + "\" is not a STIX identifier", "object")));
  auto audit = caller_event(request, *caller.staff, "taxii.object_delete", "stix_object", stix_id,
                            boost::json::serialize(boost::json::object{{"collection", collection->alias}}));
  ctx.store.delete_shared_object(std::move(*query), stix_id, std::move(audit), [reply, stix_id](Result<int> removed) {
    if (!removed) return reply(http::problem(removed.error()));
    if (*removed == 0) return reply(http::problem(Error::not_found("The collection holds no object " + stix_id + ".")));
    reply(taxii_response(200, "{}"));
  });
}

void add(http::Router& router, const char* method, std::string pattern, const char* name, size_t max_body,
         http::Handler handler) {
  // "/taxii2/api/" and "/taxii2/api" alike.
  router.add({method, pattern, name, max_body, handler});
  pattern.pop_back();
  router.add({method, std::move(pattern), name, max_body, std::move(handler)});
}

}  // namespace

void add_taxii_routes(http::Router& router, ApiContext& ctx) {
  // Discovery tells anyone where the API root is; everything else needs an account.
  add(router, "GET", "/taxii2/", "taxii_discovery", 0, [&ctx](http::Request& request, http::Reply reply) {
    if (!taxii::accepts_taxii(request.header("accept")))
      return reply(http::problem(406, "Not Acceptable",
                                 "This server answers in " + std::string(taxii::kTaxiiMediaType) + "."));
    auto root = api_root();
    root.path = base_url(ctx, request) + root.path;
    reply(taxii_response(200, taxii::discovery_json("jaga TAXII 2.1", "The partner exchange of this desk.", {root})));
  });
  add(router, "GET", kRootPath, "taxii_api_root", 0, taxii(ctx, [](http::Request&, TaxiiCaller&, http::Reply reply) {
        reply(taxii_response(200, taxii::api_root_json(api_root(), kMaxEnvelopeBytes)));
      }));
  add(router, "GET", "/taxii2/api/status/{status}/", "taxii_status", 0,
      taxii(ctx, [&ctx](http::Request& request, TaxiiCaller&, http::Reply reply) {
        const auto& id = request.params.at("status");
        if (ctx.intake)
          if (auto pending = ctx.intake->pending(id)) return reply(taxii_response(200, taxii::status_json(*pending)));
        auto status = ctx.store.find_write_status(id);
        if (!status) return reply(http::problem(status.error()));
        reply(taxii_response(200, taxii::status_json(*status)));
      }));
  add(router, "GET", "/taxii2/api/collections/", "taxii_collections", 0,
      taxii(ctx, [&ctx](http::Request&, TaxiiCaller& caller, http::Reply reply) {
        auto collections = ctx.store.list_collections();
        if (!collections) return reply(http::problem(collections.error()));
        std::vector<std::string> texts;
        for (const auto& c : *collections)
          if (auto right = caller.right(c); right && (right->read || right->write))
            texts.push_back(taxii::collection_json(c, right->read, right->write));
        reply(taxii_response(200, taxii::collections_json(texts)));
      }));
  add(router, "GET", "/taxii2/api/collections/{collection}/", "taxii_collection", 0,
      taxii(ctx, [&ctx](http::Request& request, TaxiiCaller& caller, http::Reply reply) {
        auto collection = ctx.store.find_collection(request.params.at("collection"));
        auto right = collection ? caller.right(*collection) : std::nullopt;
        if (!collection || !right || (!right->read && !right->write))
          return reply(http::problem(Error::not_found("There is no collection " + request.params.at("collection") + ".")));
        reply(taxii_response(200, taxii::collection_json(*collection, right->read, right->write)));
      }));
  add(router, "GET", "/taxii2/api/collections/{collection}/objects/", "taxii_objects", 0,
      taxii(ctx, [&ctx](http::Request& request, TaxiiCaller& caller, http::Reply reply) {
        list_objects(ctx, request, caller, reply, taxii::Endpoint::objects);
      }));
  add(router, "POST", "/taxii2/api/collections/{collection}/objects/", "taxii_objects_add", kMaxEnvelopeBytes,
      taxii(ctx, [&ctx](http::Request& request, TaxiiCaller& caller, http::Reply reply) {
        add_objects(ctx, request, caller, reply);
      }));
  add(router, "GET", "/taxii2/api/collections/{collection}/objects/{object}/", "taxii_object", 0,
      taxii(ctx, [&ctx](http::Request& request, TaxiiCaller& caller, http::Reply reply) {
        list_objects(ctx, request, caller, reply, taxii::Endpoint::object);
      }));
  add(router, "DELETE", "/taxii2/api/collections/{collection}/objects/{object}/", "taxii_object_delete", 0,
      taxii(ctx, [&ctx](http::Request& request, TaxiiCaller& caller, http::Reply reply) {
        delete_object(ctx, request, caller, reply);
      }));
  add(router, "GET", "/taxii2/api/collections/{collection}/objects/{object}/versions/", "taxii_versions", 0,
      taxii(ctx, [&ctx](http::Request& request, TaxiiCaller& caller, http::Reply reply) {
        list_objects(ctx, request, caller, reply, taxii::Endpoint::versions);
      }));
  add(router, "GET", "/taxii2/api/collections/{collection}/manifest/", "taxii_manifest", 0,
      taxii(ctx, [&ctx](http::Request& request, TaxiiCaller& caller, http::Reply reply) {
        list_objects(ctx, request, caller, reply, taxii::Endpoint::manifest);
      }));
}

// Errors under /taxii2/ are TAXII error objects, and a 401 says how to sign in.
void taxii_error_response(http::Response& response) {
  if (response.status == 401) response.set("www-authenticate", "Basic realm=\"jaga TAXII\", charset=\"UTF-8\"");
  std::string* content_type = nullptr;
  for (auto& [name, value] : response.headers)
    if (name == "content-type") content_type = &value;
  if (!content_type || content_type->rfind("application/problem+json", 0) != 0) return;
  boost::system::error_code ec;
  auto parsed = boost::json::parse(response.body, ec);
  std::string title = "Error", description;
  if (!ec && parsed.is_object()) {
    const auto& o = parsed.as_object();
    if (auto* t = o.if_contains("title"); t && t->is_string()) title = std::string(t->as_string());
    if (auto* d = o.if_contains("detail"); d && d->is_string()) description = std::string(d->as_string());
  }
  response.body = taxii::error_json(response.status, title, description);
  *content_type = taxii::kTaxiiMediaType;
}

}  // namespace jaga::api
