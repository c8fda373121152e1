// The store of indicators over HTTP: the list and one indicator with its
// sources and correlations, imports for analysts, feeds out by TLP, and the
// lookup a resolver or a SOC tool asks ("is this listed, and why?").
#include <boost/json.hpp>
#include <ctime>

#include "api/access.h"
#include "api/indicator_service.h"
#include "api/json_input.h"
#include "api/query_input.h"
#include "api/routes.h"
#include "api/submission.h"
#include "http/problem.h"
#include "intel/indicator_intake.h"
#include "intel/rpz.h"
#include "intel/warninglist.h"
#include "util/time.h"

namespace jaga::api {

namespace {

Access intel_readers() { return Access::only({Role::administrator, Role::analyst, Role::partner_liaison}); }
Access lookup_callers() {
  return Access::only({Role::administrator, Role::analyst, Role::operator_, Role::partner_liaison});
}

constexpr size_t kMaxImportBytes = 256 * 1024 * 1024;
constexpr size_t kMaxLookupBatch = 1000;

boost::json::value optional_text(const std::string& text) {
  return text.empty() ? boost::json::value(nullptr) : boost::json::value(text);
}

boost::json::object indicator_json(const StoredIndicator& s) {
  boost::json::object o{{"id", s.id},
                        {"kind", s.kind},
                        {"value", s.value},
                        {"registrable_domain", optional_text(s.registrable)},
                        {"network", optional_text(s.network)},
                        {"tlp", std::string(to_string(s.tlp))},
                        {"valid_until", optional_text(s.valid_until)},
                        {"first_seen", s.first_seen},
                        {"last_seen", s.last_seen},
                        {"warninglist", optional_text(s.warninglist)},
                        {"source_count", s.source_count}};
  o["confidence"] = s.confidence ? boost::json::value(*s.confidence) : boost::json::value(nullptr);
  if (!s.sources.empty()) {
    boost::json::array sources;
    for (const auto& source : s.sources)
      sources.push_back({{"kind", std::string(to_string(source.kind))},
                         {"name", source.name},
                         {"tlp", std::string(to_string(source.tlp))},
                         {"count", source.count},
                         {"first_seen", source.first_seen},
                         {"last_seen", source.last_seen}});
    o["sources"] = std::move(sources);
  }
  return o;
}

Result<std::optional<Tlp>> query_tlp(const http::Request& request, const char* name) {
  auto text = request.query_value(name);
  if (text.empty()) return std::optional<Tlp>();
  auto tlp = parse_tlp(text);
  if (!tlp) return Error::invalid(std::string(name) + " must be clear, green, amber, amber+strict or red", name);
  return tlp;
}

// One value asked about: how it reads, whether a warninglist calls it
// benign, and the most specific listed indicator covering it.
boost::json::object lookup_one(const IndicatorSnapshot& snapshot, const std::string& value,
                               std::optional<IndicatorKind> kind) {
  boost::json::object out{{"value", value}};
  auto canonical = normalise_indicator(value, kind);
  if (!canonical) {
    out["error"] = canonical.error().message;
    return out;
  }
  out["kind"] = std::string(to_string(canonical->kind));
  out["canonical"] = canonical->value;
  auto benign = shipped_warninglists().find(*canonical);
  out["warninglist"] = benign ? boost::json::value(std::string(*benign)) : boost::json::value(nullptr);
  auto hit = benign ? std::nullopt : snapshot.index.match(*canonical);
  out["listed"] = hit.has_value();
  if (hit) {
    uint32_t at = snapshot.index.payload(hit->id);
    out["match"] = {{"indicator", snapshot.index.value(hit->id)},
                    {"kind", std::string(to_string(snapshot.index.kind(hit->id)))},
                    {"reason", std::string(to_string(hit->reason))},
                    {"id", snapshot.ids[at]},
                    {"tlp", std::string(to_string(snapshot.tlps[at]))}};
  }
  return out;
}

// The import's options from its query: format, source, source_kind, tlp,
// confidence, valid_until and map.
Result<IntakeOptions> import_options(const http::Request& request, const Caller& caller) {
  IntakeOptions options;
  if (auto format = request.query_value("format"); !format.empty() && format != "auto") {
    options.format = parse_import_format(format);
    if (!options.format) return Error::invalid("format must be auto, plain, csv, stix or misp", "format");
  }
  options.source_name = request.query_value("source");
  if (options.source_name.empty()) options.source_name = "upload by " + caller.user.username;
  if (options.source_name.size() > 200) return Error::invalid("source must be at most 200 characters", "source");
  if (auto kind = request.query_value("source_kind"); !kind.empty()) {
    auto parsed = parse_indicator_source_kind(kind);
    if (!parsed || *parsed == IndicatorSourceKind::report)
      return Error::invalid("source_kind must be feed, partner, monitor or incident", "source_kind");
    options.source_kind = *parsed;
  }
  auto tlp = query_tlp(request, "tlp");
  if (!tlp) return tlp.error();
  if (*tlp) options.tlp = **tlp;
  if (!request.query_value("confidence").empty()) {
    auto confidence = query_number(request, "confidence", 0, 1000);
    if (!confidence || *confidence > 100) return Error::invalid("confidence must be a number from 0 to 100", "confidence");
    options.confidence = *confidence;
  }
  auto valid_until = query_time(request, "valid_until", true);
  if (!valid_until) return valid_until.error();
  options.valid_until = *valid_until;
  auto columns = parse_csv_columns(request.query_value("map"));
  if (!columns) return Error::invalid(columns.error().message, "map");
  options.columns = *columns;
  options.threads = 2;
  return options;
}

}  // namespace

void add_indicator_routes(http::Router& router, ApiContext& ctx) {
  router.add({"GET", "/api/v1/indicators", "indicators_list", 0,
              guard(ctx, intel_readers(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    IndicatorFilter filter;
    filter.query = request.query_value("q");
    if (filter.query.size() > 200) return reply(http::problem(Error::invalid("q must be at most 200 characters", "q")));
    filter.kind = request.query_value("kind");
    if (!filter.kind.empty() && !parse_indicator_kind(filter.kind))
      return reply(http::problem(Error::invalid("kind must be domain, url, ipv4, ipv6, cidr, email, md5, sha1, sha256 or sha512", "kind")));
    if (filter.kind.size() > 0) filter.kind = std::string(to_string(*parse_indicator_kind(filter.kind)));
    if (auto kind = request.query_value("source_kind"); !kind.empty()) {
      filter.source_kind = parse_indicator_source_kind(kind);
      if (!filter.source_kind)
        return reply(http::problem(Error::invalid("source_kind must be report, incident, partner, feed or monitor", "source_kind")));
    }
    auto tlp = query_tlp(request, "tlp");
    if (!tlp) return reply(http::problem(tlp.error()));
    filter.max_tlp = *tlp;
    if (auto w = request.query_value("warninglisted"); w == "false") filter.include_warninglisted = false;
    else if (!w.empty() && w != "true") return reply(http::problem(Error::invalid("warninglisted must be true or false", "warninglisted")));
    auto after = query_number(request, "after", 0, 999999999);
    if (!after) return reply(http::problem(after.error()));
    filter.after_id = *after;
    auto limit = query_number(request, "limit", 50, 500);
    if (!limit) return reply(http::problem(limit.error()));
    filter.limit = std::max(1, *limit);
    auto found = ctx.store.list_indicators(filter);
    if (!found) return reply(http::problem(found.error()));
    boost::json::array items;
    for (const auto& s : *found) items.push_back(indicator_json(s));
    boost::json::object body{{"items", items}};
    body["next_after"] = static_cast<int>(found->size()) == filter.limit ? boost::json::value(found->back().id)
                                                                          : boost::json::value(nullptr);
    auto total = ctx.store.count_indicators();
    if (total) body["total"] = *total;
    reply(json_response(200, body));
  })});

  router.add({"GET", "/api/v1/indicators/export", "indicators_export", 0,
              guard(ctx, intel_readers(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto format = parse_feed_format(request.query_value("format"));
    if (!format) return reply(http::problem(Error::invalid("format must be rpz, plain, csv, stix or suricata", "format")));
    auto tlp = query_tlp(request, "tlp");
    if (!tlp) return reply(http::problem(tlp.error()));
    Tlp max_tlp = tlp->value_or(Tlp::green);
    FeedOptions options;
    options.zone = request.query_value("zone").empty() ? "rpz.jaga" : request.query_value("zone");
    if (!valid_zone_name(options.zone))
      return reply(http::problem(Error::invalid("zone must be a zone name: labels of letters, digits and hyphens joined by dots", "zone")));
    options.serial = static_cast<uint32_t>(std::time(nullptr));
    options.made_at = now_rfc3339();
    options.label = std::string(to_string(max_tlp)) + " and less restricted";
    auto entries = shareable_indicators(ctx.store, max_tlp);
    if (!entries) return reply(http::problem(entries.error()));
    auto feed = write_feed(*entries, *format, options);
    auto details = boost::json::serialize(boost::json::object{
        {"format", std::string(to_string(*format))}, {"tlp", std::string(to_string(max_tlp))}, {"indicators", feed.written}});
    ctx.store.append_audit(caller_event(request, caller, "indicator.export", "", "", details),
                           [reply, format = *format, feed = std::move(feed)](Result<int64_t> audited) mutable {
      if (!audited) return reply(http::problem(audited.error()));  // no export the audit log does not know of
      auto response = http::Response::text(200, std::move(feed.text), std::string(media_type(format)));
      response.set("content-disposition", "attachment; filename=\"jaga-indicators." + std::string(file_extension(format)) + "\"");
      response.set("cache-control", "no-store");
      response.set("x-jaga-indicators", std::to_string(feed.written));
      reply(std::move(response));
    });
  })});

  router.add({"POST", "/api/v1/indicators/import", "indicators_import", kMaxImportBytes,
              guard(ctx, intel_readers(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto options = import_options(request, caller);
    if (!options) return reply(http::problem(options.error()));
    run_on_worker(ctx, reply, [&ctx, reply, options = std::move(*options), body = std::move(request.body),
                               audit = caller_event(request, caller, "indicator.import", "source", "")]() mutable {
      IntakeReport report;
      auto batch = take_in_indicators(body, options, report);
      if (!batch) return reply(http::problem(batch.error()));
      audit.target = std::string(to_string(options.source_kind)) + ":" + options.source_name;
      audit.details = boost::json::serialize(boost::json::object{{"format", std::string(to_string(report.format))},
                                                                 {"indicators", batch->indicators.size()},
                                                                 {"rejected", report.rejected.size()},
                                                                 {"warninglisted", report.warninglisted}});
      ctx.store.import_indicators(std::move(*batch), {}, std::move(audit),
                                  [&ctx, reply, report = std::move(report)](Result<IndicatorImportCounts> counts) {
        if (!counts) return reply(http::problem(counts.error()));
        if (ctx.lookup) ctx.lookup->changed();
        boost::json::array rejected;
        for (size_t i = 0; i < report.rejected.size() && i < 100; ++i)
          rejected.push_back({{"where", report.rejected[i].where}, {"reason", report.rejected[i].reason}});
        reply(json_response(200, {{"format", std::string(to_string(report.format))},
                                  {"read", report.entries},
                                  {"added", counts->added},
                                  {"updated", counts->updated},
                                  {"warninglisted", report.warninglisted},
                                  {"ignored", report.ignored},
                                  {"rejected_count", report.rejected.size()},
                                  {"rejected", rejected}}));
      });
    });
  })});

  // After the literal paths above, which it would otherwise take.
  router.add({"GET", "/api/v1/indicators/{id}", "indicators_read", 0,
              guard(ctx, intel_readers(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    auto id = path_id(request, "indicator");
    if (!id) return reply(http::problem(id.error()));
    auto found = ctx.store.find_indicator(*id);
    if (!found) return reply(http::problem(found.error()));
    auto correlations = ctx.store.correlate_indicator(*id, 50);
    if (!correlations) return reply(http::problem(correlations.error()));
    auto body = indicator_json(*found);
    if (!body.contains("sources")) body["sources"] = boost::json::array();
    boost::json::array links;
    for (const auto& c : *correlations)
      links.push_back({{"link", std::string(to_string(c.link))},
                       {"indicator", c.indicator},
                       {"object_kind", c.object_kind},
                       {"object", c.object},
                       {"title", c.title}});
    body["correlations"] = std::move(links);
    reply(json_response(200, body));
  })});

  router.add({"GET", "/api/v1/lookup", "lookup", 0,
              guard(ctx, lookup_callers(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    auto value = request.query_value("value");
    if (value.empty()) return reply(http::problem(Error::invalid("give the value to look up", "value")));
    if (value.size() > 4096) return reply(http::problem(Error::invalid("value must be at most 4096 characters", "value")));
    std::optional<IndicatorKind> kind;
    if (auto k = request.query_value("kind"); !k.empty()) {
      kind = parse_indicator_kind(k);
      if (!kind) return reply(http::problem(Error::invalid("kind must be domain, url, ipv4, ipv6, cidr, email, md5, sha1, sha256 or sha512", "kind")));
    }
    auto snapshot = ctx.lookup ? ctx.lookup->snapshot() : nullptr;
    if (!snapshot) return reply(http::problem(Error::unavailable("the indicator matcher is still being built; try again in a few seconds")));
    auto answer = lookup_one(*snapshot, value, kind);
    if (auto* error = answer.if_contains("error"))
      return reply(http::problem(Error::invalid(std::string(error->as_string()), "value")));
    reply(json_response(200, answer));
  })});

  router.add({"POST", "/api/v1/lookup", "lookup_batch", 1024 * 1024,
              guard(ctx, lookup_callers(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto values = string_list_field(*body, "values", kMaxLookupBatch, 4096);
    if (!values) return reply(http::problem(values.error()));
    if (values->empty()) return reply(http::problem(Error::invalid("values must list at least one value", "/values")));
    auto snapshot = ctx.lookup ? ctx.lookup->snapshot() : nullptr;
    if (!snapshot) return reply(http::problem(Error::unavailable("the indicator matcher is still being built; try again in a few seconds")));
    boost::json::array results;
    size_t listed = 0;
    for (const auto& v : *values) {
      auto one = lookup_one(*snapshot, v, std::nullopt);
      if (auto* hit = one.if_contains("listed"); hit && *hit == true) ++listed;
      results.push_back(std::move(one));
    }
    reply(json_response(200, {{"results", results}, {"listed", listed}, {"built_at", snapshot->built_at}}));
  })});
}

}  // namespace jaga::api
