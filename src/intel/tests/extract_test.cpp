// Table-driven test of indicator extraction: each row is what a reporter might
// write and exactly the indicators (type:value) jaga must find in it.
#include "intel/extract.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "intel/domain.h"
#include "intel/refang.h"

namespace jaga {

namespace {

struct Case {
  const char* text;
  std::vector<std::string> expected;  // "type:value", any order
};

const Case cases[] = {
    // Plain URLs and their hosts
    {"Saya klik http://bank-palsu.com/login lalu", {"url:http://bank-palsu.com/login", "domain:bank-palsu.com"}},
    {"https://Example.COM", {"url:https://example.com/", "domain:example.com"}},
    {"HTTPS://WWW.Example.com:443/A/b", {"url:https://www.example.com/A/b", "domain:www.example.com"}},
    {"http://example.com:80/", {"url:http://example.com/", "domain:example.com"}},
    {"http://example.com:8080/x", {"url:http://example.com:8080/x", "domain:example.com"}},
    {"http://example.com/a/./b/../c", {"url:http://example.com/a/c", "domain:example.com"}},
    {"http://example.com/path#fragment", {"url:http://example.com/path", "domain:example.com"}},
    {"http://example.com/%7euser/%2f?q=%2a", {"url:http://example.com/~user/%2F?q=%2A", "domain:example.com"}},
    {"http://example.com/a b", {"url:http://example.com/a", "domain:example.com"}},
    {"ftp://files.example.org/x.exe", {"url:ftp://files.example.org/x.exe", "domain:files.example.org"}},
    {"see www.phish-site.net/verify now", {"url:http://www.phish-site.net/verify", "domain:www.phish-site.net"}},
    {"http://user:pass@evil.example.com/", {"url:http://evil.example.com/", "domain:evil.example.com"}},
    {"http://paypal.com@evil.xyz/login", {"url:http://evil.xyz/login", "domain:evil.xyz"}},
    {"http://203.0.113.7/shell.php", {"url:http://203.0.113.7/shell.php", "ipv4:203.0.113.7"}},
    {"http://[2001:DB8::1]:8443/x", {"url:http://[2001:db8::1]:8443/x", "ipv6:2001:db8::1"}},
    {"gopher://example.com/", {}},
    {"http://localhost/admin", {}},
    {"http://no-tld/", {}},
    // Trailing punctuation
    {"Visit http://example.com/login.", {"url:http://example.com/login", "domain:example.com"}},
    {"(http://example.com/a)", {"url:http://example.com/a", "domain:example.com"}},
    {"http://en.wikipedia.org/wiki/Foo_(bar)", {"url:http://en.wikipedia.org/wiki/Foo_(bar)", "domain:en.wikipedia.org"}},
    {"\"http://example.com/q?a=1\",", {"url:http://example.com/q?a=1", "domain:example.com"}},
    {"http://example.com/x!", {"url:http://example.com/x", "domain:example.com"}},
    {"<http://example.com/y>", {"url:http://example.com/y", "domain:example.com"}},
    {"链接：http://example.cn/登录。谢谢", {"url:http://example.cn/%E7%99%BB%E5%BD%95", "domain:example.cn"}},
    // Defanged
    {"hxxp://bad[.]example[.]com/x", {"url:http://bad.example.com/x", "domain:bad.example.com"}},
    {"hxxps[://]evil[.]com", {"url:https://evil.com/", "domain:evil.com"}},
    {"HXXPS://Evil(.)com/a", {"url:https://evil.com/a", "domain:evil.com"}},
    {"evil[dot]com", {"domain:evil.com"}},
    {"evil(dot)co(dot)id", {"domain:evil.co.id"}},
    {"penipu[at]gmail[.]com", {"email:penipu@gmail.com"}},
    {"scam(at)mail(dot)ru", {"email:scam@mail.ru"}},
    {"198[.]51[.]100[.]23", {"ipv4:198.51.100.23"}},
    {"hxxp://198.51.100.23[:]8080/", {"url:http://198.51.100.23:8080/", "ipv4:198.51.100.23"}},
    {"example\\.com", {"domain:example.com"}},
    {"evil{.}org", {"domain:evil.org"}},
    // Domains
    {"Situs judi-online.id menipu saya", {"domain:judi-online.id"}},
    {"mail from secure-login.bank.co.id", {"domain:secure-login.bank.co.id"}},
    {"EXAMPLE.ORG.", {"domain:example.org"}},
    {"the domain example.com, and example.net;", {"domain:example.com", "domain:example.net"}},
    {"bücher.de", {"domain:xn--bcher-kva.de"}},
    {"пример.рф", {"domain:xn--e1afmkfd.xn--p1ai"}},
    {"xn--bcher-kva.de", {"domain:xn--bcher-kva.de"}},
    {"under_score.example.com", {"domain:under_score.example.com"}},
    {"-bad-.com", {}},
    {"a.b.c.example.co.uk", {"domain:a.b.c.example.co.uk"}},
    {"co.id", {}},
    {"example.notatld", {}},
    // False friends: not indicators
    {"version 1.2.3 was released", {}},
    {"upgrade to 2.0.15 now", {}},
    {"open report.pdf please", {}},
    {"file notes.zip and readme.md", {}},
    {"run install.sh", {}},
    {"e.g. this, i.e. that", {}},
    {"price is 1.500.000 rupiah", {}},
    {"at 12:30:45 today", {}},
    {"on 2025-11-25 at 10.30", {}},
    {"v1.2.3.4 build", {}},
    {"IP 999.1.1.1 is wrong", {}},
    {"octal 010.1.1.1", {}},
    {"1.2.3.4.5", {}},
    {"nothing to see here", {}},
    {"", {}},
    {"....", {}},
    {"@@@", {}},
    {"user@", {}},
    {"@penipu.shop on Instagram", {}},
    // IPv4
    {"server 203.0.113.45 attacked us", {"ipv4:203.0.113.45"}},
    {"from 192.168.1.1.", {"ipv4:192.168.1.1"}},
    {"ip=8.8.8.8:53", {"ipv4:8.8.8.8"}},
    {"(10.0.0.1)", {"ipv4:10.0.0.1"}},
    // IPv6
    {"attack from 2001:db8:0:0:0:0:0:1 today", {"ipv6:2001:db8::1"}},
    {"[2001:DB8::ABCD]", {"ipv6:2001:db8::abcd"}},
    {"fe80::1", {"ipv6:fe80::1"}},
    {"::ffff:192.0.2.128", {"ipv4:192.0.2.128"}},
    {"2001:db8::", {"ipv6:2001:db8::"}},
    {"a::b is not hex prose", {"ipv6:a::b"}},
    {"time 10:20:30", {}},
    {"::", {}},
    // Emails
    {"Email dari Admin.Bank@Bank-Mandiri-Verifikasi.com", {"email:admin.bank@bank-mandiri-verifikasi.com"}},
    {"contact: <fraud+tag@example.co.id>.", {"email:fraud+tag@example.co.id"}},
    {"kirim ke user@bücher.de", {"email:user@xn--bcher-kva.de"}},
    {"a@b", {}},
    {"bad..dots@example.com", {}},
    // Hashes
    {"md5 d41d8cd98f00b204e9800998ecf8427e", {"md5:d41d8cd98f00b204e9800998ecf8427e"}},
    {"SHA1: DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", {"sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709"}},
    {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     {"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}},
    {"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
     {"sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"}},
    {"d41d8cd98f00b204e9800998ecf8427", {}},
    {"d41d8cd98f00b204e9800998ecf8427g", {}},
    // Phone numbers
    {"Ditelepon dari +62 812-3456-7890 kemarin", {"phone:+6281234567890"}},
    {"WA 0812 3456 7890", {"phone:+6281234567890"}},
    {"call (021) 555-1234 now", {"phone:+62215551234"}},
    {"+86 138 0013 8000", {"phone:+8613800138000"}},
    {"0086 138 0013 8000", {"phone:+8613800138000"}},
    {"nomor 081234567890.", {"phone:+6281234567890"}},
    {"+1 555", {}},
    {"0.5 percent", {}},
    // Mixed
    {"Pesan dari +6281234567890 berisi link hxxps://bit[.]ly/abc dan minta transfer ke penipu@mail.com",
     {"phone:+6281234567890", "url:https://bit.ly/abc", "domain:bit.ly", "email:penipu@mail.com"}},
    {"same twice: evil.com evil.com EVIL.COM", {"domain:evil.com"}},
};

std::vector<std::string> flatten(const std::vector<Indicator>& found) {
  std::vector<std::string> out;
  for (const auto& i : found) out.push_back(i.type + ":" + i.value);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(Extract, TableOfReporterTexts) {
  ASSERT_GE(std::size(cases), 80u);
  for (const auto& c : cases) {
    auto expected = c.expected;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(flatten(extract_indicators(c.text)), expected) << "input: " << c.text;
  }
}

TEST(Extract, RecordsWhereEachIndicatorCameFrom) {
  auto found = extract_indicators("evil.com", {}, "mail.eml");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].source, "mail.eml");
}

TEST(Extract, APastedLogGivesEachAddressOnceInTheOrderSeen) {
  std::string log;
  for (int round = 0; round < 2; ++round)  // every address twice
    for (int i = 0; i < 20000; ++i)
      log += "45." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".9 GET /wp-login.php\n";
  auto found = jaga::extract_indicators(log);
  ASSERT_EQ(found.size(), 20000u);
  EXPECT_EQ(found.front().value, "45.0.0.9");
  EXPECT_EQ(found[257].value, "45.1.1.9");
  EXPECT_EQ(found.back().value, "45.78.31.9");
}

TEST(Extract, UsesTheConfiguredCallingCode) {
  ExtractOptions china;
  china.default_calling_code = "86";
  EXPECT_EQ(flatten(extract_indicators("0138 0013 8000", china)), std::vector<std::string>{"phone:+861380013800" "0"});
}

TEST(Extract, SurvivesInvalidUtf8) {
  auto found = extract_indicators(std::string("evil.com \xff\xfe http://x\xc3.com/"));
  EXPECT_EQ(flatten(found), std::vector<std::string>{"domain:evil.com"});
}

TEST(Refang, UndoesCommonDefanging) {
  EXPECT_EQ(refang("hxxps://a[.]b"), "https://a.b");
  EXPECT_EQ(refang("x[at]y(dot)z"), "x@y.z");
  EXPECT_EQ(refang("thxxpx"), "thxxpx");
}

TEST(Domain, RegistrableAndUnicodeForms) {
  EXPECT_EQ(registrable_domain("a.b.example.co.id"), "example.co.id");
  EXPECT_EQ(domain_to_unicode("xn--bcher-kva.de"), "bücher.de");
  EXPECT_FALSE(canonical_domain("localhost"));
  EXPECT_FALSE(canonical_domain("a..b.com"));
}

TEST(Ip, PublicAndPrivate) {
  EXPECT_TRUE(is_public_ip("203.0.113.1"));
  EXPECT_FALSE(is_public_ip("10.1.2.3"));
  EXPECT_FALSE(is_public_ip("172.20.0.1"));
  EXPECT_FALSE(is_public_ip("fd00::1"));
  EXPECT_TRUE(is_public_ip("2001:db8::1"));
}

}  // namespace jaga
