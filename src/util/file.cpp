#include "util/file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

namespace jaga {

Result<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Error::invalid("cannot read " + path + ": " + std::strerror(errno));
  auto size = in.tellg();
  if (size < 0) {  // a pipe: no size to ask for
    in.clear();
    in.seekg(0);
    std::ostringstream all;
    all << in.rdbuf();
    return all.str();
  }
  std::string text(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), static_cast<std::streamsize>(text.size())))
    return Error::invalid("cannot read " + path + ": " + std::strerror(errno));
  return text;
}

}  // namespace jaga
