#include "store/blobs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/crypto.h"

namespace jaga {

namespace fs = std::filesystem;

static Error io_error(const std::string& what) {
  return Error::internal(what + ": " + std::strerror(errno));
}

static Status fsync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) return io_error("cannot open " + path);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return io_error("cannot fsync " + path);
  return {};
}

BlobStore::BlobStore(std::string root) : root_(std::move(root)) {}

Status BlobStore::prepare() {
  std::error_code ec;
  fs::create_directories(root_ + "/tmp", ec);
  if (ec) return Error::internal("cannot create " + root_ + ": " + ec.message());
  return {};
}

std::string BlobStore::path_of(const std::string& sha) const {
  return root_ + "/" + sha.substr(0, 2) + "/" + sha.substr(2, 2) + "/" + sha;
}

bool BlobStore::exists(const std::string& sha) const {
  struct stat st;
  return ::stat(path_of(sha).c_str(), &st) == 0;
}

Result<std::string> BlobStore::put(std::string_view bytes) {
  std::string sha = sha256_hex(bytes);
  std::string final_path = path_of(sha);
  if (exists(sha)) return sha;
  std::string dir = final_path.substr(0, final_path.rfind('/'));
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error::internal("cannot create " + dir + ": " + ec.message());
  std::string tmp = root_ + "/tmp/" + sha + "." + random_token(8);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return io_error("cannot create " + tmp);
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      ::unlink(tmp.c_str());
      return io_error("cannot write " + tmp);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return io_error("cannot fsync " + tmp);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return io_error("cannot rename into " + final_path);
  }
  if (auto st = fsync_path(dir, O_RDONLY | O_DIRECTORY); !st) return st.error();
  return sha;
}

Result<std::string> BlobStore::read(const std::string& sha) const {
  std::ifstream in(path_of(sha), std::ios::binary);
  if (!in) return Error::not_found("attachment content is missing");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace jaga
