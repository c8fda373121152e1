#include "util/crypto.h"

#include <gtest/gtest.h>

namespace jaga {

TEST(Crypto, Sha256KnownAnswer) {
  init_crypto();
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, PasswordsVerifyOnlyWithTheRightPassword) {
  init_crypto();
  auto hash = hash_password("correct horse");
  EXPECT_TRUE(hash.rfind("$argon2id$", 0) == 0) << hash;
  EXPECT_TRUE(verify_password(hash, "correct horse"));
  EXPECT_FALSE(verify_password(hash, "correct horse "));
}

TEST(Crypto, TokensAreRandomAndComparedWhole) {
  init_crypto();
  auto a = random_token(), b = random_token();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_TRUE(constant_time_equal(a, a));
  EXPECT_FALSE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

}  // namespace jaga
