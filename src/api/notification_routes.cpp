// Notifications in the API: the outbox (what was sent to whom, what failed
// and why, retry), sending an incident's summary to its organisations again,
// and the templates administrators edit.
#include <boost/json.hpp>

#include "api/access.h"
#include "api/json_input.h"
#include "api/query_input.h"
#include "api/routes.h"
#include "api/submission.h"
#include "http/problem.h"
#include "model/incident.h"

namespace jaga::api {

namespace {

Access outbox_staff() { return Access::only({Role::administrator, Role::analyst}); }

boost::json::object counts_json(const OutboxCounts& c) {
  return {{"queued", c.queued}, {"retrying", c.retrying}, {"failed", c.failed}, {"sent", c.sent}};
}

struct TemplateKey {
  NotificationEvent event;
  RecipientKind recipient;
  std::string language;
};

Result<TemplateKey> template_key(const http::Request& request) {
  auto event = parse_notification_event(request.params.at("event"));
  auto recipient = parse_recipient_kind(request.params.at("recipient"));
  const auto& language = request.params.at("language");
  bool known_language = std::any_of(std::begin(kNotificationLanguages), std::end(kNotificationLanguages),
                                    [&](const char* l) { return language == l; });
  if (!event || !recipient || !known_language || !event_reaches(*event, *recipient, IncidentStatus::resolved))
    return Error::not_found("no template " + request.params.at("event") + "/" + request.params.at("recipient") + "/" + language);
  return TemplateKey{*event, *recipient, language};
}

// Every {{field}} must be one the recipient's messages fill in: a typo would
// otherwise vanish silently from every message sent.
Status check_fields(std::string_view text, RecipientKind recipient, const std::string& pointer) {
  auto fields = template_fields(recipient);
  for (size_t open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", open + 2)) {
    auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) return Error::invalid("a {{ is not closed by }}", pointer);
    std::string name(text.substr(open + 2, close - open - 2));
    if (std::find(fields.begin(), fields.end(), name) == fields.end()) {
      std::string known;
      for (const auto& f : fields) known += (known.empty() ? "" : ", ") + f;
      return Error::invalid("{{" + name + "}} is not a field of this message; use " + known, pointer);
    }
  }
  return {};
}

}  // namespace

boost::json::object outbox_json(const OutboxMessage& m) {
  return {{"id", m.id},
          {"incident", m.incident},
          {"event", to_string(m.event)},
          {"recipient_kind", to_string(m.recipient_kind)},
          {"organisation", m.organisation},
          {"recipient", m.recipient},
          {"recipient_name", m.recipient_name},
          {"language", m.language},
          {"subject", m.subject},
          {"body", m.body},
          {"status", to_string(m.status)},
          {"attempts", m.attempts},
          {"next_attempt_at", m.status == DeliveryStatus::queued ? m.next_attempt_at : ""},
          {"last_error", m.last_error},
          {"created_at", m.created_at},
          {"sent_at", m.sent_at}};
}

void add_notification_routes(http::Router& router, ApiContext& ctx) {
  const Access administrators = Access::only({Role::administrator});

  router.add({"GET", "/api/v1/outbox", "outbox_list", 0,
              guard(ctx, outbox_staff(), [&ctx](http::Request& request, Caller&, http::Reply reply) {
    OutboxFilter filter;
    if (auto status = request.query_value("status"); !status.empty()) {
      filter.status = parse_delivery_status(status);
      if (!filter.status) return reply(http::problem(Error::invalid("status must be queued, sent or failed", "status")));
    }
    filter.incident = request.query_value("incident");
    auto limit = query_number(request, "limit", filter.limit, 500);
    if (!limit) return reply(http::problem(limit.error()));
    auto offset = query_number(request, "offset", 0, 100000000);
    if (!offset) return reply(http::problem(offset.error()));
    filter.limit = *limit;
    filter.offset = *offset;
    auto messages = ctx.store.list_outbox(filter);
    if (!messages) return reply(http::problem(messages.error()));
    auto counts = ctx.store.outbox_counts();
    if (!counts) return reply(http::problem(counts.error()));
    boost::json::array items;
    for (const auto& m : *messages) items.push_back(outbox_json(m));
    reply(json_response(200, {{"items", items},
                              {"counts", counts_json(*counts)},
                              {"delivery", {{"configured", ctx.settings.mail_delivery}}},
                              {"limit", filter.limit},
                              {"offset", filter.offset}}));
  })});

  router.add({"POST", "/api/v1/outbox/{id}/retry", "outbox_retry", 1024,
              guard(ctx, outbox_staff(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto id = path_id(request, "message");
    if (!id) return reply(http::problem(id.error()));
    auto audit = caller_event(request, caller, "notification.retry", "notification", std::to_string(*id));
    ctx.store.retry_message(*id, audit, [reply, id = *id](Result<bool> done) {
      if (!done) return reply(http::problem(done.error()));
      reply(json_response(200, {{"id", id}, {"status", "queued"}}));
    });
  })});

  router.add({"POST", "/api/v1/incidents/{reference}/notify", "incidents_notify", 1024,
              guard(ctx, outbox_staff(), [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    const auto& reference = request.params.at("reference");
    if (!looks_like_incident_reference(reference)) return reply(http::problem(Error::not_found("no incident " + reference)));
    auto audit = caller_event(request, caller, "incident.notify", "incident", reference);
    ctx.store.notify_organisations(reference, caller.user.id, audit, [reply](Result<int> queued) {
      if (!queued) return reply(http::problem(queued.error()));
      reply(json_response(202, {{"queued", *queued}}));
    });
  })});

  router.add({"GET", "/api/v1/notification-templates", "templates_list", 0,
              guard(ctx, administrators, [&ctx](http::Request&, Caller&, http::Reply reply) {
    auto overrides = ctx.store.list_template_overrides();
    if (!overrides) return reply(http::problem(overrides.error()));
    boost::json::array items;
    for (auto event : kNotificationEvents) {
      for (auto recipient : {RecipientKind::organisation_contact, RecipientKind::reporter}) {
        if (!event_reaches(event, recipient, IncidentStatus::resolved)) continue;
        for (const char* language : kNotificationLanguages) {
          auto builtin = default_template(event, recipient, language);
          auto custom = std::find_if(overrides->begin(), overrides->end(), [&](const TemplateOverride& t) {
            return t.event == event && t.recipient == recipient && t.language == language;
          });
          bool is_custom = custom != overrides->end();
          items.push_back({{"event", to_string(event)},
                           {"recipient", to_string(recipient)},
                           {"language", language},
                           {"subject", is_custom ? custom->subject : builtin.subject},
                           {"body", is_custom ? custom->body : builtin.body},
                           {"custom", is_custom},
                           {"updated_at", is_custom ? custom->updated_at : ""},
                           {"updated_by", is_custom ? custom->updated_by : ""},
                           {"default_subject", builtin.subject},
                           {"default_body", builtin.body}});
        }
      }
    }
    boost::json::object fields;
    for (auto recipient : {RecipientKind::organisation_contact, RecipientKind::reporter})
      fields[to_string(recipient)] = boost::json::value_from(template_fields(recipient));
    reply(json_response(200, {{"items", items}, {"fields", fields}}));
  })});

  router.add({"PUT", "/api/v1/notification-templates/{event}/{recipient}/{language}", "templates_update", 64 * 1024,
              guard(ctx, administrators, [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto key = template_key(request);
    if (!key) return reply(http::problem(key.error()));
    auto body = parse_json_object(request.body);
    if (!body) return reply(http::problem(body.error()));
    auto subject = string_field(*body, "subject", true, 300);
    if (!subject) return reply(http::problem(subject.error()));
    auto text = string_field(*body, "body", true, 20000);
    if (!text) return reply(http::problem(text.error()));
    if (subject->empty()) return reply(http::problem(Error::invalid("the subject is empty", "/subject")));
    if (subject->find_first_of("\r\n") != std::string::npos)
      return reply(http::problem(Error::invalid("the subject is one line", "/subject")));
    if (text->empty()) return reply(http::problem(Error::invalid("the body is empty", "/body")));
    if (auto st = check_fields(*subject, key->recipient, "/subject"); !st) return reply(http::problem(st.error()));
    if (auto st = check_fields(*text, key->recipient, "/body"); !st) return reply(http::problem(st.error()));
    std::string name = std::string(to_string(key->event)) + "/" + std::string(to_string(key->recipient)) + "/" + key->language;
    auto audit = caller_event(request, caller, "template.update", "template", name);
    TemplateOverride replacement{key->event, key->recipient, key->language, *subject, *text, "", ""};
    ctx.store.save_template(replacement, caller.user.id, audit, [reply, name](Result<bool> done) {
      if (!done) return reply(http::problem(done.error()));
      reply(json_response(200, {{"template", name}, {"custom", true}}));
    });
  })});

  router.add({"DELETE", "/api/v1/notification-templates/{event}/{recipient}/{language}", "templates_reset", 0,
              guard(ctx, administrators, [&ctx](http::Request& request, Caller& caller, http::Reply reply) {
    auto key = template_key(request);
    if (!key) return reply(http::problem(key.error()));
    std::string name = std::string(to_string(key->event)) + "/" + std::string(to_string(key->recipient)) + "/" + key->language;
    auto audit = caller_event(request, caller, "template.reset", "template", name);
    ctx.store.reset_template(key->event, key->recipient, key->language, audit, [reply, name](Result<bool> done) {
      if (!done) return reply(http::problem(done.error()));
      reply(json_response(200, {{"template", name}, {"custom", false}}));
    });
  })});
}

}  // namespace jaga::api
