// Randomness, hashing and secret comparison, all through libsodium so that
// there is one audited implementation. Thread-safe after sodium_init(), which
// init_crypto() calls once at start.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace jaga {

void init_crypto();

std::string random_bytes(size_t count);
// A random secret as base64url text with `bytes` of entropy.
std::string random_token(size_t bytes = 32);
// A random (version 4) UUID in its lower-case text form.
std::string random_uuid();

using Sha256 = std::array<unsigned char, 32>;
Sha256 sha256(std::string_view data);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view message);  // raw 32 bytes

// Compares secrets in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// Argon2id password hashing (libsodium's interactive limits).
std::string hash_password(std::string_view password);
bool verify_password(std::string_view stored_hash, std::string_view password);

}  // namespace jaga
