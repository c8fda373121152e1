// One value, one canonical form: a table of inputs, the kind they are read as
// and their canonical value, or the error a user is shown.
#include <gtest/gtest.h>

#include "intel/normalise.h"

namespace jaga {
namespace {

struct Case {
  const char* input;
  const char* hint;      // kind asked for; "" lets the value say
  const char* kind;      // expected kind, or "error"
  const char* expected;  // canonical value, or a part of the error message
};

const Case kCases[] = {
    // Domains: case, trailing dot, IDN, wildcards, defanged forms.
    {"example.com", "", "domain", "example.com"},
    {"EXAMPLE.COM", "", "domain", "example.com"},
    {"Example.Com.", "", "domain", "example.com"},
    {"www.Example.co.id", "", "domain", "www.example.co.id"},
    {"  evil.example.net  ", "", "domain", "evil.example.net"},
    {"*.evil.example.net", "", "domain", "evil.example.net"},
    {"evil[.]example[.]net", "", "domain", "evil.example.net"},
    {"evil(.)example(.)net", "", "domain", "evil.example.net"},
    {"evil[dot]example[dot]net", "", "domain", "evil.example.net"},
    {"bücher.de", "", "domain", "xn--bcher-kva.de"},
    {"BÜCHER.de", "", "domain", "xn--bcher-kva.de"},
    {"xn--bcher-kva.de", "", "domain", "xn--bcher-kva.de"},
    {"пример.рф", "", "domain", "xn--e1afmkfd.xn--p1ai"},
    {"例子.中国", "", "domain", "xn--fsqu00a.xn--fiqs8s"},
    {"政府.cn", "", "domain", "xn--mxtq1m.cn"},
    {"faß.de", "", "domain", "xn--fa-hia.de"},
    {"_dmarc.example.com", "", "domain", "_dmarc.example.com"},
    {"a-b.example.com", "", "domain", "a-b.example.com"},
    {"123.example.com", "", "domain", "123.example.com"},
    {"example.zip", "", "domain", "example.zip"},
    {"pajak-contoh.go.id", "", "domain", "pajak-contoh.go.id"},
    {"evil.example", "", "domain", "evil.example"},
    {"bad.test", "", "domain", "bad.test"},
    {"tk", "domain", "domain", "tk"},
    {"co.id", "domain", "domain", "co.id"},
    {"example.com", "domain", "domain", "example.com"},
    {"a.b.c.d.e.f.g.example.org", "", "domain", "a.b.c.d.e.f.g.example.org"},
    {"x.io", "", "domain", "x.io"},
    {"localhost", "domain", "error", "single label that is not a top-level domain"},
    {"intranet", "", "error", "single label"},
    {"a..b.com", "", "error", "empty label"},
    {".example.com", "", "error", "starts with a dot"},
    {"-bad.example.com", "", "error", "hyphen"},
    {"bad-.example.com", "", "error", "hyphen"},
    {"ex ample.com", "domain", "error", "character a domain may not have"},
    {"exa$mple.com", "", "error", "character a domain may not have"},
    {"example.123", "domain", "error", "ends in a number"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", "", "error", "longer than 63"},
    {"", "", "error", "may not be empty"},
    {"   ", "", "error", "may not be empty"},
    {"*.", "domain", "error", "may not be empty"},

    // URLs, canonicalised as Safe Browsing does.
    {"http://example.com", "", "url", "http://example.com/"},
    {"HTTP://EXAMPLE.COM/", "", "url", "http://example.com/"},
    {"https://Example.com/Path", "", "url", "https://example.com/Path"},
    {"http://example.com:80/", "", "url", "http://example.com/"},
    {"https://example.com:443/a", "", "url", "https://example.com/a"},
    {"http://example.com:8080/a", "", "url", "http://example.com:8080/a"},
    {"https://example.com:80/a", "", "url", "https://example.com:80/a"},
    {"ftp://files.example.com:21/x", "", "url", "ftp://files.example.com/x"},
    {"http://example.com/a#fragment", "", "url", "http://example.com/a"},
    {"http://example.com/#", "", "url", "http://example.com/"},
    {"http://example.com/a/./b/../c", "", "url", "http://example.com/a/c"},
    {"http://example.com/a/b/..", "", "url", "http://example.com/a/"},
    {"http://example.com/../../a", "", "url", "http://example.com/a"},
    {"http://example.com//a///b", "", "url", "http://example.com/a/b"},
    {"http://example.com/%7Euser", "", "url", "http://example.com/~user"},
    {"http://example.com/%7euser", "", "url", "http://example.com/~user"},
    {"http://example.com/%2541", "", "url", "http://example.com/A"},
    {"http://example.com/%25%32%35", "", "url", "http://example.com/%25"},
    {"http://example.com/a b", "", "url", "http://example.com/a%20b"},
    {"http://example.com/ümlaut", "", "url", "http://example.com/%C3%BCmlaut"},
    {"http://example.com/%c3%bc", "", "url", "http://example.com/%C3%BC"},
    {"http://example.com/a%23b", "", "url", "http://example.com/a%23b"},
    {"http://example.com/q?x=1&y=%41", "", "url", "http://example.com/q?x=1&y=A"},
    {"http://example.com/q?x=a/../b", "", "url", "http://example.com/q?x=a/../b"},
    {"http://example.com?x=1", "", "url", "http://example.com/?x=1"},
    {"http://user:pass@example.com/a", "", "url", "http://example.com/a"},
    {"http://example.com.../a", "", "url", "http://example.com/a"},
    {"http://www..example.com/", "", "url", "http://www.example.com/"},
    {"http://3279880203/blah", "", "url", "http://195.127.0.11/blah"},
    {"http://0x7f.1/", "", "url", "http://127.0.0.1/"},
    {"http://012.1.2.3/", "", "url", "http://10.1.2.3/"},
    {"http://192.0.2.1/login", "", "url", "http://192.0.2.1/login"},
    {"http://[2001:DB8::1]/a", "", "url", "http://[2001:db8::1]/a"},
    {"http://[2001:db8::1]:8080/a", "", "url", "http://[2001:db8::1]:8080/a"},
    {"http://[::ffff:192.0.2.1]/a", "", "url", "http://192.0.2.1/a"},
    {"http://bücher.de/", "", "url", "http://xn--bcher-kva.de/"},
    {"http://%65xample.com/", "", "url", "http://example.com/"},
    {"http://example.com/a\tb\r\n", "", "url", "http://example.com/ab"},
    {"hxxp://evil[.]example[.]net/login", "", "url", "http://evil.example.net/login"},
    {"hxxps://evil.example.net/login", "", "url", "https://evil.example.net/login"},
    {"http://evil.example.net/a[.]b\\.c", "", "url", "http://evil.example.net/a[.]b\\.c"},  // paths are not refanged
    {"hxxp://evil[.]example[.]net/x[.]y", "", "url", "http://evil.example.net/x[.]y"},
    {"evil.example.net/login.php", "", "url", "http://evil.example.net/login.php"},
    {"evil.example.net/", "url", "url", "http://evil.example.net/"},
    {"evil.example.net", "url", "url", "http://evil.example.net/"},
    {"https://lapor.pajak-contoh.go.id/restitusi", "", "url", "https://lapor.pajak-contoh.go.id/restitusi"},
    {"javascript://example.com/", "", "error", "the scheme 'javascript'"},
    {"mailto://a@example.com", "", "error", "scheme 'mailto'"},
    {"http:///a", "", "error", "has no host"},
    {"http://exa mple.com/", "", "error", "character a domain may not have"},
    {"http://example.com:99999/", "", "error", "port outside 1-65535"},
    {"http://example.com:0/", "", "error", "port outside 1-65535"},
    {"http://example.com:http/", "", "error", "port that is not a number"},
    {"http://[2001:db8::1/", "", "error", "unclosed '['"},
    {"http://[zz::1]/", "", "error", "bad IPv6 host"},
    {"http://localhost/", "", "error", "single label"},

    // IPv4.
    {"192.0.2.1", "", "ipv4", "192.0.2.1"},
    {" 192.0.2.1 ", "", "ipv4", "192.0.2.1"},
    {"192[.]0[.]2[.]1", "", "ipv4", "192.0.2.1"},
    {"0.0.0.0", "", "ipv4", "0.0.0.0"},
    {"255.255.255.255", "", "ipv4", "255.255.255.255"},
    {"10.0.0.1", "ipv4", "ipv4", "10.0.0.1"},
    {"192.0.2.1", "ipv6", "ipv4", "192.0.2.1"},
    {"192.0.2.256", "", "error", "part above 255"},
    {"192.0.2.01", "", "error", "leading zero"},
    {"192.0.2", "", "error", "not an IPv4 address"},
    {"1.2.3.4.5", "", "error", "not an IPv4 address"},
    {"192.0.2.1", "domain", "error", "ends in a number"},

    // IPv6, in RFC 5952 form; v4-mapped is v4.
    {"2001:db8::1", "", "ipv6", "2001:db8::1"},
    {"2001:DB8::1", "", "ipv6", "2001:db8::1"},
    {"2001:0db8:0000:0000:0000:0000:0000:0001", "", "ipv6", "2001:db8::1"},
    {"2001:db8:0:0:1:0:0:1", "", "ipv6", "2001:db8::1:0:0:1"},
    {"2001:db8::0:1", "", "ipv6", "2001:db8::1"},
    {"::1", "", "ipv6", "::1"},
    {"::", "ipv6", "ipv6", "::"},
    {"fe80::1", "", "ipv6", "fe80::1"},
    {"::ffff:192.0.2.1", "", "ipv4", "192.0.2.1"},
    {"::FFFF:c000:0201", "", "ipv4", "192.0.2.1"},
    {"2001:db8[:]:1", "", "ipv6", "2001:db8::1"},
    {"2001:db8::1%eth0", "ipv6", "error", "not an IPv6 address"},
    {"2001:db8:::1", "ipv6", "error", "not an IPv6 address"},
    {"2001:db8::g", "ipv6", "error", "not an IPv6 address"},

    // CIDR networks: host bits cleared, one address is that address.
    {"192.0.2.0/24", "", "cidr", "192.0.2.0/24"},
    {"192.0.2.77/24", "", "cidr", "192.0.2.0/24"},
    {"10.0.0.0/8", "", "cidr", "10.0.0.0/8"},
    {"0.0.0.0/0", "", "cidr", "0.0.0.0/0"},
    {"192.0.2.1/32", "", "ipv4", "192.0.2.1"},
    {"2001:db8::/32", "", "cidr", "2001:db8::/32"},
    {"2001:DB8:1234::/48", "", "cidr", "2001:db8:1234::/48"},
    {"2001:db8::1/64", "", "cidr", "2001:db8::/64"},
    {"2001:db8::1/128", "", "ipv6", "2001:db8::1"},
    {"::ffff:10.0.0.0/104", "", "cidr", "10.0.0.0/8"},
    {"192.0.2.0/24", "cidr", "cidr", "192.0.2.0/24"},
    {"192.0.2.0/33", "", "error", "longer than /32"},
    {"2001:db8::/129", "", "error", "longer than /128"},
    {"192.0.2.0/", "cidr", "error", "no prefix length"},
    {"192.0.2.0/x", "cidr", "error", "no prefix length"},
    {"::ffff:10.0.0.0/8", "", "error", "shorter than /96"},
    {"300.0.0.0/8", "cidr", "error", "part above 255"},

    // Email addresses.
    {"Phisher@Example.COM", "", "email", "phisher@example.com"},
    {"a.b+tag@example.co.id", "", "email", "a.b+tag@example.co.id"},
    {"user[at]example[.]com", "", "email", "user@example.com"},
    {"user(at)example.com", "", "email", "user@example.com"},
    {"pajak@bücher.de", "", "email", "pajak@xn--bcher-kva.de"},
    {"@example.com", "", "error", "no name before the '@'"},
    {"user@", "", "error", "may not be empty"},
    {"us er@example.com", "email", "error", "character an address may not have"},
    {"user..x@example.com", "", "error", "misplaced dot"},
    {".user@example.com", "", "error", "misplaced dot"},
    {"user@localhost", "", "error", "single label"},
    {"example.com", "email", "error", "has no '@'"},

    // Hashes.
    {"d41d8cd98f00b204e9800998ecf8427e", "", "md5", "d41d8cd98f00b204e9800998ecf8427e"},
    {"D41D8CD98F00B204E9800998ECF8427E", "", "md5", "d41d8cd98f00b204e9800998ecf8427e"},
    {"da39a3ee5e6b4b0d3255bfef95601890afd80709", "", "sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
    {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "", "sha256",
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
     "", "sha512",
     "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
    {"d41d8cd98f00b204e9800998ecf8427e", "md5", "md5", "d41d8cd98f00b204e9800998ecf8427e"},
    {"d41d8cd98f00b204e9800998ecf8427e", "sha256", "error", "which is md5, not sha256"},
    {"d41d8cd98f00b204e9800998ecf8427", "md5", "error", "has 31"},
    {"d41d8cd98f00b204e9800998ecf8427g", "md5", "error", "not a hexadecimal hash"},
    {"abc", "sha1", "error", "has 3"},

    // Kinds as other tools name them.
    {"evil.example.net", "hostname", "domain", "evil.example.net"},
    {"evil.example.net", "domain-name", "domain", "evil.example.net"},
    {"192.0.2.9", "ip-dst", "ipv4", "192.0.2.9"},
    {"http://evil.example.net/x", "uri", "url", "http://evil.example.net/x"},
    {"x@evil.example.net", "email-src", "email", "x@evil.example.net"},
    {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha-256", "sha256",
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},

    // Not indicators at all.
    {"\xff\xfe", "", "error", "not valid UTF-8"},
    {"hello world", "", "error", "character a domain may not have"},
    {"report.pdf", "", "error", "does not end in a known top-level domain"},
    {"setup.exe", "domain", "error", "does not end in a known top-level domain"},
    {"printer.lan", "", "domain", "printer.lan"},
    {"shop.co.za", "", "domain", "shop.co.za"},
    {"adm10.bit", "", "error", "does not end in a known top-level domain"},
};

TEST(Normalise, TableOfCases) {
  int checked = 0;
  for (const auto& c : kCases) {
    SCOPED_TRACE(std::string("input: ") + c.input + " hint: " + c.hint);
    std::optional<IndicatorKind> hint;
    if (*c.hint) {
      hint = parse_indicator_kind(c.hint);
      ASSERT_TRUE(hint) << "unknown kind in the table: " << c.hint;
    }
    auto got = normalise_indicator(c.input, hint);
    if (std::string(c.kind) == "error") {
      ASSERT_FALSE(got.ok()) << "expected an error, got " << to_string(got->kind) << " " << got->value;
      EXPECT_NE(got.error().message.find(c.expected), std::string::npos) << "message: " << got.error().message;
      EXPECT_EQ(got.error().kind, ErrorKind::invalid_input);
    } else {
      ASSERT_TRUE(got.ok()) << got.error().message;
      EXPECT_EQ(to_string(got->kind), c.kind);
      EXPECT_EQ(got->value, c.expected);
      // One value, one canonical form: the canonical form is its own.
      auto again = normalise_indicator(got->value, got->kind);
      ASSERT_TRUE(again.ok()) << again.error().message;
      EXPECT_EQ(again->value, got->value);
    }
    ++checked;
  }
  EXPECT_GE(checked, 150);
}

TEST(Normalise, SafeBrowsingExpressions) {
  // The example from the Safe Browsing documentation.
  // (with a real top-level domain: "c" is none)
  auto url = normalise_url("http://a.b.co/1/2.html?param=1");
  ASSERT_TRUE(url.ok());
  std::vector<std::string> expected = {"a.b.co/1/2.html?param=1", "a.b.co/1/2.html", "a.b.co/", "a.b.co/1/",
                                       "b.co/1/2.html?param=1",   "b.co/1/2.html",   "b.co/",   "b.co/1/"};
  EXPECT_EQ(url_expressions(*url), expected);

  auto deep = normalise_url("http://a.b.c.d.e.f.gg/1.html");
  ASSERT_TRUE(deep.ok());
  std::vector<std::string> hosts;
  for (const auto& e : url_expressions(*deep))
    if (e.ends_with("/1.html")) hosts.push_back(e.substr(0, e.find('/')));
  EXPECT_EQ(hosts, (std::vector<std::string>{"a.b.c.d.e.f.gg", "c.d.e.f.gg", "d.e.f.gg", "e.f.gg", "f.gg"}));

  auto ip = normalise_url("http://1.2.3.4/1/");
  ASSERT_TRUE(ip.ok());
  EXPECT_EQ(url_expressions(*ip), (std::vector<std::string>{"1.2.3.4/1/", "1.2.3.4/"}));

  auto deep_path = normalise_url("http://example.co.uk/a/b/c/d/e/f.html");
  ASSERT_TRUE(deep_path.ok());
  auto all = url_expressions(*deep_path);
  EXPECT_LE(all.size(), 30u);
  EXPECT_EQ(all.front(), "example.co.uk/a/b/c/d/e/f.html");
  EXPECT_NE(std::find(all.begin(), all.end(), "co.uk/a/b/c/"), all.end());
  EXPECT_EQ(std::find(all.begin(), all.end(), "example.co.uk/a/b/c/d/"), all.end()) << "four path prefixes at most";

  EXPECT_EQ(url_expression("https://evil.example.net:8443/x?y=1"), "evil.example.net/x?y=1");
  EXPECT_EQ(url_host("https://evil.example.net:8443/x"), "evil.example.net");
  EXPECT_EQ(url_host("http://[2001:db8::1]:8080/"), "2001:db8::1");
}

TEST(Normalise, ListLines) {
  EXPECT_EQ(list_line_value("evil.example.net"), "evil.example.net");
  EXPECT_EQ(list_line_value("  evil.example.net  "), "evil.example.net");
  EXPECT_EQ(list_line_value("# a comment"), "");
  EXPECT_EQ(list_line_value("! adblock comment"), "");
  EXPECT_EQ(list_line_value(""), "");
  EXPECT_EQ(list_line_value("0.0.0.0 evil.example.net"), "evil.example.net");
  EXPECT_EQ(list_line_value("127.0.0.1\tevil.example.net # blocked"), "evil.example.net");
  EXPECT_EQ(list_line_value("||evil.example.net^"), "evil.example.net");
  EXPECT_EQ(list_line_value("||evil.example.net^$third-party"), "evil.example.net");
  EXPECT_EQ(list_line_value("192.0.2.0/24 # a network"), "192.0.2.0/24");
}

TEST(Normalise, AUrlBrokenAcrossLinesIsRefangedWhole) {
  // Found by fuzzing: the line break used to be dropped after refanging, so
  // the canonical form was not its own canonical form.
  auto got = normalise_indicator("hxx\npsexample[.]com:886/a/../bx?=%29#f", std::nullopt);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->kind, IndicatorKind::url);
  EXPECT_EQ(got->value, "http://httpsexample.com:886/bx?=)");
  auto again = normalise_indicator(got->value, got->kind);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->value, got->value);
}

}  // namespace
}  // namespace jaga
