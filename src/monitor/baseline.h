// The national web-security baseline: rules a site's HTTPS setup and
// response headers are held to, each finding explained with how to fix it,
// and one score from 0 to 100. The agency publishes its own standard by
// weighting or switching off rules in a file (parse_rule_weights). Pure.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "monitor/observation.h"
#include "monitor/security_txt.h"
#include "util/result.h"

namespace jaga::monitor {

struct Finding {
  std::string id;        // "baseline-hsts", "defacement-hacked-by", "availability-down", ...
  std::string severity;  // info, low, medium, high, critical
  std::string message;   // what is wrong, in a sentence
  std::string fix;       // how to put it right; may be empty
};

struct BaselineInput {
  const Exchange* page = nullptr;  // the page at the end of its redirects
  bool https_available = false;
  std::optional<bool> http_redirects_to_https;  // unknown when plain HTTP did not answer
  bool legacy_tls_accepted = false;             // TLS 1.0 or 1.1 completed a handshake
  const SecurityTxt* security_txt = nullptr;    // none: not found
  std::string_view security_txt_missing;        // why not, when none
};

struct Rule {
  std::string id;
  std::string title;
  int weight = 0;  // 0: switched off
};

// The rules in the order they are reported, with the default weights.
std::vector<Rule> default_rules();
// The same, made once and shared by every check that uses them.
std::shared_ptr<const std::vector<Rule>> shared_default_rules();

// "baseline-hsts = 5" or "baseline-csp = off", one per line (INI). Rules not
// named keep their default weight. Errors name the line.
Result<std::vector<Rule>> parse_rule_weights(std::string_view text);

struct RuleOutcome {
  std::string id;
  std::string title;
  int weight = 0;
  bool passed = false;
};

struct BaselineResult {
  std::vector<RuleOutcome> rules;
  std::vector<Finding> findings;  // one per failed rule
  int score = 0;                  // weight of passed rules, as a share of all, 0-100
};

BaselineResult evaluate_baseline(const BaselineInput& input, const std::vector<Rule>& rules);

}  // namespace jaga::monitor
