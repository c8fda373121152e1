#include <gtest/gtest.h>

#include "monitor/learning.h"

namespace jaga::monitor {
namespace {

SiteCheck clean_page() {
  SiteCheck c;
  c.url = "https://disdik.contoh.go.id/";
  c.checked_at = "2026-12-03T10:00:00.000Z";
  c.up = true;
  c.status = 200;
  c.page.answered = true;
  c.analysis.content = read_page(
      "<html><head><title>Dinas Pendidikan</title><script src=https://cdn.contoh.go.id/app.js></script></head>"
      "<body><p>Penerimaan peserta didik baru dibuka tanggal 5 Januari.</p></body></html>",
      c.url);
  c.analysis.sketch = sketch_text(c.analysis.content.text);
  return c;
}

TEST(Learning, TheFirstCleanPageBecomesTheBaselineAndIsRelearntDaily) {
  auto check = clean_page();
  double now = 1'800'000'000;
  EXPECT_TRUE(learns_baseline(check, std::nullopt, now));
  EXPECT_FALSE(learns_baseline(check, now - 3600, now)) << "an hour-old baseline stays";
  EXPECT_TRUE(learns_baseline(check, now - 25 * 3600, now)) << "a day-old one follows the page";

  auto stored = stored_baseline(7, check);
  EXPECT_EQ(stored.site_id, 7);
  EXPECT_EQ(stored.title, "Dinas Pendidikan");
  EXPECT_EQ(stored.script_hosts, std::vector<std::string>{"cdn.contoh.go.id"});
  EXPECT_EQ(stored.learned_at, "2026-12-03T10:00:00.000Z");
  EXPECT_NE(stored.text.find("Penerimaan peserta didik"), std::string::npos);

  // Read back, it compares equal with the page it was learnt from.
  auto baseline = page_baseline(&stored, {});
  ASSERT_TRUE(baseline);
  std::optional<double> similar;
  SignatureMatcher signatures(shipped_signatures());
  auto findings = analyse_page(check.analysis.content, check.analysis.sketch, baseline.get(), signatures, &similar);
  EXPECT_TRUE(findings.empty());
  EXPECT_EQ(similar, 1.0);
}

TEST(Learning, APageWithFindingsAnErrorOrACutBodyIsNeverLearnt) {
  double now = 1'800'000'000;
  auto with_finding = clean_page();
  with_finding.analysis.findings.push_back({"spam-slot-gacor", "high", "Injected spam.", ""});
  EXPECT_FALSE(learns_baseline(with_finding, std::nullopt, now));
  auto error_page = clean_page();
  error_page.status = 503;
  error_page.up = false;
  EXPECT_FALSE(learns_baseline(error_page, std::nullopt, now));
  auto cut = clean_page();
  cut.page.body_cut = true;
  EXPECT_FALSE(learns_baseline(cut, std::nullopt, now));
  auto reused = clean_page();  // the monitor's kept analysis of an unchanged page, its words dropped
  reused.analysis.content.text.clear();
  EXPECT_FALSE(learns_baseline(reused, now - 25 * 3600, now));
}

TEST(Learning, KeywordsAloneMakeABaselineAndNothingMakesNone) {
  EXPECT_FALSE(page_baseline(nullptr, {}));
  auto keywords = page_baseline(nullptr, {"Dinas Pendidikan"});
  ASSERT_TRUE(keywords);
  EXPECT_TRUE(keywords->sketch.hashes.empty());
  EXPECT_EQ(keywords->keywords, std::vector<std::string>{"Dinas Pendidikan"});
}

}  // namespace
}  // namespace jaga::monitor
