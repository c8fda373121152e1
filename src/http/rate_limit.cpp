#include "http/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace jaga::http {

void RateLimiter::refill(Bucket& b, std::chrono::steady_clock::time_point now) const {
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  b.tokens = std::min(burst_, b.tokens + elapsed * per_second_);
  b.updated = now;
}

bool RateLimiter::allow(const std::string& key) {
  if (per_second_ <= 0) return true;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (buckets_.size() >= max_keys_ && !buckets_.count(key)) {
    // Drop buckets that have refilled completely; they hold no information.
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      refill(it->second, now);
      it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
    }
    if (buckets_.size() >= max_keys_) return false;
  }
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  refill(it->second, now);
  if (it->second.tokens < 1.0) return false;
  it->second.tokens -= 1.0;
  return true;
}

int RateLimiter::retry_after(const std::string& key) {
  if (per_second_ <= 0) return 0;
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) return 0;
  return std::max(1, static_cast<int>(std::ceil((1.0 - it->second.tokens) / per_second_)));
}

}  // namespace jaga::http
