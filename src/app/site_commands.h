// `jaga site ...`: the websites the monitor watches, kept on the command
// line: one at a time, from a CSV file, from an organisation's domains;
// listed and exported as CSV. Each answers the text to print or an Error
// (one line); changes are audited as made by "cli".
#pragma once

#include <string>

#include "model/site.h"
#include "store/store.h"
#include "util/result.h"

namespace jaga::commands {

Result<std::string> add_site(Store& store, Site site);
Result<std::string> import_sites(Store& store, const std::string& csv_path);
Result<std::string> add_organisation_sites(Store& store, const std::string& organisation, int interval_seconds);
Result<std::string> remove_site(Store& store, const std::string& url);
Result<std::string> list_sites(Store& store, const SiteFilter& filter);
Result<std::string> export_sites(Store& store);

}  // namespace jaga::commands
