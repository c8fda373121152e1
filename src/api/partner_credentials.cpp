#include "api/partner_credentials.h"

#include "util/crypto.h"

namespace jaga::api {

namespace {

constexpr auto kRemembered = std::chrono::minutes(5);
constexpr size_t kMostRemembered = 10000;

}  // namespace

PartnerCredentialCache::PartnerCredentialCache() : secret_(random_bytes(32)) {}

std::string PartnerCredentialCache::key_of(const std::string& stored_hash, std::string_view password) const {
  std::string message = stored_hash;
  message += '\0';
  message += password;
  return hmac_sha256(secret_, message);
}

bool PartnerCredentialCache::remembered(const std::string& key) {
  auto it = verified_.find(key);
  if (it == verified_.end()) return false;
  if (std::chrono::steady_clock::now() - it->second > kRemembered) {
    verified_.erase(it);
    return false;
  }
  return true;
}

bool PartnerCredentialCache::remembers(const std::string& stored_hash, std::string_view password) {
  auto key = key_of(stored_hash, password);
  std::lock_guard lock(mutex_);
  return remembered(key);
}

bool PartnerCredentialCache::check(const std::string& stored_hash, std::string_view password,
                                   const std::function<bool()>& verify) {
  auto key = key_of(stored_hash, password);
  std::unique_lock lock(mutex_);
  while (!remembered(key)) {
    if (checking_.contains(key)) {
      checked_.wait(lock);
      continue;
    }
    checking_.insert(key);
    lock.unlock();
    bool matches = false;
    try {
      matches = verify();
    } catch (...) {
      lock.lock();
      checking_.erase(key);
      checked_.notify_all();
      throw;
    }
    lock.lock();
    checking_.erase(key);
    if (matches) {
      if (verified_.size() >= kMostRemembered) verified_.clear();
      verified_[key] = std::chrono::steady_clock::now();
    }
    checked_.notify_all();
    // A wrong password is not remembered: each asker hears so from its own check.
    return matches;
  }
  return true;
}

}  // namespace jaga::api
