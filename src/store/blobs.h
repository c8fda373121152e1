// Attachments on disk, content-addressed by SHA-256 under <data-dir>/blobs.
// put() returns only after the bytes and the directory entry are fsynced, so a
// report acknowledged afterwards never points at a missing file. Blobs are
// written without execute permission and are never served inline.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace jaga {

class BlobStore {
 public:
  explicit BlobStore(std::string root);
  Status prepare();                                     // creates the directories
  Result<std::string> put(std::string_view bytes);      // returns the hex SHA-256
  Result<std::string> read(const std::string& sha256) const;
  std::string path_of(const std::string& sha256) const;
  bool exists(const std::string& sha256) const;

 private:
  std::string root_;
};

}  // namespace jaga
