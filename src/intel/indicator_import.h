// Reading indicator files for `jaga import` and the import API: plain lists,
// CSV with a header mapping, STIX 2.1 bundles, MISP event JSON and MISP feed
// manifests. Pure: text in, the indicators each entry names out, with where
// each one was (a line, a JSON path) so that rejections can say so.
// Normalisation and warninglists are the caller's next step.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intel/normalise.h"
#include "model/incident.h"
#include "util/result.h"

namespace boost::json {
class value;
}

namespace jaga {

enum class ImportFormat { plain, csv, stix, misp };
std::string_view to_string(ImportFormat format);
std::optional<ImportFormat> parse_import_format(std::string_view text);
// A STIX bundle or a MISP event by their JSON, CSV by a header naming a
// value column, a plain list otherwise.
ImportFormat detect_import_format(std::string_view text);

struct ImportedIndicator {
  std::string text;                   // as the file wrote it
  std::optional<IndicatorKind> kind;  // when the file says
  std::optional<Tlp> tlp;             // when the file marks it
  std::optional<int> confidence;
  std::string valid_until, first_seen, last_seen;  // RFC 3339 as jaga writes it, or empty
  std::string where;                               // "line 12", "objects[3]", "Event.Attribute[4]"
};

struct ImportRejection {
  std::string where, reason;
  size_t before = 0;  // how many indicators were read before it: its place among them in the file
};

struct ParsedImport {
  std::vector<ImportedIndicator> indicators;
  std::vector<ImportRejection> rejected;
  uint64_t ignored = 0;  // entries that name no indicator (other STIX objects, MISP comments)

  void reject(std::string where, std::string reason) {
    rejected.push_back({std::move(where), std::move(reason), indicators.size()});
  }
};

// One indicator per line; '#' and '!' comments; hosts-file and adblock lines.
ParsedImport parse_plain_indicators(std::string_view text);

// Which CSV column holds what; empty names are not read. By default the
// value is the first column named value, indicator, ioc or observable.
struct CsvColumns {
  std::string value, kind, tlp, confidence, valid_until, first_seen, last_seen;
};
// "value=ioc,kind=type,tlp=marking": what --map says, or the error naming
// the unknown field.
Result<CsvColumns> parse_csv_columns(std::string_view mapping);
// An error when the header lacks a mapped column.
Result<ParsedImport> parse_csv_indicators(std::string_view text, const CsvColumns& columns);

// The comparisons of every indicator object's pattern (pattern_type stix),
// with valid_from, valid_until, modified, confidence and its TLP marking.
// Revoked indicators and other patterns are rejected with the reason; other
// objects are ignored. An error when the text is not a STIX bundle.
Result<ParsedImport> parse_stix_indicators(std::string_view text);
// One object of a bundle or envelope already parsed (the index-th), as
// parse_stix_indicators reads it: an indicator's patterns into `out`.
void read_stix_object(const boost::json::value& object, size_t index, ParsedImport& out);
// The objects of a bundle or envelope as their texts (its "objects" split),
// each parsed and read as read_stix_object does; false, with `out` partly
// filled, when one of them is not JSON.
bool read_stix_object_texts(const std::vector<std::string_view>& texts, ParsedImport& out);

// The attributes of a MISP event ({"Event": ...}, or the {"response": [...]}
// an API answers) and of its objects whose type names an indicator (domain,
// hostname, url, ip-src, ip-dst, email*, the hashes and their "filename|"
// and "|port" forms). TLP from the attribute's tags, else the event's.
Result<ParsedImport> parse_misp_event(std::string_view text);

// The event uuids of a MISP feed's manifest.json.
Result<std::vector<std::string>> parse_misp_manifest(std::string_view text);

}  // namespace jaga
