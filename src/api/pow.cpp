#include "api/pow.h"

#include <charconv>

#include "util/crypto.h"
#include "util/text.h"

namespace jaga {

// challenge = "<expires>.<difficulty>.<nonce>.<mac>", mac over the first three.
std::string make_pow_challenge(std::string_view key, int difficulty, int64_t now_seconds, int ttl_seconds) {
  std::string body = std::to_string(now_seconds + ttl_seconds) + "." + std::to_string(difficulty) + "." +
                     to_hex(random_bytes(12));
  return body + "." + to_base64url(hmac_sha256(key, body).substr(0, 16));
}

int leading_zero_bits(std::string_view challenge, std::string_view solution) {
  std::string input(challenge);
  input += ':';
  input += solution;
  auto digest = sha256(input);
  int bits = 0;
  for (unsigned char byte : digest) {
    if (byte == 0) {
      bits += 8;
      continue;
    }
    for (int i = 7; i >= 0 && !(byte & (1 << i)); --i) ++bits;
    break;
  }
  return bits;
}

Result<int64_t> verify_pow(std::string_view key, std::string_view challenge, std::string_view solution,
                           int64_t now_seconds) {
  auto parts = split(challenge, '.');
  if (parts.size() != 4) return Error::forbidden("the proof-of-work challenge is malformed");
  std::string body = std::string(parts[0]) + "." + std::string(parts[1]) + "." + std::string(parts[2]);
  if (!constant_time_equal(to_base64url(hmac_sha256(key, body).substr(0, 16)), parts[3]))
    return Error::forbidden("the proof-of-work challenge was not issued by this server");
  int64_t expires = 0;
  int difficulty = 0;
  std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), expires);
  std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), difficulty);
  if (expires < now_seconds) return Error::forbidden("the proof-of-work challenge has expired; reload the form");
  if (solution.empty() || solution.size() > 32) return Error::forbidden("the proof-of-work solution is missing");
  if (leading_zero_bits(challenge, solution) < difficulty)
    return Error::forbidden("the proof-of-work solution is wrong");
  return expires;
}

bool PowReplayCache::first_use(const std::string& challenge, int64_t expires, int64_t now_seconds) {
  std::lock_guard lock(mutex_);
  if (used_.size() > 100000) {
    for (auto it = used_.begin(); it != used_.end();) it = it->second < now_seconds ? used_.erase(it) : std::next(it);
  }
  return used_.emplace(challenge, expires).second;
}

}  // namespace jaga
