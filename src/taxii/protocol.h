// TAXII 2.1 as a protocol, without I/O: media types, the filters and paging
// of object queries, and the JSON of its resources (discovery, API root,
// collections, envelopes, manifests, versions, status, errors). The server
// (api/taxii_routes.cpp) and the sync client use the same pieces.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/exchange.h"
#include "util/result.h"

namespace jaga::taxii {

inline constexpr std::string_view kTaxiiMediaType = "application/taxii+json;version=2.1";
inline constexpr std::string_view kStixMediaType = "application/stix+json;version=2.1";
// The most objects one page holds, whatever `limit` asks.
inline constexpr size_t kMaxPageSize = 10000;
inline constexpr size_t kDefaultPageSize = 1000;

// Whether an Accept header admits TAXII 2.1 JSON (no header admits anything).
bool accepts_taxii(std::optional<std::string_view> accept);
// Whether a Content-Type names TAXII 2.1 JSON (with or without the version).
bool is_taxii_content(std::optional<std::string_view> content_type);

enum class Endpoint { objects, object, manifest, versions, delete_object };

// Reads the query of a TAXII request: added_after, limit, next and the
// match[...] filters each endpoint allows. The version match defaults to
// "last" (to "all" for versions and delete). Errors name the parameter.
Result<ObjectQuery> read_query(const std::map<std::string, std::string>& parameters, Endpoint endpoint);

// `next` is the time the page's last object was added, opaque to clients:
// it never expires, and the same filters with it give the following page.
std::string next_token(const std::string& last_date_added);
std::optional<std::string> date_added_of_token(std::string_view token);

struct ApiRootInfo {
  std::string path;  // "/taxii2/api/"
  std::string title;
  std::string description;
};

std::string discovery_json(std::string_view title, std::string_view description, const std::vector<ApiRootInfo>& roots);
std::string api_root_json(const ApiRootInfo& root, size_t max_content_length);
std::string collection_json(const Collection& collection, bool can_read, bool can_write);
std::string collections_json(const std::vector<std::string>& collection_texts);
// An envelope of the page's objects (their stored texts, as they are).
std::string envelope_json(const ObjectPage& page);
std::string manifest_json(const ObjectPage& page);
std::string versions_json(const ObjectPage& page);
std::string status_json(const WriteStatus& status);
// An agreement's terms as the transfer log keeps them with each transfer.
std::string agreement_json(const Agreement& agreement);
// A transfer log entry for an exchange with `partner` through `collection`
// (its alias) under the partner's agreement; the caller adds the objects.
Transfer transfer_entry(const Partner& partner, const std::string& collection, std::string direction,
                        std::string channel);
// The TAXII error object.
std::string error_json(int http_status, std::string_view title, std::string_view description);

}  // namespace jaga::taxii
