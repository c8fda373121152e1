// multipart/form-data (RFC 7578) as browsers send report forms with files.
// Pure: the body and its Content-Type in, the parts out; views point into the body.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace jaga::http {

struct FormPart {
  std::string name;
  std::string filename;      // empty for plain fields
  std::string content_type;  // as the client claims it; never trusted for files
  std::string_view data;
  bool is_file() const { return !filename.empty(); }
};

Result<std::vector<FormPart>> parse_multipart(std::string_view content_type, std::string_view body,
                                              size_t max_parts = 64);

}  // namespace jaga::http
