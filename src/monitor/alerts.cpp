#include "monitor/alerts.h"

#include "util/time.h"

namespace jaga::monitor {

namespace {

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

// The findings as lines, and the page's own words, for the incident's timeline.
std::string evidence_of(const SiteCheck& check, const std::vector<const Finding*>& findings, bool with_page) {
  std::string out = "Seen by the website monitor at " + check.checked_at + " on " + check.url + ":";
  for (const Finding* f : findings) out += "\n- " + f->id + ": " + f->message;
  if (with_page) {
    out += "\n\nThe page's title: " + check.analysis.content.title;
    std::string text = check.analysis.content.text.substr(0, 2000);
    out += "\nIts text" + std::string(check.analysis.content.text.size() > 2000 ? " (the first 2,000 characters)" : "") + ": " + text;
    if (!check.analysis.content.hidden_text.empty())
      out += "\nText hidden from visitors: " + check.analysis.content.hidden_text.substr(0, 1000);
  }
  return out;
}

}  // namespace

void judge_problems(const SiteCheck& check, int failures_in_row, const AlertRules& rules, SiteCheckRecord& record) {
  auto add = [&](std::string kind, Severity severity, std::string category, std::string title, std::string evidence) {
    SiteProblem p{std::move(kind), std::string(to_string(severity)), std::move(category), std::move(title),
                  std::move(evidence), "", ""};
    auto when = parse_rfc3339(check.checked_at).value_or(Clock::now());
    std::tie(p.response_due, p.resolution_due) = sla_due(rules.sla, severity, when);
    record.problems.push_back(std::move(p));
  };
  if (!check.up) {
    if (failures_in_row >= rules.down_after) {
      std::string why = check.page.answered ? "it answered " + std::to_string(check.status) : check.error;
      add("down", Severity::high, "availability:outage", "Website down: " + check.url,
          "The website monitor found " + check.url + " down in " + std::to_string(failures_in_row) +
              " checks in a row, the last at " + check.checked_at + ": " + why + ".");
    } else {
      record.unknown.push_back("down");
    }
  }
  if (!check.page.answered) {
    // No page: nothing to say of its content or, without a handshake, its certificate.
    for (const char* kind : {"defacement", "spam", "certificate"}) record.unknown.push_back(kind);
    return;
  }
  std::vector<const Finding*> defacement, spam, certificate;
  bool defaced = false;  // a changed title alone is worth a finding, not an incident
  for (const auto& f : check.findings) {
    if (starts_with(f.id, "defacement") || starts_with(f.id, "content-new-")) {
      defacement.push_back(&f);
      defaced = defaced || f.id != "defacement-title-changed";
    }
    else if (starts_with(f.id, "spam")) spam.push_back(&f);
    else if (f.id == "certificate-expired" || f.id == "certificate-invalid" ||
             (f.id == "certificate-expiring" && f.severity == "high"))
      certificate.push_back(&f);
  }
  if (defaced)
    add("defacement", Severity::critical, "intrusions:application-compromise", "Website defaced: " + check.url,
        evidence_of(check, defacement, true));
  if (!spam.empty())
    add("spam", Severity::high, "intrusions:application-compromise", "Gambling or spam injected: " + check.url,
        evidence_of(check, spam, true));
  // The page itself, kept when the alert opens, and its text for the diff with the baseline.
  for (auto& p : record.problems) {
    if (p.kind != "defacement" && p.kind != "spam") continue;
    p.page_copy = check.page.body;
    p.page_text = check.analysis.content.text;
    p.page_url = check.final_url.empty() ? check.url : check.final_url;
  }
  if (!certificate.empty())
    add("certificate", Severity::medium, "availability:misconfiguration", "Certificate problem: " + check.url,
        evidence_of(check, certificate, false));
}

}  // namespace jaga::monitor
