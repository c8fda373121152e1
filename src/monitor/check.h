// One check of a website, everything the monitor looks at: availability
// and latency through the redirect chain, each address family the name
// has, the certificate and TLS versions, the page's content against its
// baseline and the signatures, and the web-security baseline with its
// score. start_check runs on a Prober beside many others; analyse_page and
// the report formats are pure.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "monitor/baseline.h"
#include "monitor/content.h"
#include "monitor/observation.h"
#include "monitor/probe.h"
#include "monitor/signatures.h"
#include "monitor/similarity.h"

namespace jaga::monitor {

// What a site's page is known to look like when it is well.
struct PageBaseline {
  TextSketch sketch;
  std::string title;
  std::vector<std::string> script_hosts, frame_hosts;
  std::vector<std::string> keywords;  // must appear in the page's text
  double min_similarity = 0.35;       // below it the page counts as replaced
};

struct AddressCheck {
  std::string family;  // "ipv4" or "ipv6"
  std::string ip;
  bool up = false;
  long status = 0;
  double total_ms = 0;
  std::string error;
};

// What a check learns beside the page, which changes seldom: whether HTTPS
// answers, old TLS is still accepted, plain HTTP redirects, security.txt,
// and each address family. The scheduled monitor fetches it now and then
// and judges the checks in between with what it last learnt.
struct SiteExtras {
  bool https_available = false;
  bool legacy_tls_accepted = false;
  std::optional<bool> http_redirects_to_https;
  std::optional<SecurityTxt> security_txt;
  std::string security_txt_missing = "not fetched";
  std::vector<AddressCheck> addresses;
};

// A page's content as analysed, kept by the scheduled monitor: a check
// whose page is byte for byte the one analysed before (most government
// pages between two checks) reuses the analysis instead of parsing again.
struct PageAnalysis {
  uint64_t body_hash = 0;
  PageContent content;
  TextSketch sketch;
  std::vector<Finding> findings;  // of the content alone (signatures, baseline of the page)
  std::optional<double> similarity;
};

struct CheckOptions {
  std::string ca_file;
  long timeout_ms = 10000;
  int max_redirects = 10;
  const SignatureMatcher* signatures = nullptr;
  // Shared, not copied: the scheduled monitor gives the same ones to every check.
  std::shared_ptr<const std::vector<Rule>> rules = shared_default_rules();
  std::shared_ptr<const PageBaseline> baseline;
  bool check_address_families = true;
  // Without extras the check fetches the page alone and judges it with
  // `previous_extras` (what an earlier check learnt).
  bool extras = true;
  std::optional<SiteExtras> previous_extras;
  // The analysis of the page at the last check (it must have been made
  // with the same signatures and baseline). The check takes it over: the
  // result's analysis is this one when the page is unchanged.
  std::optional<PageAnalysis> previous_analysis;
  int certificate_warn_days = 30, certificate_alarm_days = 7;
};


struct SiteCheck {
  std::string url;
  std::string final_url;
  bool up = false;
  long status = 0;
  std::string error;
  std::vector<std::string> redirects;  // every URL that redirected, in order
  Exchange page;                       // the last answer of the chain
  std::vector<AddressCheck> addresses;
  bool https_available = false;
  bool legacy_tls_accepted = false;
  BaselineResult baseline;
  std::vector<Finding> findings;  // availability, certificate, content, then baseline
  int score = 0;
  std::string checked_at;  // RFC 3339
  SiteExtras extras;       // fetched by this check, or the previous ones it was judged with
  PageAnalysis analysis;   // of this check's page: its content, sketch and similarity to the baseline
};

void start_check(Prober& prober, const std::string& url, CheckOptions options, std::function<void(SiteCheck)> done);

// A URL a person typed ("example.go.id", "https://example.go.id/"), made
// absolute; an error names what is wrong with it.
Result<std::string> check_url(std::string_view text);

// The findings of a page's content: signatures of defacement and spam, and
// the differences from its baseline.
std::vector<Finding> analyse_page(const PageContent& content, const TextSketch& sketch, const PageBaseline* baseline,
                                  const SignatureMatcher& signatures, std::optional<double>* similarity_out = nullptr);

std::string check_json(const SiteCheck& check);  // one JSON object (the CLI's --json)
std::string findings_json(const std::vector<Finding>& findings);  // the findings alone, a JSON list
// The same number for the same findings in the same order: whether a site's
// findings changed since its last check, without keeping them.
uint64_t findings_digest(const std::vector<Finding>& findings);
std::string check_text(const SiteCheck& check);  // the readable report

}  // namespace jaga::monitor
