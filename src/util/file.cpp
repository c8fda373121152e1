#include "util/file.h"

#include <fcntl.h>
#include <unistd.h>

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

namespace {

Error io_error(const std::string& what) { return Error::internal(what + ": " + std::strerror(errno)); }

Status fsync_directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open " + dir);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return io_error("cannot fsync " + dir);
  return {};
}

}  // namespace

Status write_file_durably(const std::string& temporary, const std::string& path,
                          std::initializer_list<std::string_view> parts) {
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return io_error("cannot create " + temporary);
  auto fail = [&](const std::string& what) {
    Error e = io_error(what);
    ::close(fd);
    ::unlink(temporary.c_str());
    return e;
  };
  for (std::string_view part : parts) {
    size_t written = 0;
    while (written < part.size()) {
      ssize_t n = ::write(fd, part.data() + written, part.size() - written);
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail("cannot write " + temporary);
      }
      written += static_cast<size_t>(n);
    }
  }
  if (::fsync(fd) != 0) return fail("cannot fsync " + temporary);
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    Error e = io_error("cannot rename into " + path);
    ::unlink(temporary.c_str());
    return e;
  }
  return fsync_directory_of(path);
}

}  // namespace jaga
