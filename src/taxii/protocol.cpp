#include "taxii/protocol.h"

#include <boost/json.hpp>

#include <charconv>

#include "stix/object.h"
#include "util/text.h"

namespace jaga::taxii {

namespace json = boost::json;

namespace {

struct MediaRange {
  std::string type;  // "application/taxii+json", lower case
  std::map<std::string, std::string> parameters;
};

MediaRange read_media_range(std::string_view text) {
  MediaRange out;
  auto parts = split(text, ';');
  out.type = to_lower_ascii(trim(parts.empty() ? text : parts[0]));
  for (size_t i = 1; i < parts.size(); ++i) {
    auto eq = parts[i].find('=');
    if (eq == std::string_view::npos) continue;
    auto value = trim(parts[i].substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    out.parameters[to_lower_ascii(trim(parts[i].substr(0, eq)))] = std::string(value);
  }
  return out;
}

bool names_taxii_21(const MediaRange& range) {
  if (range.type != "application/taxii+json") return false;
  auto version = range.parameters.find("version");
  return version == range.parameters.end() || version->second == "2.1";
}

Result<std::vector<std::string>> list_of(const std::string& text, const std::string& name) {
  std::vector<std::string> out;
  for (auto part : split(text, ',')) {
    auto value = trim(part);
    if (value.empty()) return Error::invalid(name + " has an empty value in its list", name);
    out.emplace_back(value);
  }
  if (out.size() > 1000) return Error::invalid(name + " lists more than 1,000 values", name);
  return out;
}

// Where the page's "more" and "next" go, shared by every paged resource.
void add_paging(json::object& out, const ObjectPage& page) {
  out["more"] = page.more;
  if (page.more && !page.objects.empty()) out["next"] = next_token(page.objects.back().date_added);
}

}  // namespace

bool accepts_taxii(std::optional<std::string_view> accept) {
  if (!accept || trim(*accept).empty()) return true;
  for (auto part : split(*accept, ',')) {
    auto range = read_media_range(part);
    if (auto q = range.parameters.find("q"); q != range.parameters.end() && (q->second == "0" || q->second == "0.0" ||
                                                                            q->second == "0.00" || q->second == "0.000"))
      continue;
    if (range.type == "*/*" || range.type == "application/*" || names_taxii_21(range)) return true;
  }
  return false;
}

bool is_taxii_content(std::optional<std::string_view> content_type) {
  return content_type && names_taxii_21(read_media_range(*content_type));
}

Result<ObjectQuery> read_query(const std::map<std::string, std::string>& parameters, Endpoint endpoint) {
  ObjectQuery q;
  q.limit = kDefaultPageSize;
  bool paged = endpoint != Endpoint::delete_object;
  if (endpoint == Endpoint::versions || endpoint == Endpoint::delete_object) q.version_match = VersionMatch::all;
  for (const auto& [name, value] : parameters) {
    if (name == "added_after" && paged) {
      auto t = stix::normal_timestamp(value);
      if (!t) return Error::invalid("added_after must be a timestamp such as 2026-12-02T08:00:00.000Z", name);
      q.added_after = std::max(q.added_after, *t);
    } else if (name == "limit" && paged) {
      size_t limit = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec != std::errc() || end != value.data() + value.size() || limit == 0)
        return Error::invalid("limit must be a whole number of at least 1", name);
      q.limit = std::min(limit, kMaxPageSize);
    } else if (name == "next" && paged) {
      auto after = date_added_of_token(value);
      if (!after) return Error::invalid("next is not a token this server gave", name);
      q.added_after = std::max(q.added_after, *after);
    } else if (name == "match[id]" && (endpoint == Endpoint::objects || endpoint == Endpoint::manifest)) {
      auto ids = list_of(value, name);
      if (!ids) return ids.error();
      for (const auto& id : *ids)
        if (!stix::is_identifier(id)) return Error::invalid(name + ": \"" + id + "\" is not a STIX identifier", name);
      q.ids = std::move(*ids);
    } else if (name == "match[type]" && (endpoint == Endpoint::objects || endpoint == Endpoint::manifest)) {
      auto types = list_of(value, name);
      if (!types) return types.error();
      q.types = std::move(*types);
    } else if (name == "match[spec_version]") {
      auto versions = list_of(value, name);
      if (!versions) return versions.error();
      q.spec_versions = std::move(*versions);
    } else if (name == "match[version]" && endpoint != Endpoint::versions) {
      auto versions = list_of(value, name);
      if (!versions) return versions.error();
      q.version_match = VersionMatch::listed;
      for (const auto& v : *versions) {
        if (v == "last" || v == "first" || v == "all") {
          if (versions->size() > 1)
            return Error::invalid(name + ": \"" + v + "\" cannot be combined with other versions", name);
          q.version_match = v == "last" ? VersionMatch::last : v == "first" ? VersionMatch::first : VersionMatch::all;
          continue;
        }
        auto t = stix::normal_timestamp(v);
        if (!t) return Error::invalid(name + ": \"" + v + "\" is neither first, last, all nor a timestamp", name);
        q.versions.push_back(*t);
      }
    } else if (name.rfind("match[", 0) == 0) {
      return Error::invalid(name + " is not a filter this endpoint offers", name);
    }
    // Other parameters are not TAXII's and are ignored, as the
    // specification asks of servers.
  }
  return q;
}

std::string next_token(const std::string& last_date_added) { return "n" + to_hex(last_date_added); }

std::optional<std::string> date_added_of_token(std::string_view token) {
  if (token.size() < 3 || token.size() > 81 || token[0] != 'n' || token.size() % 2 == 0) return std::nullopt;
  std::string text;
  for (size_t i = 1; i + 1 < token.size(); i += 2) {
    int value = 0;
    auto [end, ec] = std::from_chars(token.data() + i, token.data() + i + 2, value, 16);
    if (ec != std::errc() || end != token.data() + i + 2) return std::nullopt;
    text += static_cast<char>(value);
  }
  auto t = stix::normal_timestamp(text);
  if (!t || *t != text) return std::nullopt;
  return text;
}

std::string discovery_json(std::string_view title, std::string_view description, const std::vector<ApiRootInfo>& roots) {
  json::array paths;
  for (const auto& r : roots) paths.emplace_back(r.path);
  json::object out{{"title", title}, {"description", description}, {"api_roots", std::move(paths)}};
  if (!roots.empty()) out["default"] = roots.front().path;
  return json::serialize(out);
}

std::string api_root_json(const ApiRootInfo& root, size_t max_content_length) {
  return json::serialize(json::object{{"title", root.title},
                                      {"description", root.description},
                                      {"versions", json::array{json::value(kTaxiiMediaType)}},
                                      {"max_content_length", max_content_length}});
}

std::string collection_json(const Collection& c, bool can_read, bool can_write) {
  return json::serialize(json::object{{"id", c.taxii_id},
                                      {"title", c.title},
                                      {"description", c.description},
                                      {"alias", c.alias},
                                      {"can_read", can_read},
                                      {"can_write", can_write},
                                      {"media_types", json::array{json::value(kStixMediaType)}}});
}

std::string collections_json(const std::vector<std::string>& texts) {
  if (texts.empty()) return "{}";  // the specification's answer when there are none
  std::string out = "{\"collections\":[";
  for (size_t i = 0; i < texts.size(); ++i) out += (i ? "," : "") + texts[i];
  return out + "]}";
}

std::string envelope_json(const ObjectPage& page) {
  json::object head;
  add_paging(head, page);
  std::string out = json::serialize(head);
  out.pop_back();  // the closing brace: the objects follow as they are stored
  if (page.objects.empty()) return out + "}";
  size_t size = out.size() + 16;
  for (const auto& o : page.objects) size += o.json.size() + 1;
  out.reserve(size);
  out += ",\"objects\":[";
  for (size_t i = 0; i < page.objects.size(); ++i) {
    if (i) out += ',';
    out += page.objects[i].json;
  }
  return out + "]}";
}

std::string manifest_json(const ObjectPage& page) {
  json::object out;
  add_paging(out, page);
  if (page.objects.empty()) return json::serialize(out);
  json::array objects;
  for (const auto& o : page.objects)
    objects.push_back(json::object{
        {"id", o.stix_id}, {"date_added", o.date_added}, {"version", o.version}, {"media_type", kStixMediaType}});
  out["objects"] = std::move(objects);
  return json::serialize(out);
}

std::string versions_json(const ObjectPage& page) {
  json::object out;
  add_paging(out, page);
  if (page.objects.empty()) return json::serialize(out);
  json::array versions;
  for (const auto& o : page.objects) versions.emplace_back(o.version);
  out["versions"] = std::move(versions);
  return json::serialize(out);
}

std::string status_json(const WriteStatus& s) {
  json::object counts{{"id", s.id},
                      {"status", s.status},
                      {"request_timestamp", s.request_timestamp},
                      {"total_count", s.successes.size() + s.failures.size() + s.pendings.size()},
                      {"success_count", s.successes.size()},
                      {"failure_count", s.failures.size()},
                      {"pending_count", s.pendings.size()}};
  // The lists are written as text after the counts (the closing brace replaced).
  std::string out = json::serialize(counts);
  out.pop_back();
  for (const auto& [name, list] : {std::pair{"successes", &s.successes}, {"failures", &s.failures},
                                   {"pendings", &s.pendings}}) {
    if (list->empty()) continue;
    out += ",\"";
    out += name;
    out += "\":";
    out += outcomes_json(*list);
  }
  out += '}';
  return out;
}

std::string agreement_json(const Agreement& a) {
  return json::serialize(json::object{{"reference", a.reference},
                                      {"max_tlp", std::string(to_string(a.max_tlp))},
                                      {"personal_data", a.personal_data},
                                      {"four_eyes", a.four_eyes}});
}

Transfer transfer_entry(const Partner& partner, const std::string& collection, std::string direction,
                        std::string channel) {
  Transfer transfer;
  transfer.direction = std::move(direction);
  transfer.partner = partner.name;
  transfer.collection = collection;
  transfer.channel = std::move(channel);
  transfer.agreement = agreement_json(partner.agreement);
  return transfer;
}

std::string error_json(int http_status, std::string_view title, std::string_view description) {
  return json::serialize(json::object{
      {"title", title}, {"description", description}, {"http_status", std::to_string(http_status)}});
}

}  // namespace jaga::taxii
