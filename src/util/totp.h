// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, HMAC-SHA-1,
// 30-second steps, 6 digits): what standard authenticator apps show. Pure:
// the caller passes the time and remembers the last step used, so that a
// code cannot be replayed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jaga {

std::string base32_encode(std::string_view bytes);                   // RFC 4648, no padding
std::optional<std::string> base32_decode(std::string_view text);     // ignores case, spaces and padding

// The HOTP value for one counter, `digits` long with leading zeros.
std::string hotp(std::string_view secret, uint64_t counter, int digits = 6);
inline constexpr int64_t kTotpStepSeconds = 30;
inline int64_t totp_step(int64_t unix_seconds) { return unix_seconds / kTotpStepSeconds; }

// The step whose code this is, looking one step back and one ahead for clock
// drift and never at or before `last_used_step`; nothing when it matches none.
std::optional<int64_t> verify_totp(std::string_view secret, std::string_view code, int64_t unix_seconds,
                                   int64_t last_used_step);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER, for apps that read a link.
std::string totp_uri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace jaga
