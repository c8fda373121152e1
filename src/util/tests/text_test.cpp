#include "util/text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace jaga {

TEST(Utf8, AcceptsWellFormedText) {
  for (const char* s : {"", "plain", "Laporan penipuan", "举报网络诈骗", "emoji 😀", "é"}) {
    EXPECT_TRUE(is_valid_utf8(s)) << s;
  }
}

TEST(Utf8, RejectsMalformedText) {
  struct Case { std::string bytes; const char* why; };
  const Case cases[] = {
      {"\xff", "invalid lead byte"},
      {"\xc3", "truncated sequence"},
      {"\xc0\xaf", "overlong slash"},
      {"\xe0\x80\xaf", "overlong three bytes"},
      {"\xed\xa0\x80", "UTF-16 surrogate"},
      {"\xf4\x90\x80\x80", "above U+10FFFF"},
      {"ok\x80", "stray continuation"},
  };
  for (const auto& c : cases) EXPECT_FALSE(is_valid_utf8(c.bytes)) << c.why;
}

TEST(Encoding, Base64RoundTripAndMailLineBreaks) {
  std::string out;
  ASSERT_TRUE(decode_base64("aGVsbG8g\r\nd29ybGQ=", out));
  EXPECT_EQ(out, "hello world");
  EXPECT_FALSE(decode_base64("not*base64", out));
  EXPECT_EQ(to_base64url("\xfb\xff"), "-_8");
  EXPECT_EQ(to_base64("\xfb\xff"), "+/8=");
  EXPECT_EQ(to_base64("hello world"), "aGVsbG8gd29ybGQ=");
  ASSERT_TRUE(decode_base64(to_base64("事件 INC"), out));
  EXPECT_EQ(out, "事件 INC");
  EXPECT_EQ(to_hex("\x01\xab"), "01ab");
}

TEST(Encoding, QuotedPrintableAndPercent) {
  EXPECT_EQ(decode_quoted_printable("caf=C3=A9 =\r\nlink"), "café link");
  EXPECT_EQ(decode_quoted_printable("a=3Db"), "a=b");
  EXPECT_EQ(decode_quoted_printable("trailing="), "trailing=");
  EXPECT_EQ(percent_decode("a%20b+c%zz", true), "a b c%zz");
  EXPECT_EQ(percent_decode("%", false), "%");
}

TEST(Text, TrimSplitCase) {
  EXPECT_EQ(trim("  a b \r\n"), "a b");
  EXPECT_EQ(split("a,,b", ',').size(), 3u);
  EXPECT_TRUE(iequals("Content-Type", "content-type"));
  EXPECT_EQ(to_lower_ascii("MiXeD"), "mixed");
  EXPECT_EQ(json_escape("a\"b\n\x01"), "a\\\"b\\n\\u0001");
}

TEST(Text, JsonStringsAppendedReadBackAsWritten) {
  for (std::string text : {std::string(), std::string("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"),
                           std::string("q\"uote\\back\nline\x01\x1f end"), std::string("Kominfo 网络 ✓"),
                           std::string("\"\"\"")}) {
    std::string out = "[";
    append_json_string(out, text);
    out += "]";
    auto read = boost::json::parse(out);
    ASSERT_TRUE(read.is_array()) << out;
    EXPECT_EQ(read.as_array().at(0).as_string(), text) << out;
  }
}

}  // namespace jaga
