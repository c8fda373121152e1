#include <gtest/gtest.h>

#include "monitor/content.h"

namespace jaga::monitor {
namespace {

TEST(PageContent, ReadsTitleVisibleTextAndHiddenTextApart) {
  auto page = read_page(R"(<html><head><title> Dinas Kesehatan
    Kota </title><script>var x = "not text";</script><style>p{}</style></head>
    <body><h1>Selamat datang</h1><p>Layanan   publik</p>
    <div style="DISPLAY: none"><a href="https://gacor.example/">slot gacor</a></div>
    <div style="position:absolute; left:-9999px">judi online</div>
    <span style="font-size:0px">toto togel</span><span style="font-size:0.9em">kecil</span>
    <p hidden>tersembunyi</p></body></html>)",
                        "https://dinkes.example.go.id/");
  EXPECT_EQ(page.title, "Dinas Kesehatan Kota");
  EXPECT_EQ(page.text, "Selamat datang Layanan publik kecil");
  EXPECT_EQ(page.hidden_text, "slot gacor judi online toto togel tersembunyi");
  EXPECT_EQ(page.external_link_text, "slot gacor");
  EXPECT_EQ(page.link_hosts, std::vector<std::string>{"gacor.example"});
}

TEST(PageContent, ListsTheHostsScriptsAndFramesComeFromButNotItsOwn) {
  auto page = read_page(R"(<script src="/js/app.js"></script><script src="https://dinkes.example.go.id/a.js"></script>
    <script src="//cdn.example.net/x.js"></script><script src="https://CDN.example.net:443/y.js"></script>
    <iframe src="http://evil.example/pay"></iframe><a href="/lokal">lokal</a><a href="#top">atas</a>)",
                        "https://dinkes.example.go.id/index.html");
  EXPECT_EQ(page.script_hosts, std::vector<std::string>{"cdn.example.net"});
  EXPECT_EQ(page.frame_hosts, std::vector<std::string>{"evil.example"});
  EXPECT_TRUE(page.link_hosts.empty());
  EXPECT_EQ(page.text, "lokal atas");
}

TEST(PageContent, StylesThatOnlyLookLikeHidingDoNotHide) {
  auto page = read_page(R"(<div style="max-height:0px">a</div><div style="left:-10px">b</div>
    <div style="height:0">c</div><div style="opacity:0.5">d</div><div style="height:0;overflow:hidden">e</div>)",
                        "http://x.example/");
  EXPECT_EQ(page.text, "a b c d");
  EXPECT_EQ(page.hidden_text, "e");
}

TEST(UrlHost, TakesTheHostOfAbsoluteAndProtocolRelativeUrlsOnly) {
  EXPECT_EQ(url_host("https://user:pw@Example.GO.id:8443/path?q#f"), "example.go.id");
  EXPECT_EQ(url_host("//cdn.example.net/x.js"), "cdn.example.net");
  EXPECT_EQ(url_host("http://[2001:db8::1]:8080/"), "[2001:db8::1]");
  EXPECT_EQ(url_host("http://example.com./"), "example.com");
  EXPECT_EQ(url_host("/relative/path"), "");
  EXPECT_EQ(url_host("javascript:alert(1)"), "");
  EXPECT_EQ(url_host("mailto:a@b.example"), "");
}

TEST(PageContent, SurvivesBrokenHtml) {
  auto page = read_page("<html><body><div><p>unclosed <b>bold <i>both</div></p><title>late", "http://x.example/");
  EXPECT_EQ(page.text, "unclosed bold both");
}

}  // namespace
}  // namespace jaga::monitor
