// The SQLite schema as an ordered list of migrations. A migration is never
// edited once released; changes are new migrations appended at the end.
#pragma once

#include <vector>

namespace jaga::sqlite {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

const std::vector<Migration>& migrations();

}  // namespace jaga::sqlite
