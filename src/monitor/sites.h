// The sites the monitor watches, as a CSV file the desk keeps in a
// spreadsheet: read with every error naming its line, written so that it
// reads back the same. Pure: no I/O.
//
// Columns (a header row names them, in any order; only url is required):
//   url, organisation, interval_seconds, keywords, tags, enabled
// keywords and tags are lists separated by ';'. enabled is yes or no.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/organisation.h"
#include "model/site.h"
#include "util/result.h"

namespace jaga::monitor {

Result<std::vector<Site>> read_sites_csv(std::string_view text);
std::string sites_csv(const std::vector<Site>& sites);
std::string sites_csv(const std::vector<SiteState>& states);  // their sites

// A site for each of the organisation's domains, at https://DOMAIN/.
std::vector<Site> sites_for_domains(const Organisation& organisation, int interval_seconds);

// The checks of one site's fields, shared by the CSV, the CLI and the API.
Status check_site(Site& site);  // normalises the URL and trims lists

}  // namespace jaga::monitor
