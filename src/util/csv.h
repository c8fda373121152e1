// CSV as spreadsheets write it (RFC 4180): fields separated by commas, quoted
// with double quotes when they hold commas, quotes or line breaks, CRLF or LF
// line ends. Pure; errors name the line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace jaga {

using CsvRow = std::vector<std::string>;

// Every record, the header included; blank lines are skipped. A UTF-8 byte
// order mark at the start is ignored.
Result<std::vector<CsvRow>> parse_csv(std::string_view text);

// Whether a spreadsheet would run the cell as a formula (=, @, or + and -
// followed by more than a number). csv_line prefixes such cells with ' so
// that an exported file cannot run anything when opened.
bool looks_like_formula(std::string_view field);

// One record with the fields quoted where needed, ending in CRLF.
std::string csv_line(const CsvRow& fields);

}  // namespace jaga
