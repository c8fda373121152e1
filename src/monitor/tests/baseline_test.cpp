#include <gtest/gtest.h>

#include <algorithm>

#include "monitor/baseline.h"
#include "monitor/security_txt.h"
#include "util/time.h"

namespace jaga::monitor {
namespace {

Exchange good_page() {
  Exchange e;
  e.url = "https://dinkes.example.go.id/";
  e.answered = true;
  e.status = 200;
  e.tls_version = "TLSv1.3";
  e.certificate.present = true;
  e.certificate.valid = true;
  e.headers = {{"server", "nginx"},
               {"strict-transport-security", "max-age=63072000; includeSubDomains"},
               {"content-security-policy", "default-src 'self'; frame-ancestors 'self'"},
               {"x-content-type-options", "nosniff"},
               {"referrer-policy", "strict-origin-when-cross-origin"},
               {"set-cookie", "session=abc; Path=/; Secure; HttpOnly; SameSite=Lax"}};
  return e;
}

const SecurityTxt valid_security_txt =
    read_security_txt("Contact: mailto:csirt@example.go.id\nExpires: 2099-01-01T00:00:00Z\n", 0);

BaselineInput input_for(const Exchange& page) {
  BaselineInput in;
  in.page = &page;
  in.https_available = true;
  in.http_redirects_to_https = true;
  in.security_txt = &valid_security_txt;
  return in;
}

std::vector<std::string> failed(const BaselineResult& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(f.id);
  return out;
}

TEST(Baseline, AWellSetUpSiteScoresFullMarksWithoutFindings) {
  Exchange page = good_page();
  auto result = evaluate_baseline(input_for(page), default_rules());
  EXPECT_TRUE(result.findings.empty()) << result.findings.front().message;
  EXPECT_EQ(result.score, 100);
  EXPECT_EQ(result.rules.size(), default_rules().size());
}

TEST(Baseline, EachMissingProtectionIsAFindingWithItsFix) {
  Exchange page = good_page();
  page.headers = {{"server", "Apache/2.4.41 (Ubuntu)"},
                  {"x-powered-by", "PHP/7.4.3"},
                  {"strict-transport-security", "max-age=300"},
                  {"referrer-policy", "unsafe-url"},
                  {"set-cookie", "PHPSESSID=1; path=/"}};
  BaselineInput in = input_for(page);
  in.http_redirects_to_https = false;
  in.legacy_tls_accepted = true;
  in.security_txt = nullptr;
  in.security_txt_missing = "the server answered 404";
  auto result = evaluate_baseline(in, default_rules());
  EXPECT_EQ(failed(result), (std::vector<std::string>{"baseline-http-redirect", "baseline-hsts", "baseline-tls-version",
                                                      "baseline-csp", "baseline-content-type-options",
                                                      "baseline-frame-protection", "baseline-referrer-policy",
                                                      "baseline-cookies", "baseline-security-txt",
                                                      "baseline-server-version"}));
  for (const auto& f : result.findings) EXPECT_FALSE(f.fix.empty()) << f.id;
  auto message = [&](const std::string& id) {
    return std::find_if(result.findings.begin(), result.findings.end(), [&](const Finding& f) { return f.id == id; })->message;
  };
  EXPECT_EQ(message("baseline-hsts"), "Strict-Transport-Security max-age is 300 s, under one year.");
  EXPECT_EQ(message("baseline-cookies"), "Cookies without their protections: PHPSESSID (no Secure, HttpOnly, SameSite).");
  EXPECT_EQ(message("baseline-server-version"),
            "The server discloses its software version (server: Apache/2.4.41 (Ubuntu); x-powered-by: PHP/7.4.3).");
  EXPECT_EQ(message("baseline-security-txt"), "There is no /.well-known/security.txt (the server answered 404).");
  // HTTPS and the certificate passed: 3 + 3 of 23.
  EXPECT_EQ(result.score, 26);
}

TEST(Baseline, TheAgencyWeighsAndSwitchesOffRules) {
  auto rules = parse_rule_weights("# our standard\nbaseline-csp = off\nbaseline-hsts = 10\n");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  Exchange page = good_page();
  page.headers.erase(page.headers.begin() + 1, page.headers.begin() + 3);  // no HSTS, no CSP
  auto result = evaluate_baseline(input_for(page), *rules);
  EXPECT_EQ(failed(result), (std::vector<std::string>{"baseline-hsts", "baseline-frame-protection"}));
  EXPECT_EQ(result.rules.size(), default_rules().size() - 1);
  // 29 in all (23, less CSP's 2, HSTS 10 instead of 2); HSTS and frame protection (2) failed.
  EXPECT_EQ(result.score, 59);

  auto unknown = parse_rule_weights("baseline-dnssec = 3\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message.rfind("line 1: there is no rule 'baseline-dnssec' (the rules: baseline-https,", 0), 0u);
  auto bad = parse_rule_weights("\nbaseline-csp = lots\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "line 2: the weight of baseline-csp must be a whole number from 0 to 100 or \"off\"");
}

TEST(SecurityTxt, AValidSignedFileHasNoProblems) {
  auto txt = read_security_txt(
      "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n# CSIRT\nContact: mailto:csirt@example.go.id\n"
      "Contact: https://example.go.id/lapor\nExpires: 2099-12-31T23:59:59.000Z\nPreferred-Languages: id, en\n"
      "-----BEGIN PGP SIGNATURE-----\nwsFzBAEBCAAnBQJ\n-----END PGP SIGNATURE-----\n",
      unix_seconds());
  EXPECT_TRUE(txt.problems.empty()) << txt.problems.front();
  EXPECT_EQ(txt.contacts, (std::vector<std::string>{"mailto:csirt@example.go.id", "https://example.go.id/lapor"}));
}

TEST(SecurityTxt, EachProblemIsNamed) {
  auto expired = read_security_txt("Contact: mailto:a@b.example\nExpires: 2020-01-01T00:00:00Z\n", unix_seconds());
  EXPECT_EQ(expired.problems, std::vector<std::string>{"The file expired on 2020-01-01T00:00:00Z."});
  auto bare = read_security_txt("Contact: http://b.example/report\nsomething else\n", unix_seconds());
  EXPECT_EQ(bare.problems,
            (std::vector<std::string>{"Contact http://b.example/report must use https://, not http:// (RFC 9116, 2.5.3).",
                                      "Line 2 is neither a field (\"Name: value\") nor a comment.",
                                      "There is no Expires field; RFC 9116 requires one."}));
  auto twice = read_security_txt("Expires: 2099-01-01T00:00:00Z\nExpires: 2098-01-01T00:00:00Z\n", unix_seconds());
  EXPECT_EQ(twice.problems, (std::vector<std::string>{"There is no Contact field; RFC 9116 requires at least one.",
                                                      "Expires appears 2 times; RFC 9116 allows it once."}));
  auto html = read_security_txt("<html><body>Not found</body></html>", unix_seconds());
  EXPECT_EQ(html.problems.size(), 3u);
}

}  // namespace
}  // namespace jaga::monitor
