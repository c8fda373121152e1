// Reading a whole file into memory in one go (imports, lists of indicators):
// a file of hundreds of megabytes is read with one allocation, not grown a
// character at a time. Pipes and other files without a size are read too.
#pragma once

#include <string>

#include "util/result.h"

namespace jaga {

// The error names the file and says why ("No such file or directory").
Result<std::string> read_whole_file(const std::string& path);

}  // namespace jaga
