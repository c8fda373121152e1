// Whole files: reading one into memory in one go (imports, lists of
// indicators: a file of hundreds of megabytes is read with one allocation,
// not grown a character at a time; pipes and other files without a size are
// read too), and writing one so that it survives a crash.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "util/result.h"

namespace jaga {

// The error names the file and says why ("No such file or directory").
Result<std::string> read_whole_file(const std::string& path);

// Writes the parts, one after another, into `temporary`, fsyncs it, renames
// it to `path` and fsyncs the directory: once this returns, `path` is there
// whole after a crash, and it is never there in part. Both paths must be in
// the same file system.
Status write_file_durably(const std::string& temporary, const std::string& path,
                          std::initializer_list<std::string_view> parts);

}  // namespace jaga
