// The partner exchange from the command line: partner accounts with their
// agreements and collection rights, collections, and the cross-border
// transfer log for the agency's oversight. Like commands.h, each answers the
// text to print or the one-line error.
#pragma once

#include <string>
#include <vector>

#include "store/store.h"
#include "util/result.h"

namespace jaga::commands {

struct PartnerOptions {
  std::string name;
  std::string title;
  std::vector<std::string> collections;  // "id-cn:rw", as parse_collection_right reads them
  std::string max_tlp = "green";
  bool personal_data = false;
  bool four_eyes = false;
  std::string agreement;  // the agreement's reference
};

Result<std::string> add_partner(Store& store, const PartnerOptions& options, const std::string& password);
Result<std::string> list_partners(Store& store);

// Where this desk pulls from and pushes to on the partner's own TAXII server.
Result<std::string> set_partner_remote(Store& store, PartnerRemote remote);
// One sync with the partner's server now, with what it did.
Result<std::string> sync_partner(Store& store, const std::string& partner);

Result<std::string> add_collection(Store& store, const std::string& alias, const std::string& title,
                                   const std::string& description, const std::string& max_tlp);
Result<std::string> list_collections(Store& store);

// The transfer log as CSV (one row per object) or JSON lines (one per transfer).
Result<std::string> export_transfers(Store& store, const TransferFilter& filter, const std::string& format);

}  // namespace jaga::commands
