// STIX 2.1 objects as jaga reads, keeps and passes on: the properties every
// object has (id, type, spec_version, created, modified, markings) read and
// checked, and the object's own JSON text kept exactly as it arrived, so that
// unknown object types and custom properties survive the exchange.
//
// Readers check what the specification requires of each object (identifier
// form, UTC timestamps, modified not before created, the required properties
// of every type it defines, property names) and reject the first malformed
// object with its JSON pointer, e.g. "/objects/3/modified". Pure.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/incident.h"
#include "util/result.h"

namespace boost::json {
class value;
}

namespace jaga::stix {

struct Object {
  std::string id;            // "<type>--<uuid>"
  std::string type;
  std::string spec_version;  // "2.1", or "2.0" from older peers
  std::string created;       // as written; empty for objects without (cyber observables)
  std::string modified;
  // Which version this is, for TAXII: modified, else created, as a
  // normalised timestamp (see normal_timestamp); empty when the object has
  // neither, and the time it was added stands for its version.
  std::string version;
  std::optional<Tlp> tlp;  // the most restrictive TLP marking on the object or any of its parts
  std::vector<std::string> marking_refs;
  std::string created_by_ref;
  bool revoked = false;
  std::string json;  // the whole object, as received
};

// "2016-04-06T20:03:00.000Z" and "2016-04-06T20:03:00Z" are the same
// instant: both become "2016-04-06T20:03:00.000000Z" (microseconds, UTC), so
// that versions compare as text. Nothing when the text is not a STIX
// timestamp (RFC 3339 in UTC, "Z").
std::optional<std::string> normal_timestamp(std::string_view text);

// One object's text; `path` prefixes the pointers of errors.
Result<Object> read_object(std::string_view json_text, std::string_view path = "");

// A bundle: {"type": "bundle", "id": "bundle--...", "objects": [...]}.
Result<std::vector<Object>> read_bundle(std::string_view text);

// A TAXII 2.1 envelope: {"more": ..., "next": ..., "objects": [...]}.
struct Envelope {
  std::vector<Object> objects;
  bool more = false;
  std::string next;
};
// `visit`, when given, sees each object's parsed document once it is
// checked (with its position), so that a caller reading more from the
// objects (the indicators among them) need not parse them again.
using ObjectVisitor = std::function<void(const boost::json::value& object, size_t index)>;
Result<Envelope> read_envelope(std::string_view text, const ObjectVisitor& visit = {});

bool is_cyber_observable_type(std::string_view type);
bool is_identifier(std::string_view text);  // "<type>--<uuid>"

}  // namespace jaga::stix
