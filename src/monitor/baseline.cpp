#include "monitor/baseline.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "util/text.h"
#include "util/ini.h"

namespace jaga::monitor {

namespace {

bool has_digit(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// The max-age of a Strict-Transport-Security value, or -1.
long long hsts_max_age(const std::string& value) {
  std::string v = to_lower_ascii(value);
  size_t at = v.find("max-age");
  if (at == std::string::npos) return -1;
  at = v.find('=', at);
  if (at == std::string::npos) return -1;
  ++at;
  while (at < v.size() && (v[at] == ' ' || v[at] == '"')) ++at;
  if (at >= v.size() || !std::isdigit(static_cast<unsigned char>(v[at]))) return -1;
  return std::strtoll(v.c_str() + at, nullptr, 10);
}

struct Judgement {
  bool passed;
  std::string message;  // when not passed
  std::string fix;
};

// A rule's severity follows its default weight: 3 high, 2 medium, 1 low.
std::string severity_of(int default_weight) {
  return default_weight >= 3 ? "high" : default_weight == 2 ? "medium" : "low";
}

constexpr long long kOneYear = 31536000;

Judgement judge(const std::string& id, const BaselineInput& in) {
  const Exchange& page = *in.page;
  if (id == "baseline-https") {
    if (in.https_available) return {true, "", ""};
    return {false, "The site does not answer over HTTPS.",
            "Serve the site over HTTPS with a certificate from a trusted authority (free ones exist)."};
  }
  if (id == "baseline-http-redirect") {
    if (in.http_redirects_to_https.value_or(true)) return {true, "", ""};
    return {false, "Plain HTTP does not redirect to HTTPS.",
            "Answer every http:// request with a 301 redirect to the same path on https://."};
  }
  if (id == "baseline-hsts") {
    std::string value = page.header("strict-transport-security");
    long long age = value.empty() ? -1 : hsts_max_age(value);
    if (age >= kOneYear) return {true, "", ""};
    std::string message = value.empty() ? "There is no Strict-Transport-Security header."
                                        : "Strict-Transport-Security max-age is " + std::to_string(std::max(age, 0LL)) +
                                              " s, under one year.";
    return {false, message, "Send \"Strict-Transport-Security: max-age=31536000; includeSubDomains\" over HTTPS."};
  }
  if (id == "baseline-tls-version") {
    if (in.legacy_tls_accepted)
      return {false, "The server still accepts TLS 1.0 or 1.1.",
              "Allow only TLS 1.2 and 1.3 (nginx: ssl_protocols TLSv1.2 TLSv1.3;)."};
    if (page.tls_version == "TLSv1" || page.tls_version == "TLSv1.1")
      return {false, "The page was served over " + page.tls_version + ".", "Allow only TLS 1.2 and 1.3."};
    return {true, "", ""};
  }
  if (id == "baseline-certificate") {
    if (!page.certificate.present || page.certificate.valid) return {true, "", ""};
    return {false, "The certificate is not valid: " + page.certificate.error + ".",
            "Install a certificate for this name from a trusted authority, with its intermediate certificates."};
  }
  if (id == "baseline-csp") {
    if (!page.header("content-security-policy").empty()) return {true, "", ""};
    return {false, "There is no Content-Security-Policy header.",
            "Send a Content-Security-Policy that names where scripts may come from, e.g. \"default-src 'self'\"."};
  }
  if (id == "baseline-content-type-options") {
    if (to_lower_ascii(page.header("x-content-type-options")) == "nosniff") return {true, "", ""};
    return {false, "X-Content-Type-Options is not \"nosniff\".", "Send \"X-Content-Type-Options: nosniff\"."};
  }
  if (id == "baseline-frame-protection") {
    std::string frame = to_lower_ascii(page.header("x-frame-options"));
    bool by_csp = to_lower_ascii(page.header("content-security-policy")).find("frame-ancestors") != std::string::npos;
    if (by_csp || frame == "deny" || frame == "sameorigin") return {true, "", ""};
    return {false, "Other sites may frame the page (no X-Frame-Options or CSP frame-ancestors).",
            "Send \"X-Frame-Options: DENY\" or a Content-Security-Policy with frame-ancestors 'self'."};
  }
  if (id == "baseline-referrer-policy") {
    std::string value = to_lower_ascii(page.header("referrer-policy"));
    if (!value.empty() && value != "unsafe-url" && value != "no-referrer-when-downgrade") return {true, "", ""};
    return {false,
            value.empty() ? "There is no Referrer-Policy header." : "Referrer-Policy \"" + value + "\" leaks full addresses.",
            "Send \"Referrer-Policy: strict-origin-when-cross-origin\" (or stricter)."};
  }
  if (id == "baseline-cookies") {
    std::vector<std::string> weak;
    for (const auto& [name, value] : page.headers) {
      if (name != "set-cookie") continue;
      std::string v = to_lower_ascii(value);
      std::string cookie = value.substr(0, value.find('='));
      std::vector<std::string> missing;
      if (v.find("secure") == std::string::npos) missing.push_back("Secure");
      if (v.find("httponly") == std::string::npos) missing.push_back("HttpOnly");
      if (v.find("samesite") == std::string::npos) missing.push_back("SameSite");
      if (missing.empty()) continue;
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      weak.push_back(cookie + " (no " + list + ")");
    }
    if (weak.empty()) return {true, "", ""};
    std::string names;
    for (const auto& w : weak) names += (names.empty() ? "" : "; ") + w;
    return {false, "Cookies without their protections: " + names + ".",
            "Set every cookie with Secure, HttpOnly (unless scripts must read it) and SameSite=Lax or Strict."};
  }
  if (id == "baseline-security-txt") {
    if (!in.security_txt)
      return {false, "There is no /.well-known/security.txt (" + std::string(in.security_txt_missing) + ").",
              "Publish /.well-known/security.txt (RFC 9116) with a Contact and an Expires less than a year ahead."};
    if (in.security_txt->problems.empty()) return {true, "", ""};
    std::string problems;
    for (const auto& p : in.security_txt->problems) problems += (problems.empty() ? "" : " ") + p;
    return {false, "security.txt is not valid: " + problems, "Correct the file as RFC 9116 describes."};
  }
  if (id == "baseline-server-version") {
    std::vector<std::string> disclosed;
    for (const char* name : {"server", "x-powered-by", "x-aspnet-version", "x-generator"}) {
      std::string value = page.header(name);
      if (!value.empty() && has_digit(value)) disclosed.push_back(std::string(name) + ": " + value);
    }
    if (disclosed.empty()) return {true, "", ""};
    std::string list;
    for (const auto& d : disclosed) list += (list.empty() ? "" : "; ") + d;
    return {false, "The server discloses its software version (" + list + ").",
            "Hide versions (nginx: server_tokens off; PHP: expose_php = Off; remove X-Powered-By)."};
  }
  return {true, "", ""};
}

}  // namespace

std::vector<Rule> default_rules() {
  return {
      {"baseline-https", "HTTPS available", 3},
      {"baseline-http-redirect", "HTTP redirects to HTTPS", 2},
      {"baseline-hsts", "HSTS with max-age of a year or more", 2},
      {"baseline-tls-version", "Only TLS 1.2 or newer", 3},
      {"baseline-certificate", "Certificate valid", 3},
      {"baseline-csp", "Content-Security-Policy", 2},
      {"baseline-content-type-options", "X-Content-Type-Options: nosniff", 1},
      {"baseline-frame-protection", "Frame protection", 2},
      {"baseline-referrer-policy", "Referrer-Policy", 1},
      {"baseline-cookies", "Cookies Secure, HttpOnly and SameSite", 2},
      {"baseline-security-txt", "security.txt present, valid and current", 1},
      {"baseline-server-version", "No server version disclosed", 1},
  };
}

std::shared_ptr<const std::vector<Rule>> shared_default_rules() {
  static const auto rules = std::make_shared<const std::vector<Rule>>(default_rules());
  return rules;
}

Result<std::vector<Rule>> parse_rule_weights(std::string_view text) {
  auto entries = parse_ini(text);
  if (!entries) return entries.error();
  auto rules = default_rules();
  for (const auto& e : *entries) {
    auto rule = std::find_if(rules.begin(), rules.end(), [&](const Rule& r) { return r.id == e.key; });
    std::string where = "line " + std::to_string(e.line) + ": ";
    if (rule == rules.end()) {
      std::string known;
      for (const auto& r : default_rules()) known += (known.empty() ? "" : ", ") + r.id;
      return Error::invalid(where + "there is no rule '" + e.key + "' (the rules: " + known + ")");
    }
    if (e.value == "off") {
      rule->weight = 0;
      continue;
    }
    char* end = nullptr;
    long weight = std::strtol(e.value.c_str(), &end, 10);
    if (e.value.empty() || *end != '\0' || weight < 0 || weight > 100)
      return Error::invalid(where + "the weight of " + e.key + " must be a whole number from 0 to 100 or \"off\"");
    rule->weight = static_cast<int>(weight);
  }
  return rules;
}

BaselineResult evaluate_baseline(const BaselineInput& input, const std::vector<Rule>& rules) {
  BaselineResult result;
  if (!input.page) return result;
  const std::vector<Rule>& defaults = *shared_default_rules();
  result.rules.reserve(rules.size());
  int total = 0, passed_weight = 0;
  for (const auto& rule : rules) {
    if (rule.weight == 0) continue;
    Judgement j = judge(rule.id, input);
    result.rules.push_back({rule.id, rule.title, rule.weight, j.passed});
    total += rule.weight;
    if (j.passed) {
      passed_weight += rule.weight;
      continue;
    }
    auto standard = std::find_if(defaults.begin(), defaults.end(), [&](const Rule& r) { return r.id == rule.id; });
    result.findings.push_back({rule.id, severity_of(standard == defaults.end() ? 1 : standard->weight), j.message, j.fix});
  }
  result.score = total == 0 ? 100 : static_cast<int>(std::lround(100.0 * passed_weight / total));
  return result;
}

}  // namespace jaga::monitor
