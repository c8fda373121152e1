// Partner passwords are Argon2id hashes, which take a tenth of a second to
// check; a partner syncing pages of objects sends its password with every
// request. So a password that checked is remembered, for a few minutes, as
// a keyed hash of (the stored hash, the password) with a key that lives only
// in this process: a changed password stops working at once, and nothing in
// memory gives the password back. Requests that arrive together with the
// same password wait for one check instead of each making their own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace jaga::api {

class PartnerCredentialCache {
 public:
  PartnerCredentialCache();
  bool remembers(const std::string& stored_hash, std::string_view password);
  // Whether the password matches: remembered, or checked with `verify`
  // (once for all callers that ask at the same time) and then remembered.
  bool check(const std::string& stored_hash, std::string_view password, const std::function<bool()>& verify);

 private:
  std::string key_of(const std::string& stored_hash, std::string_view password) const;
  bool remembered(const std::string& key);  // with mutex_ held
  std::string secret_;
  std::mutex mutex_;
  std::condition_variable checked_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> verified_;  // GUARDED_BY(mutex_)
  std::unordered_set<std::string> checking_;                                        // GUARDED_BY(mutex_)
};

}  // namespace jaga::api
