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
#include "util/file.h"

namespace jaga {

namespace fs = std::filesystem;

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
  if (auto st = write_file_durably(tmp, final_path, {bytes}); !st) return st.error();
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
