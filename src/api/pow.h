// Proof of work for the public report form: the server hands out a signed
// challenge; the page's script finds a solution whose SHA-256 with the
// challenge starts with `difficulty` zero bits; the server checks the
// signature, the expiry and the hash. Costs a browser a second, costs a
// spammer that second per report. Pure functions; the replay cache is apart.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/result.h"

namespace jaga {

std::string make_pow_challenge(std::string_view key, int difficulty, int64_t now_seconds, int ttl_seconds = 600);
// Checks a solution; on success returns the challenge's expiry time.
Result<int64_t> verify_pow(std::string_view key, std::string_view challenge, std::string_view solution,
                           int64_t now_seconds);
int leading_zero_bits(std::string_view challenge, std::string_view solution);

// Remembers used challenges until they expire, so one solution buys one report.
class PowReplayCache {
 public:
  bool first_use(const std::string& challenge, int64_t expires, int64_t now_seconds);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, int64_t> used_;  // GUARDED_BY(mutex_)
};

}  // namespace jaga
