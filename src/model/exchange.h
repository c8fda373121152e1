// Partner exchange as the store keeps it: TAXII collections (one per sharing
// group), partner agencies with their sharing agreements and the rights they
// hold on collections, the STIX objects each collection holds, the status of
// a write, and the cross-border transfer log. Also the rules that decide
// what may leave the agency, which are pure and tested here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/incident.h"
#include "model/indicator.h"
#include "util/result.h"

namespace jaga {

// A sharing group: a bilateral collection ("id-cn") or a region-wide one.
struct Collection {
  int64_t id = 0;
  std::string taxii_id;  // UUIDv5 of the alias: the {id} in TAXII paths
  std::string alias;     // e.g. "id-cn"; also accepted in TAXII paths
  std::string title;
  std::string description;
  Tlp max_tlp = Tlp::green;  // the most a collection's objects may carry when they leave
  std::string created_at;
};

struct CollectionRight {
  std::string collection;  // alias
  bool read = false;
  bool write = false;
};

// What a partner agency may receive, as the signed agreement says.
struct Agreement {
  Tlp max_tlp = Tlp::green;     // the highest label it may receive (AMBER+STRICT and RED never leave)
  bool personal_data = false;   // whether reporters' personal data may ever leave: redacted unless it may
  bool four_eyes = false;       // whether shares need a second analyst's approval before they go out
  std::string reference;        // the agreement's document, e.g. "MoU ID-CN 2026/03"
};

struct Partner {
  int64_t id = 0;
  std::string name;          // the TAXII user name (HTTP Basic)
  std::string title;         // e.g. "Cyberspace Administration of China"
  std::string password_hash; // Argon2id; never leaves the store's readers
  Agreement agreement;
  std::vector<CollectionRight> collections;
  bool disabled = false;
  std::string created_at;
  std::string updated_at;
};

// The highest label a partner may receive from a collection: what both the
// agreement and the collection allow, and never AMBER+STRICT or RED, which
// do not leave the agency whatever is signed.
Tlp highest_tlp_leaving(const Agreement& agreement, const Collection& collection);
// Whether an object of this label may go to a partner whose ceiling is
// `ceiling`. An object without a TLP marking is held at the collection's
// label when it is written (see label_on_arrival), so every stored object
// has one.
bool may_leave(Tlp object_tlp, Tlp ceiling);
// The label an object written into a collection is held at: its own TLP
// marking, or the collection's label when it has none.
Tlp label_on_arrival(std::optional<Tlp> marked, const Collection& collection);

// A collection's alias and a partner's name: 1 to 64 lower-case letters,
// digits, '-', '_' or '.', starting with a letter or digit, so that they
// read the same in URLs, logs and the command line.
Status check_exchange_name(std::string_view what, std::string_view name);
// "id-cn:rw", "region:r", "drop:w"; a bare alias reads.
Result<CollectionRight> parse_collection_right(std::string_view text);

// One STIX object to write into a collection. `json` is the object as it may
// go to anyone the label allows; `full_json`, when set, also carries
// reporters' personal data and goes only to partners whose agreement allows it.
struct SharedObjectInput {
  std::string stix_id;
  std::string type;
  std::string spec_version;
  std::string version;  // normalised timestamp; empty: the time added stands for it
  std::optional<Tlp> tlp;
  std::string json;
  std::string full_json;
};

struct SharedObject {
  int64_t collection_id = 0;
  std::string stix_id;
  std::string type;
  std::string spec_version;
  std::string version;
  std::string date_added;  // RFC 3339 with microseconds, unique and increasing
  Tlp tlp = Tlp::green;
  bool personal_data = false;  // a fuller text with reporters' personal data exists
  std::string json;            // what was asked for: the fuller text only when allowed
  std::string origin;          // "local" or the partner that wrote it
};

enum class VersionMatch { last, first, all, listed };

// A TAXII object query, checked (taxii/query.h) before it reaches the store.
struct ObjectQuery {
  int64_t collection_id = 0;
  std::string added_after;   // normalised timestamp; empty: from the start
  std::vector<std::string> ids, types, spec_versions;
  VersionMatch version_match = VersionMatch::last;
  std::vector<std::string> versions;  // for VersionMatch::listed, normalised
  size_t limit = 1000;
  Tlp max_tlp = Tlp::red;         // what the caller may see
  bool personal_data = false;     // whether the fuller texts may be given
  bool with_json = true;          // false for the manifest and versions
};

struct ObjectPage {
  std::vector<SharedObject> objects;
  bool more = false;
};

// One object's outcome in a write, as the TAXII status resource lists it.
struct WriteOutcome {
  std::string stix_id;
  std::string version;
  std::string message;  // why it failed; empty for a success
};

// Outcomes as the JSON list a status resource carries, written as text: a
// status can list 200,000 objects, and a document of them costs more to
// build than to write out.
std::string outcomes_json(const std::vector<WriteOutcome>& outcomes);

struct WriteStatus {
  std::string id;  // a UUID
  std::string collection;
  std::string request_timestamp;
  std::string status = "complete";  // or "pending"
  std::vector<WriteOutcome> successes, failures, pendings;
};

// Who wrote the objects, for their provenance.
struct WriteOrigin {
  std::string partner;  // empty: the desk itself
  std::string status_id;
};

// The cross-border transfer log: one entry per exchange with a partner, with
// every object that went or came, and the agreement it happened under.
struct Transfer {
  int64_t id = 0;
  std::string at;
  std::string direction;  // "sent" or "received"
  std::string partner;
  std::string collection;
  std::string channel;  // "taxii-get", "taxii-post", "push", "pull"
  std::string agreement;  // the agreement's terms at the time, as JSON
  std::vector<std::pair<std::string, std::string>> objects;  // STIX id and version
};

// One write of objects a partner sent (a POSTed envelope, pulled pages),
// with the indicators read from them.
struct ReceivedObjects {
  Collection collection;
  std::vector<SharedObjectInput> objects;
  WriteOrigin origin;
  std::optional<Transfer> transfer;
  std::optional<IndicatorImport> indicators;
  // The indicators are read and written later (a partner's POST): the
  // envelope is remembered as waiting for them in the same transaction.
  bool indicators_follow = false;
};

struct TransferFilter {
  std::string partner;
  std::string direction;
  std::string object_id;
  std::string since, until;
  int64_t before_id = 0;
  int limit = 100;
};

// What an analyst chose to send from an incident into a collection. It goes
// out at once, or waits for a second analyst when a partner that reads the
// collection has a four-eyes agreement.
struct Share {
  int64_t id = 0;
  std::string incident;    // reference
  std::string collection;  // alias
  Tlp tlp = Tlp::green;
  std::string summary;     // "3 indicators and the incident"
  std::string state;       // pending, published, rejected
  std::string requested_by, requested_at;
  std::string decided_by, decided_at, reason;
  std::vector<std::string> approvers_for;  // the four-eyes partners that made it wait
  std::vector<SharedObjectInput> objects;
};

// Whether a share to readers with these agreements must wait for a second analyst.
bool needs_second_analyst(const std::vector<Partner>& readers);

// A partner's own TAXII server, which this desk pulls from and pushes to.
struct PartnerRemote {
  std::string partner;
  std::string api_root;           // e.g. https://taxii.cac.example.cn/taxii2/api/
  std::string remote_collection;  // its id (or alias) there
  std::string username, password; // the account their server gave this desk
  std::string pull_into;          // the local collection received objects go to
  std::string push_from;          // the local collection whose objects go to them; empty: none
  int interval_seconds = 300;
  // Where the last sync stopped, and how it went.
  std::string pull_cursor;  // added_after for the next pull
  std::string push_cursor;  // the date_added of the last local object pushed
  std::string last_attempt, last_success, last_error;
  int failures = 0;         // in a row, for the back-off
  int64_t pulled = 0, pushed = 0;
};

}  // namespace jaga
