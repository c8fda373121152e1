// A reader for the configuration file: the common subset of TOML and INI
// (`[section]`, `key = value`, quoted strings, comments with # or ;).
// Pure: text in, entries with their line numbers out, so errors can name the line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace jaga {

struct IniEntry {
  std::string section;  // "" before the first [section]
  std::string key;
  std::string value;  // unquoted
  int line = 0;
};

Result<std::vector<IniEntry>> parse_ini(std::string_view text);

}  // namespace jaga
