// The constituency registry as CSV, for import and export: one row per
// organisation, or more when it has more than one contact (the rows with the
// same name are merged). Columns:
//   name, parent, kind, language, domains, networks, asns,
//   contact_name, contact_email, contact_phone
// Lists (domains, networks, asns) are separated by spaces or semicolons.
// Domains and networks are checked and canonicalised. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/organisation.h"
#include "util/result.h"

namespace jaga {

// Organisations in file order; parent_name says the parent (resolved by the
// store). An error names the row and the column.
Result<std::vector<Organisation>> read_registry_csv(std::string_view text);
std::string write_registry_csv(const std::vector<Organisation>& organisations);

}  // namespace jaga
