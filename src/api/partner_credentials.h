// Partner passwords are Argon2id hashes, which take a tenth of a second to
// check; a partner syncing pages of objects sends its password with every
// request. So a password that checked is remembered, for a few minutes, as
// a keyed hash of (the stored hash, the password) with a key that lives only
// in this process: a changed password stops working at once, and nothing in
// memory gives the password back.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace jaga::api {

class PartnerCredentialCache {
 public:
  PartnerCredentialCache();
  bool remembers(const std::string& stored_hash, std::string_view password);
  void remember(const std::string& stored_hash, std::string_view password);

 private:
  std::string key_of(const std::string& stored_hash, std::string_view password) const;
  std::string secret_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> verified_;  // GUARDED_BY(mutex_)
};

}  // namespace jaga::api
