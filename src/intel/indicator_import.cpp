#include "intel/indicator_import.h"

#include <boost/json.hpp>
#include <charconv>

#include "intel/stix_vocabulary.h"
#include "util/json_text.h"
#include "util/csv.h"
#include "util/text.h"
#include "util/time.h"

namespace json = boost::json;

namespace jaga {

namespace {

constexpr std::string_view kFormatNames[] = {"plain", "csv", "stix", "misp"};

// A time as jaga writes it, or the reason it is not one.
// "2026-12-02T14:53:29.670Z": the form jaga writes, and most STIX producers.
bool already_canonical_time(std::string_view t) {
  if (t.size() != 24 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != '.' ||
      t[23] != 'Z')
    return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22})
    if (t[i] < '0' || t[i] > '9') return false;
  return t.substr(5, 2) >= "01" && t.substr(5, 2) <= "12" && t.substr(8, 2) >= "01" && t.substr(8, 2) <= "31" &&
         t.substr(11, 2) <= "23" && t.substr(14, 2) <= "59" && t.substr(17, 2) <= "60";
}

Result<std::string> time_field(std::string_view name, std::string_view text) {
  if (text.empty()) return std::string();
  if (already_canonical_time(text)) return std::string(text);  // a million of them in a large bundle
  auto parsed = parse_rfc3339(text);
  if (!parsed) return Error::invalid(std::string(name) + " is not an RFC 3339 time: " + std::string(text));
  return format_rfc3339(*parsed);
}

std::string_view string_at(const json::object& object, std::string_view key) {
  auto* v = object.if_contains(key);
  if (!v || !v->is_string()) return {};
  return v->get_string();
}

// `arena` holds the whole document: a bundle of a million objects is freed
// in one go instead of a million times.
Result<json::value> parse_json(std::string_view text, std::string_view what, json::storage_ptr arena = {}) {
  json::error_code ec;
  auto doc = json::parse(text, ec, std::move(arena));
  if (ec) return Error::invalid("not " + std::string(what) + ": the JSON cannot be read (" + ec.message() + ")");
  return doc;
}

// ---- STIX

void read_stix_indicator(const json::object& object, const std::string& where, ParsedImport& out) {
  auto reject = [&](std::string reason) { out.reject(where, std::move(reason)); };
  if (auto* revoked = object.if_contains("revoked"); revoked && revoked->is_bool() && revoked->get_bool())
    return reject("the indicator is revoked");
  auto pattern_type = string_at(object, "pattern_type");
  if (!pattern_type.empty() && pattern_type != "stix")
    return reject("the pattern is " + std::string(pattern_type) + ", not stix");
  auto pattern = string_at(object, "pattern");
  if (pattern.empty()) return reject("the indicator has no pattern");
  auto terms = parse_simple_pattern(pattern);
  if (!terms) return reject(terms.error().message);

  ImportedIndicator base;
  base.where = where;
  for (auto [name, target] : {std::pair{"valid_until", &base.valid_until}, std::pair{"valid_from", &base.first_seen},
                              std::pair{"modified", &base.last_seen}}) {
    auto t = time_field(name, string_at(object, name));
    if (!t) return reject(t.error().message);
    *target = *t;
  }
  if (auto* confidence = object.if_contains("confidence"); confidence && confidence->is_int64()) {
    auto c = confidence->get_int64();
    if (c < 0 || c > 100) return reject("confidence is not between 0 and 100");
    base.confidence = static_cast<int>(c);
  }
  if (auto* markings = object.if_contains("object_marking_refs"); markings && markings->is_array())
    for (const auto& m : markings->get_array())
      if (m.is_string())
        if (auto tlp = tlp_of_marking(m.get_string()); tlp && (!base.tlp || *tlp > *base.tlp)) base.tlp = tlp;
  for (auto& term : *terms) {
    ImportedIndicator one = base;
    one.text = std::move(term.value);
    one.kind = term.kind;
    out.indicators.push_back(std::move(one));
  }
}

// ---- MISP

struct MispType {
  std::string_view type;
  std::optional<IndicatorKind> kind;  // empty: an address or network, by its text
  int part;                           // which '|' part holds the indicator; -1: both (domain|ip)
};
constexpr MispType kMispTypes[] = {
    {"domain", IndicatorKind::domain, 0},        {"hostname", IndicatorKind::domain, 0},
    {"hostname|port", IndicatorKind::domain, 0}, {"domain|ip", std::nullopt, -1},
    {"url", IndicatorKind::url, 0},              {"ip-src", std::nullopt, 0},
    {"ip-dst", std::nullopt, 0},                 {"ip-src|port", std::nullopt, 0},
    {"ip-dst|port", std::nullopt, 0},            {"email", IndicatorKind::email, 0},
    {"email-src", IndicatorKind::email, 0},      {"email-dst", IndicatorKind::email, 0},
    {"md5", IndicatorKind::md5, 0},              {"sha1", IndicatorKind::sha1, 0},
    {"sha256", IndicatorKind::sha256, 0},        {"sha512", IndicatorKind::sha512, 0},
    {"filename|md5", IndicatorKind::md5, 1},     {"filename|sha1", IndicatorKind::sha1, 1},
    {"filename|sha256", IndicatorKind::sha256, 1}, {"filename|sha512", IndicatorKind::sha512, 1},
};

std::optional<Tlp> tlp_of_tags(const json::value* tags) {
  std::optional<Tlp> found;
  if (!tags || !tags->is_array()) return found;
  for (const auto& tag : tags->get_array()) {
    if (!tag.is_object()) continue;
    auto name = to_lower_ascii(string_at(tag.get_object(), "name"));
    if (name.rfind("tlp:", 0) != 0) continue;
    if (auto tlp = parse_tlp_any_version(name); tlp && (!found || *tlp > *found)) found = tlp;
  }
  return found;
}

// MISP writes times as Unix seconds in text, or ISO 8601.
std::string misp_time(const json::object& attribute, std::string_view key) {
  auto text = string_at(attribute, key);
  if (text.empty()) return {};
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec == std::errc() && end == text.data() + text.size())
    return format_rfc3339(TimePoint(std::chrono::seconds(seconds)));
  auto parsed = parse_rfc3339(text);
  return parsed ? format_rfc3339(*parsed) : std::string();
}

void read_misp_attribute(const json::object& attribute, std::optional<Tlp> event_tlp, const std::string& where,
                         ParsedImport& out) {
  auto type = string_at(attribute, "type");
  const MispType* known = nullptr;
  for (const auto& t : kMispTypes)
    if (t.type == type) known = &t;
  if (!known) {
    ++out.ignored;
    return;
  }
  if (auto* deleted = attribute.if_contains("deleted"); deleted && deleted->is_bool() && deleted->get_bool()) {
    ++out.ignored;
    return;
  }
  auto value = string_at(attribute, "value");
  if (value.empty()) {
    out.reject(where, "the attribute has no value");
    return;
  }
  ImportedIndicator base;
  base.where = where;
  base.kind = known->kind;
  base.tlp = tlp_of_tags(attribute.if_contains("Tag"));
  if (!base.tlp) base.tlp = event_tlp;
  base.first_seen = misp_time(attribute, "first_seen");
  base.last_seen = misp_time(attribute, "last_seen");
  if (base.last_seen.empty()) base.last_seen = misp_time(attribute, "timestamp");
  auto bar = value.find('|');
  if (known->part == -1) {  // domain|ip: both are indicators
    ImportedIndicator domain = base, address = base;
    domain.text = value.substr(0, bar);
    domain.kind = IndicatorKind::domain;
    out.indicators.push_back(std::move(domain));
    if (bar != std::string_view::npos) {
      address.text = value.substr(bar + 1);
      out.indicators.push_back(std::move(address));
    }
    return;
  }
  if (known->part == 1) {
    if (bar == std::string_view::npos) {
      out.reject(where, "a " + std::string(type) + " attribute without its '|'");
      return;
    }
    base.text = value.substr(bar + 1);
  } else {
    base.text = value.substr(0, type.find('|') != std::string_view::npos ? bar : std::string_view::npos);
  }
  out.indicators.push_back(std::move(base));
}

void read_misp_event(const json::object& event, const std::string& path, ParsedImport& out) {
  auto event_tlp = tlp_of_tags(event.if_contains("Tag"));
  if (auto* attributes = event.if_contains("Attribute"); attributes && attributes->is_array()) {
    size_t i = 0;
    for (const auto& a : attributes->get_array()) {
      std::string where = path + ".Attribute[" + std::to_string(i++) + "]";
      if (a.is_object()) read_misp_attribute(a.get_object(), event_tlp, where, out);
    }
  }
  if (auto* objects = event.if_contains("Object"); objects && objects->is_array()) {
    size_t o = 0;
    for (const auto& object : objects->get_array()) {
      std::string object_path = path + ".Object[" + std::to_string(o++) + "]";
      if (!object.is_object()) continue;
      auto* attributes = object.get_object().if_contains("Attribute");
      if (!attributes || !attributes->is_array()) continue;
      size_t i = 0;
      for (const auto& a : attributes->get_array()) {
        std::string where = object_path + ".Attribute[" + std::to_string(i++) + "]";
        if (a.is_object()) read_misp_attribute(a.get_object(), event_tlp, where, out);
      }
    }
  }
}

}  // namespace

std::string_view to_string(ImportFormat format) { return kFormatNames[static_cast<size_t>(format)]; }

std::optional<ImportFormat> parse_import_format(std::string_view text) {
  for (size_t i = 0; i < std::size(kFormatNames); ++i)
    if (kFormatNames[i] == text) return static_cast<ImportFormat>(i);
  return std::nullopt;
}

ImportFormat detect_import_format(std::string_view text) {
  auto start = text.find_first_not_of(" \t\r\n\xef\xbb\xbf");
  if (start != std::string_view::npos && text[start] == '{') {
    auto head = text.substr(start, 4096);
    if (head.find("\"bundle\"") != std::string_view::npos || head.find("\"spec_version\"") != std::string_view::npos)
      return ImportFormat::stix;
    return ImportFormat::misp;
  }
  auto first_line = text.substr(0, text.find('\n'));
  if (first_line.find(',') != std::string_view::npos) {
    auto header = to_lower_ascii(first_line);
    for (std::string_view name : {"value", "indicator", "ioc", "observable"})
      if (header.find(name) != std::string::npos) return ImportFormat::csv;
  }
  return ImportFormat::plain;
}

ParsedImport parse_plain_indicators(std::string_view text) {
  ParsedImport out;
  uint64_t line_number = 0;
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    auto value = list_line_value(line);
    if (value.empty()) continue;
    ImportedIndicator one;
    one.text = std::string(value);
    one.where = "line " + std::to_string(line_number);
    out.indicators.push_back(std::move(one));
  }
  return out;
}

Result<CsvColumns> parse_csv_columns(std::string_view mapping) {
  CsvColumns columns;
  for (auto item : split(mapping, ',')) {
    item = trim(item);
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string_view::npos)
      return Error::invalid("--map takes field=column pairs separated by commas, not " + std::string(item));
    auto field = trim(item.substr(0, eq));
    std::string column(trim(item.substr(eq + 1)));
    std::string* target = field == "value"         ? &columns.value
                          : field == "kind"        ? &columns.kind
                          : field == "tlp"         ? &columns.tlp
                          : field == "confidence"  ? &columns.confidence
                          : field == "valid_until" ? &columns.valid_until
                          : field == "first_seen"  ? &columns.first_seen
                          : field == "last_seen"   ? &columns.last_seen
                                                   : nullptr;
    if (!target)
      return Error::invalid("--map knows value, kind, tlp, confidence, valid_until, first_seen and last_seen, not " +
                            std::string(field));
    *target = column;
  }
  return columns;
}

Result<ParsedImport> parse_csv_indicators(std::string_view text, const CsvColumns& wanted) {
  auto rows = parse_csv(text);
  if (!rows) return rows.error();
  if (rows->empty()) return ParsedImport{};
  const auto& header = rows->front();
  auto column_of = [&](std::string_view name) -> std::optional<size_t> {
    for (size_t i = 0; i < header.size(); ++i)
      if (to_lower_ascii(trim(header[i])) == to_lower_ascii(name)) return i;
    return std::nullopt;
  };
  // Each field: the mapped column (which must exist), or the first of the
  // usual names for it.
  struct Field {
    const std::string& mapped;
    std::vector<std::string_view> usual;
    std::optional<size_t> column;
  };
  Field fields[] = {
      {wanted.value, {"value", "indicator", "ioc", "observable"}, {}},
      {wanted.kind, {"kind", "type", "indicator_type", "ioc_type"}, {}},
      {wanted.tlp, {"tlp"}, {}},
      {wanted.confidence, {"confidence"}, {}},
      {wanted.valid_until, {"valid_until", "expires"}, {}},
      {wanted.first_seen, {"first_seen"}, {}},
      {wanted.last_seen, {"last_seen"}, {}},
  };
  for (auto& f : fields) {
    if (!f.mapped.empty()) {
      f.column = column_of(f.mapped);
      if (!f.column) return Error::invalid("the CSV header has no column " + f.mapped);
      continue;
    }
    for (auto name : f.usual)
      if ((f.column = column_of(name))) break;
  }
  if (!fields[0].column)
    return Error::invalid("the CSV header names no value column (value, indicator, ioc or observable); say which with --map value=COLUMN");

  ParsedImport out;
  for (size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    std::string where = "row " + std::to_string(r + 1);
    auto cell = [&](const Field& f) -> std::string_view {
      if (!f.column || *f.column >= row.size()) return {};
      return trim(row[*f.column]);
    };
    ImportedIndicator one;
    one.where = where;
    one.text = std::string(cell(fields[0]));
    if (one.text.empty()) {
      out.reject(where, "the value is empty");
      continue;
    }
    if (auto kind = cell(fields[1]); !kind.empty()) {
      one.kind = parse_indicator_kind(to_lower_ascii(kind));
      if (!one.kind) {
        out.reject(where, "unknown kind " + std::string(kind));
        continue;
      }
    }
    if (auto tlp = cell(fields[2]); !tlp.empty()) {
      one.tlp = parse_tlp_any_version(tlp);
      if (!one.tlp) {
        out.reject(where, "unknown TLP label " + std::string(tlp));
        continue;
      }
    }
    if (auto confidence = cell(fields[3]); !confidence.empty()) {
      int c = -1;
      auto [end, ec] = std::from_chars(confidence.data(), confidence.data() + confidence.size(), c);
      if (ec != std::errc() || end != confidence.data() + confidence.size() || c < 0 || c > 100) {
        out.reject(where, "confidence is not a number from 0 to 100: " + std::string(confidence));
        continue;
      }
      one.confidence = c;
    }
    bool bad_time = false;
    for (auto [field, name, target] :
         {std::tuple{&fields[4], "valid_until", &one.valid_until}, std::tuple{&fields[5], "first_seen", &one.first_seen},
          std::tuple{&fields[6], "last_seen", &one.last_seen}}) {
      auto t = time_field(name, cell(*field));
      if (!t) {
        out.reject(where, t.error().message);
        bad_time = true;
        break;
      }
      *target = *t;
    }
    if (!bad_time) out.indicators.push_back(std::move(one));
  }
  return out;
}

void read_stix_object(const json::value& object, size_t index, ParsedImport& out) {
  std::string where = "objects[" + std::to_string(index) + "]";
  if (!object.is_object()) {
    out.reject(where, "not an object");
    return;
  }
  if (string_at(object.get_object(), "type") != "indicator") {
    ++out.ignored;
    return;
  }
  read_stix_indicator(object.get_object(), where, out);
}

bool read_stix_object_texts(const std::vector<std::string_view>& texts, ParsedImport& out) {
  // One arena for every object, emptied between them.
  std::vector<unsigned char> buffer(64 * 1024);
  for (size_t i = 0; i < texts.size(); ++i) {
    json::monotonic_resource arena(buffer.data(), buffer.size());
    json::error_code ec;
    auto object = json::parse(texts[i], ec, json::storage_ptr(&arena));
    if (ec) return false;
    read_stix_object(object, i, out);
  }
  return true;
}

Result<ParsedImport> parse_stix_indicators(std::string_view text) {
  // A bundle is read one object at a time in a small arena; when it is not
  // shaped as expected it is parsed whole below, for the error's words.
  std::optional<std::vector<std::string_view>> texts;
  if (auto members = split_json_object(text); members && member_text(*members, "type") == "\"bundle\"") {
    auto array = member_text(*members, "objects");
    texts = array ? split_json_array(*array) : std::vector<std::string_view>();
  }
  if (texts) {
    ParsedImport out;
    // When one is not JSON the bundle is parsed whole below, for the error's words.
    if (read_stix_object_texts(*texts, out)) return out;
  }
  auto doc = parse_json(text, "a STIX bundle", json::make_shared_resource<json::monotonic_resource>());
  if (!doc) return doc.error();
  if (!doc->is_object() || string_at(doc->get_object(), "type") != "bundle")
    return Error::invalid("not a STIX bundle: the top level is not an object of type \"bundle\"");
  ParsedImport out;
  auto* objects = doc->get_object().if_contains("objects");
  if (!objects) return out;
  if (!objects->is_array()) return Error::invalid("not a STIX bundle: objects is not an array");
  size_t i = 0;
  for (const auto& object : objects->get_array()) read_stix_object(object, i++, out);
  return out;
}

Result<ParsedImport> parse_misp_event(std::string_view text) {
  auto doc = parse_json(text, "a MISP event");
  if (!doc) return doc.error();
  ParsedImport out;
  if (!doc->is_object()) return Error::invalid("not a MISP event: the top level is not an object");
  const auto& top = doc->get_object();
  if (auto* event = top.if_contains("Event"); event && event->is_object()) {
    read_misp_event(event->get_object(), "Event", out);
    return out;
  }
  if (auto* response = top.if_contains("response")) {
    // The API answers one event as {"response": [{"Event": ...}]}, or
    // several as a list.
    const json::array* list = response->if_array();
    if (list) {
      for (size_t i = 0; i < list->size(); ++i) {
        const auto& entry = (*list)[i];
        if (!entry.is_object()) continue;
        if (auto* event = entry.get_object().if_contains("Event"); event && event->is_object())
          read_misp_event(event->get_object(), "response[" + std::to_string(i) + "].Event", out);
      }
      return out;
    }
    if (response->is_object())
      if (auto* event = response->get_object().if_contains("Event"); event && event->is_object()) {
        read_misp_event(event->get_object(), "response.Event", out);
        return out;
      }
  }
  return Error::invalid("not a MISP event: there is no \"Event\" object");
}

Result<std::vector<std::string>> parse_misp_manifest(std::string_view text) {
  auto doc = parse_json(text, "a MISP feed manifest");
  if (!doc) return doc.error();
  if (!doc->is_object()) return Error::invalid("not a MISP feed manifest: the top level is not an object of events");
  std::vector<std::string> uuids;
  for (const auto& [uuid, event] : doc->get_object()) {
    (void)event;
    std::string id(uuid);
    bool valid = id.size() == 36;
    for (char c : id)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '-')) valid = false;
    if (!valid) return Error::invalid("not a MISP feed manifest: " + id + " is not an event uuid");
    uuids.push_back(std::move(id));
  }
  return uuids;
}

}  // namespace jaga
