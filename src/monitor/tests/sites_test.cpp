#include <gtest/gtest.h>

#include "monitor/sites.h"

namespace jaga::monitor {
namespace {

std::string error_of(std::string_view csv) {
  auto r = read_sites_csv(csv);
  return r.ok() ? "accepted" : r.error().message;
}

TEST(SitesCsv, ReadsColumnsInAnyOrderWithDefaultsAndWritesBackTheSame) {
  auto sites = read_sites_csv(
      "Tags,URL,organisation,keywords\r\n"
      "pemda; jabar ,www.jabarprov.go.id,Pemerintah Provinsi Jawa Barat,Jawa Barat;Gubernur\r\n"
      ",http://dinkes.bandung.go.id/layanan,,\r\n");
  ASSERT_TRUE(sites.ok()) << sites.error().message;
  ASSERT_EQ(sites->size(), 2u);
  const Site& a = (*sites)[0];
  EXPECT_EQ(a.url, "https://www.jabarprov.go.id/");
  EXPECT_EQ(a.organisation, "Pemerintah Provinsi Jawa Barat");
  EXPECT_EQ(a.interval_seconds, 300);
  EXPECT_EQ(a.keywords, (std::vector<std::string>{"Jawa Barat", "Gubernur"}));
  EXPECT_EQ(a.tags, (std::vector<std::string>{"pemda", "jabar"}));
  EXPECT_TRUE(a.enabled);
  EXPECT_EQ((*sites)[1].url, "http://dinkes.bandung.go.id/layanan");
  auto again = read_sites_csv(sites_csv(*sites));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(sites_csv(*again), sites_csv(*sites));
}

TEST(SitesCsv, EachBadRowIsNamedByItsLine) {
  EXPECT_EQ(error_of(""), "the file is empty: the first line must name the columns (url, ...)");
  EXPECT_EQ(error_of("site\nx\n"),
            "line 1: unknown column 'site' (the columns: url, organisation, interval_seconds, keywords, tags, enabled)");
  EXPECT_EQ(error_of("tags\nx\n"), "line 1: there is no url column");
  EXPECT_EQ(error_of("url,url\nx,y\n"), "line 1: the column 'url' is named twice");
  EXPECT_EQ(error_of("url\nexample.go.id\nftp://example.go.id/\n"),
            "line 3: only http:// and https:// sites can be checked, not ftp://");
  EXPECT_EQ(error_of("url,interval_seconds\nexample.go.id,10\n"),
            "line 2: the interval must be from 30 to 86400 seconds, not 10");
  EXPECT_EQ(error_of("url,interval_seconds\nexample.go.id,5m\n"), "line 2: interval_seconds '5m' is not a whole number");
  EXPECT_EQ(error_of("url,enabled\nexample.go.id,maybe\n"), "line 2: enabled must be yes or no, not 'maybe'");
  EXPECT_EQ(error_of("url\nexample.go.id\nhttps://example.go.id/\n"),
            "line 3: https://example.go.id/ is already on line 2");
}

TEST(SitesCsv, AnOrganisationsDomainsBecomeItsSites) {
  Organisation o;
  o.name = "Kementerian Keuangan";
  o.domains = {"kemenkeu.go.id", "pajak.go.id"};
  auto sites = sites_for_domains(o, 600);
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites[1].url, "https://pajak.go.id/");
  EXPECT_EQ(sites[1].organisation, "Kementerian Keuangan");
  EXPECT_EQ(sites[1].interval_seconds, 600);
}

}  // namespace
}  // namespace jaga::monitor
