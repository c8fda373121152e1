// Per-client token buckets: each key (a client address and what it does) gets
// `burst` tokens that refill at `per_minute`. Bounded: when the table is full
// the oldest idle buckets are dropped. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace jaga::http {

class RateLimiter {
 public:
  RateLimiter(double per_minute, double burst, size_t max_keys = 100000)
      : per_second_(per_minute / 60.0), burst_(burst), max_keys_(max_keys) {}
  // True when the request may go ahead; a zero rate means no limit.
  bool allow(const std::string& key);
  // Seconds until the next token for `key`.
  int retry_after(const std::string& key);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  void refill(Bucket& b, std::chrono::steady_clock::time_point now) const;
  double per_second_;
  double burst_;
  size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // GUARDED_BY(mutex_)
};

}  // namespace jaga::http
