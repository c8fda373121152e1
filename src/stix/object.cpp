#include "stix/object.h"

#include <boost/json.hpp>

#include <algorithm>
#include <array>

#include "intel/stix_vocabulary.h"
#include "util/json_text.h"

namespace jaga::stix {

namespace json = boost::json;

namespace {

constexpr std::string_view kObservableTypes[] = {
    "artifact",   "autonomous-system", "directory",   "domain-name", "email-addr",
    "email-message", "file",           "ipv4-addr",   "ipv6-addr",   "mac-addr",
    "mutex",      "network-traffic",   "process",     "software",    "url",
    "user-account", "windows-registry-key", "x509-certificate"};

// The properties the specification requires of each object type it defines,
// beyond the common ones.
struct Required {
  std::string_view type;
  std::array<std::string_view, 3> properties;
};
constexpr Required kRequired[] = {
    {"attack-pattern", {"name"}},
    {"campaign", {"name"}},
    {"course-of-action", {"name"}},
    {"grouping", {"context", "object_refs"}},
    {"identity", {"name"}},
    {"incident", {"name"}},
    {"indicator", {"pattern", "pattern_type", "valid_from"}},
    {"infrastructure", {"name"}},
    {"intrusion-set", {"name"}},
    {"malware", {"is_family"}},
    {"malware-analysis", {"product"}},
    {"note", {"content", "object_refs"}},
    {"observed-data", {"first_observed", "last_observed", "number_observed"}},
    {"opinion", {"opinion", "object_refs"}},
    {"report", {"name", "published", "object_refs"}},
    {"threat-actor", {"name"}},
    {"tool", {"name"}},
    {"vulnerability", {"name"}},
    {"relationship", {"relationship_type", "source_ref", "target_ref"}},
    {"sighting", {"sighting_of_ref"}},
    {"domain-name", {"value"}},
    {"ipv4-addr", {"value"}},
    {"ipv6-addr", {"value"}},
    {"url", {"value"}},
    {"email-addr", {"value"}},
    {"mac-addr", {"value"}},
    {"mutex", {"name"}},
    {"autonomous-system", {"number"}},
};

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool is_uuid(std::string_view u) {
  if (u.size() != 36) return false;
  for (size_t i = 0; i < u.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? u[i] != '-' : !is_hex(u[i])) return false;
  }
  return true;
}

// 3 to 250 characters of a-z, 0-9 and '-', not starting or ending with '-'.
bool is_type_name(std::string_view t) {
  if (t.size() < 3 || t.size() > 250 || t.front() == '-' || t.back() == '-') return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

bool is_property_name(std::string_view n) {
  if (n.empty() || n.size() > 250) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

class Checker {
 public:
  Checker(const json::object& o, std::string_view path) : o_(o), path_(path) {}

  Error fail(std::string_view property, std::string problem) const {
    std::string at = std::string(path_) + (property.empty() ? "" : "/" + std::string(property));
    return Error::invalid((at.empty() ? "" : at + ": ") + problem, at);
  }

  // The string at `property`; an error when present and not a string, or
  // absent and required.
  Result<std::string_view> text(std::string_view property, bool required) const {
    auto* v = o_.if_contains(property);
    if (!v) {
      if (required) return fail(property, "required, and missing");
      return std::string_view();
    }
    if (!v->is_string()) return fail(property, "must be a string");
    return std::string_view(v->get_string());
  }

  Result<std::string> timestamp(std::string_view property, bool required) const {
    auto t = text(property, required);
    if (!t) return t.error();
    if (t->empty() && !o_.contains(property)) return std::string();
    auto normal = normal_timestamp(*t);
    if (!normal) return fail(property, "\"" + std::string(t->substr(0, 60)) + "\" is not a STIX timestamp (RFC 3339 in UTC, e.g. 2026-12-02T08:00:00.000Z)");
    return *normal;
  }

  Status identifier(std::string_view property, bool required) const {
    auto t = text(property, required);
    if (!t) return t.error();
    if (t->empty() && !o_.contains(property)) return {};
    if (!is_identifier(*t)) return fail(property, "\"" + std::string(t->substr(0, 80)) + "\" is not a STIX identifier (type--UUID)");
    return {};
  }

  Status identifiers(std::string_view property) const {
    auto* v = o_.if_contains(property);
    if (!v) return {};
    if (!v->is_array()) return fail(property, "must be a list of identifiers");
    size_t i = 0;
    for (const auto& element : v->get_array()) {
      if (!element.is_string() || !is_identifier(element.get_string()))
        return fail(std::string(property) + "/" + std::to_string(i), "is not a STIX identifier (type--UUID)");
      ++i;
    }
    return {};
  }

 private:
  const json::object& o_;
  std::string_view path_;
};

void note_marking(std::string_view ref, Object& out) {
  if (auto tlp = tlp_of_marking(ref); tlp && (!out.tlp || *tlp > *out.tlp)) out.tlp = tlp;
}

Status read_markings(const json::object& o, const Checker& check, Object& out) {
  if (auto s = check.identifiers("object_marking_refs"); !s) return s;
  if (auto* refs = o.if_contains("object_marking_refs"))
    for (const auto& ref : refs->get_array()) {
      out.marking_refs.emplace_back(ref.get_string());
      note_marking(ref.get_string(), out);
    }
  auto* granular = o.if_contains("granular_markings");
  if (!granular) return {};
  if (!granular->is_array()) return check.fail("granular_markings", "must be a list of granular markings");
  size_t i = 0;
  for (const auto& marking : granular->get_array()) {
    std::string at = "granular_markings/" + std::to_string(i++);
    if (!marking.is_object()) return check.fail(at, "must be an object");
    const auto& m = marking.get_object();
    auto* selectors = m.if_contains("selectors");
    if (!selectors || !selectors->is_array() || selectors->get_array().empty())
      return check.fail(at + "/selectors", "required: a non-empty list of selectors");
    auto* ref = m.if_contains("marking_ref");
    if (ref) {
      if (!ref->is_string() || !is_identifier(ref->get_string()))
        return check.fail(at + "/marking_ref", "is not a STIX identifier (type--UUID)");
      note_marking(ref->get_string(), out);
    } else if (!m.contains("lang")) {
      return check.fail(at, "needs a marking_ref or a lang");
    }
  }
  return {};
}

Result<Object> check_object(const json::value& value, std::string_view text, std::string_view path) {
  static const json::object kNothing;
  if (!value.is_object()) return Checker(kNothing, path).fail("", "a STIX object must be a JSON object");
  const auto& o = value.get_object();
  Checker check(o, path);
  Object out;
  auto type = check.text("type", true);
  if (!type) return type.error();
  if (!is_type_name(*type))
    return check.fail("type", "\"" + std::string(type->substr(0, 60)) + "\" is not a STIX type name (3 to 250 of a-z, 0-9 and -)");
  if (*type == "bundle") return check.fail("type", "a bundle cannot be an object of another bundle or envelope");
  out.type = *type;
  auto id = check.text("id", true);
  if (!id) return id.error();
  if (!is_identifier(*id) || id->substr(0, id->find("--")) != *type)
    return check.fail("id", "\"" + std::string(id->substr(0, 80)) + "\" is not an identifier of type " + out.type + " (" + out.type + "--UUID)");
  out.id = *id;
  for (const auto& member : o)
    if (!is_property_name(member.key()))
      return check.fail("", "the property name \"" + std::string(member.key().substr(0, 60)) +
                                "\" is not allowed (letters, digits and _, at most 250)");

  bool observable = is_cyber_observable_type(out.type);
  bool has_created = o.contains("created");
  auto spec = check.text("spec_version", false);
  if (!spec) return spec.error();
  if (spec->empty()) {
    // STIX 2.0 objects carry no spec_version (their bundle did); 2.1 requires
    // it of everything but cyber observables.
    if (o.contains("spec_version")) return check.fail("spec_version", "must be \"2.1\"");
    out.spec_version = observable || !has_created ? "2.1" : "2.0";
  } else if (*spec == "2.1" || *spec == "2.0") {
    out.spec_version = *spec;
  } else {
    return check.fail("spec_version", "\"" + std::string(spec->substr(0, 20)) + "\" is not a STIX version this desk reads (2.1, or 2.0)");
  }

  // Domain and relationship objects (and custom ones that say when they
  // were made) have both times; marking definitions only created.
  bool defined = std::any_of(std::begin(kRequired), std::end(kRequired),
                             [&](const Required& r) { return r.type == out.type; });
  bool is_marking = out.type == "marking-definition";
  bool needs_times = !observable && (defined || has_created || is_marking);
  auto created = check.timestamp("created", needs_times);
  if (!created) return created.error();
  auto modified = check.timestamp("modified", needs_times && !is_marking);
  if (!modified) return modified.error();
  if (!modified->empty() && !created->empty() && *modified < *created)
    return check.fail("modified", "is earlier than created");
  if (!created->empty()) out.created = std::string(*check.text("created", false));
  if (!modified->empty()) out.modified = std::string(*check.text("modified", false));
  out.version = !modified->empty() ? *modified : *created;

  if (auto s = check.identifier("created_by_ref", false); !s) return s.error();
  out.created_by_ref = std::string(*check.text("created_by_ref", false));
  if (auto* revoked = o.if_contains("revoked")) {
    if (!revoked->is_bool()) return check.fail("revoked", "must be true or false");
    out.revoked = revoked->get_bool();
  }
  if (auto s = read_markings(o, check, out); !s) return s.error();

  for (const auto& required : kRequired) {
    if (required.type != out.type) continue;
    for (auto property : required.properties)
      if (!property.empty() && !o.contains(property)) return check.fail(property, "required of a " + out.type + ", and missing");
  }
  for (auto property : {"object_refs", "external_references"}) {
    auto* v = o.if_contains(property);
    if (v && !v->is_array()) return check.fail(property, "must be a list");
  }
  if (auto s = check.identifiers("object_refs"); !s) return s.error();
  for (auto property : {"source_ref", "target_ref", "sighting_of_ref"})
    if (auto s = check.identifier(property, false); !s) return s.error();
  if (out.type == "indicator")
    for (auto property : {"valid_from", "valid_until"})
      if (auto t = check.timestamp(property, false); !t) return t.error();
  out.json = std::string(text);
  return out;
}

Result<json::value> parse_text(std::string_view text, std::string_view path, json::storage_ptr storage) {
  json::error_code ec;
  json::parse_options options;
  options.max_depth = 64;
  auto value = json::parse(text, ec, std::move(storage), options);
  if (ec) return Error::invalid(std::string(path.empty() ? "" : std::string(path) + ": ") + "not valid JSON (" + ec.message() + ")", std::string(path));
  return value;
}

struct Container {
  std::vector<JsonMember> members;
  std::vector<std::string_view> objects;
};

// The top level and its objects' texts, checked to be JSON: a bundle or
// envelope of a million objects is then read one object at a time.
Result<Container> split_container(std::string_view text, std::string_view what) {
  auto members = split_json_object(text);
  if (!members) {
    // Not shaped as one object: parse it whole for the parser's own words.
    auto whole = parse_text(text, "", {});
    if (!whole) return whole.error();
    return Error::invalid("not a " + std::string(what) + ": the top level is not a JSON object");
  }
  Container out{std::move(*members), {}};
  auto objects = member_text(out.members, "objects");
  if (!objects) return out;
  auto elements = split_json_array(*objects);
  if (!elements) return Error::invalid("/objects: must be a list of STIX objects", "/objects");
  out.objects = std::move(*elements);
  return out;
}

Result<std::vector<Object>> read_objects(const std::vector<std::string_view>& texts, const ObjectVisitor& visit = {}) {
  std::vector<Object> out;
  out.reserve(texts.size());
  std::vector<unsigned char> buffer(64 * 1024);
  for (size_t i = 0; i < texts.size(); ++i) {
    std::string path = "/objects/" + std::to_string(i);
    json::monotonic_resource arena(buffer.data(), buffer.size());
    auto value = parse_text(texts[i], path, json::storage_ptr(&arena));
    if (!value) return value.error();
    auto object = check_object(*value, texts[i], path);
    if (!object) return object.error();
    if (visit) visit(*value, i);
    out.push_back(std::move(*object));
  }
  return out;
}

// Each top-level member's value must be JSON too; parsed only for that.
Status check_members(const std::vector<JsonMember>& members) {
  for (const auto& m : members) {
    if (m.key == "objects") continue;
    auto value = parse_text(m.value, "/" + std::string(m.key), {});
    if (!value) return value.error();
  }
  return {};
}

}  // namespace

bool is_cyber_observable_type(std::string_view type) {
  return std::find(std::begin(kObservableTypes), std::end(kObservableTypes), type) != std::end(kObservableTypes);
}

bool is_identifier(std::string_view text) {
  auto dashes = text.find("--");
  if (dashes == std::string_view::npos) return false;
  return is_type_name(text.substr(0, dashes)) && is_uuid(text.substr(dashes + 2));
}

std::optional<std::string> normal_timestamp(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.fraction]Z
  if (t.size() < 20 || t.size() > 40 || t.back() != 'Z') return std::nullopt;
  constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
  for (size_t i = 0; i < shape.size(); ++i) {
    char c = i < t.size() ? t[i] : 0;
    if (shape[i] == 'd' ? !(c >= '0' && c <= '9') : (c != shape[i] && !(shape[i] == 'T' && c == 't'))) return std::nullopt;
  }
  auto number = [&](size_t at, size_t length) {
    int n = 0;
    for (size_t i = at; i < at + length; ++i) n = n * 10 + (t[i] - '0');
    return n;
  };
  int month = number(5, 2), day = number(8, 2), hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::string fraction;
  size_t pos = 19;
  if (t[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
    fraction = std::string(t.substr(start, pos - start));
  }
  if (pos != t.size() - 1) return std::nullopt;
  fraction.resize(6, '0');
  std::string out(t.substr(0, 19));
  out[10] = 'T';
  return out + "." + fraction + "Z";
}

Result<Object> read_object(std::string_view json_text, std::string_view path) {
  auto value = parse_text(json_text, path, {});
  if (!value) return value.error();
  return check_object(*value, json_text, path);
}

Result<std::vector<Object>> read_bundle(std::string_view text) {
  auto container = split_container(text, "STIX bundle");
  if (!container) return container.error();
  if (auto s = check_members(container->members); !s) return s.error();
  auto type = member_text(container->members, "type");
  if (!type || *type != "\"bundle\"") return Error::invalid("/type: a STIX bundle has the type \"bundle\"", "/type");
  auto id = member_text(container->members, "id");
  if (!id || id->size() < 2 || !is_identifier(id->substr(1, id->size() - 2)) || id->substr(1, 8) != "bundle--")
    return Error::invalid("/id: a STIX bundle needs an id of the form bundle--UUID", "/id");
  return read_objects(container->objects);
}

Result<Envelope> read_envelope(std::string_view text, const ObjectVisitor& visit) {
  auto container = split_container(text, "TAXII envelope");
  if (!container) return container.error();
  if (auto s = check_members(container->members); !s) return s.error();
  Envelope out;
  if (auto more = member_text(container->members, "more")) {
    if (*more != "true" && *more != "false") return Error::invalid("/more: must be true or false", "/more");
    out.more = *more == "true";
  }
  if (auto next = member_text(container->members, "next")) {
    auto value = json::parse(*next);
    if (!value.is_string()) return Error::invalid("/next: must be a string", "/next");
    out.next = std::string(value.get_string());
  }
  auto objects = read_objects(container->objects, visit);
  if (!objects) return objects.error();
  out.objects = std::move(*objects);
  return out;
}

}  // namespace jaga::stix
