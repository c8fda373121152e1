#include "util/totp.h"

#include <gtest/gtest.h>

namespace jaga {
namespace {

const std::string kRfcSecret = "12345678901234567890";  // the SHA-1 seed of RFC 6238, appendix B

TEST(Totp, MatchesTheRfcTestVectors) {
  // RFC 6238 appendix B, SHA-1, 8 digits.
  EXPECT_EQ(hotp(kRfcSecret, static_cast<uint64_t>(totp_step(59)), 8), "94287082");
  EXPECT_EQ(hotp(kRfcSecret, static_cast<uint64_t>(totp_step(1111111109)), 8), "07081804");
  EXPECT_EQ(hotp(kRfcSecret, static_cast<uint64_t>(totp_step(1234567890)), 8), "89005924");
  EXPECT_EQ(hotp(kRfcSecret, static_cast<uint64_t>(totp_step(20000000000)), 8), "65353130");
  // RFC 4226 appendix D, HOTP counters 0 and 9.
  EXPECT_EQ(hotp(kRfcSecret, 0), "755224");
  EXPECT_EQ(hotp(kRfcSecret, 9), "520489");
}

TEST(Totp, AcceptsOneStepOfDriftAndNeverTheSameStepTwice) {
  int64_t now = 1764000000;
  auto code = hotp(kRfcSecret, static_cast<uint64_t>(totp_step(now)));
  auto step = verify_totp(kRfcSecret, code, now, 0);
  ASSERT_TRUE(step);
  EXPECT_EQ(*step, totp_step(now));
  EXPECT_FALSE(verify_totp(kRfcSecret, code, now, *step)) << "replayed";
  EXPECT_TRUE(verify_totp(kRfcSecret, code, now + 30, 0)) << "the phone is 30 s slow";
  EXPECT_FALSE(verify_totp(kRfcSecret, code, now + 90, 0)) << "too old";
  EXPECT_FALSE(verify_totp(kRfcSecret, "12345", now, 0));
  EXPECT_FALSE(verify_totp(kRfcSecret, "abcdef", now, 0));
}

TEST(Totp, Base32RoundTripsAndIsForgiving) {
  EXPECT_EQ(base32_encode("12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(base32_decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), std::optional<std::string>("12345678901234567890"));
  EXPECT_EQ(base32_encode("f"), "MY");
  EXPECT_EQ(base32_decode("MY======"), std::optional<std::string>("f"));
  EXPECT_FALSE(base32_decode("1NVALID"));
  EXPECT_EQ(totp_uri("jaga Desk", "ana@desk", "ABC"),
            "otpauth://totp/jaga%20Desk:ana%40desk?secret=ABC&issuer=jaga%20Desk&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace jaga
