#include <gtest/gtest.h>

#include "monitor/alerts.h"

namespace jaga::monitor {
namespace {

SiteCheck answered(std::vector<Finding> findings) {
  SiteCheck c;
  c.url = "https://dinkes.contoh.go.id/";
  c.checked_at = "2026-12-03T10:00:00.000Z";
  c.up = true;
  c.status = 200;
  c.page.answered = true;
  c.analysis.content.title = "Dinas Kesehatan";
  c.analysis.content.text = "Selamat datang";
  c.findings = std::move(findings);
  return c;
}

std::vector<std::string> kinds(const SiteCheckRecord& r) {
  std::vector<std::string> out;
  for (const auto& p : r.problems) out.push_back(p.kind);
  return out;
}

TEST(Alerts, ASiteIsDownOnlyAfterEnoughFailuresInARowAndItsContentIsThenUnknown) {
  SiteCheck down;
  down.url = "https://dinkes.contoh.go.id/";
  down.checked_at = "2026-12-03T10:00:00.000Z";
  down.error = "timed out after 10.0 s";
  AlertRules rules;
  SiteCheckRecord first;
  judge_problems(down, 1, rules, first);
  EXPECT_TRUE(first.problems.empty());
  EXPECT_EQ(first.unknown, (std::vector<std::string>{"down", "defacement", "spam", "certificate"}));
  SiteCheckRecord third;
  judge_problems(down, 3, rules, third);
  ASSERT_EQ(kinds(third), std::vector<std::string>{"down"});
  EXPECT_EQ(third.problems[0].category, "availability:outage");
  EXPECT_EQ(third.problems[0].evidence,
            "The website monitor found https://dinkes.contoh.go.id/ down in 3 checks in a row, the last at "
            "2026-12-03T10:00:00.000Z: timed out after 10.0 s.");
  // High severity: response within 4 hours by the default SLA.
  EXPECT_EQ(third.problems[0].response_due, "2026-12-03T14:00:00.000Z");
}

TEST(Alerts, DefacementSpamAndCertificateFindingsBecomeTheirProblems) {
  auto check = answered({{"defacement-hacked-by", "critical", "Defacement signature \"hacked by\" in the page's text.", ""},
                         {"spam-slot-gacor", "high", "Injected spam \"slot gacor\" in text hidden from visitors.", ""},
                         {"certificate-expiring", "medium", "The certificate expires in 20 days.", ""},
                         {"baseline-csp", "medium", "There is no Content-Security-Policy header.", ""}});
  SiteCheckRecord r;
  judge_problems(check, 0, AlertRules{}, r);
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"defacement", "spam"}));
  EXPECT_TRUE(r.unknown.empty()) << "a healthy answer says the site is not down";
  EXPECT_EQ(r.problems[0].severity, "critical");
  EXPECT_NE(r.problems[0].evidence.find("The page's title: Dinas Kesehatan\nIts text: Selamat datang"), std::string::npos);

  auto week = answered({{"certificate-expiring", "high", "The certificate expires in 5 days.", ""}});
  SiteCheckRecord soon;
  judge_problems(week, 0, AlertRules{}, soon);
  EXPECT_EQ(kinds(soon), std::vector<std::string>{"certificate"});
  EXPECT_EQ(soon.problems[0].evidence.find("Its text"), std::string::npos) << "a certificate needs no copy of the page";
  EXPECT_TRUE(soon.problems[0].page_copy.empty());
}

TEST(Alerts, DefacementAndSpamCarryThePageAsServed) {
  auto check = answered({{"spam-slot-gacor", "high", "Injected spam \"slot gacor\".", ""}});
  check.page.body = "<html><title>Dinas Kesehatan</title><div style=display:none>slot gacor</div></html>";
  check.final_url = "https://dinkes.contoh.go.id/beranda";
  SiteCheckRecord r;
  judge_problems(check, 0, AlertRules{}, r);
  ASSERT_EQ(kinds(r), std::vector<std::string>{"spam"});
  EXPECT_EQ(r.problems[0].page_copy, check.page.body);
  EXPECT_EQ(r.problems[0].page_text, "Selamat datang");
  EXPECT_EQ(r.problems[0].page_url, "https://dinkes.contoh.go.id/beranda");
}

TEST(Alerts, AChangedTitleAloneIsAFindingButNoIncident) {
  Finding title{"defacement-title-changed", "medium", "The page title is \"Beranda\", not \"Dinas Kesehatan\".", ""};
  SiteCheckRecord alone;
  judge_problems(answered({title}), 0, AlertRules{}, alone);
  EXPECT_TRUE(alone.problems.empty());
  EXPECT_TRUE(alone.unknown.empty()) << "no defacement: an open alert of one closes";

  SiteCheckRecord with_replaced;
  judge_problems(answered({title, {"defacement-content-replaced", "high", "Only 3% of the page's text is still its baseline's.", ""}}),
                 0, AlertRules{}, with_replaced);
  ASSERT_EQ(kinds(with_replaced), std::vector<std::string>{"defacement"});
  EXPECT_NE(with_replaced.problems[0].evidence.find("defacement-title-changed"), std::string::npos)
      << "the title goes into the evidence of a defacement";
}

}  // namespace
}  // namespace jaga::monitor
