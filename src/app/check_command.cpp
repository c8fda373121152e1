#include "app/check_command.h"

#include <cstdio>

#include "monitor/check.h"
#include "util/file.h"

namespace jaga {

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "jaga: %s\n", message.c_str());
  return 1;
}

}  // namespace

int run_check(const CheckCommandOptions& options) {
  auto url = monitor::check_url(options.url);
  if (!url) return fail(url.error().message);
  if (options.timeout_seconds <= 0 || options.timeout_seconds > 300)
    return fail("--timeout must be more than 0 and at most 300 seconds");
  monitor::CheckOptions check;
  check.ca_file = options.ca_file;
  check.timeout_ms = static_cast<long>(options.timeout_seconds * 1000);
  if (!options.rules_file.empty()) {
    auto text = read_whole_file(options.rules_file);
    if (!text) return fail("--rules: " + text.error().message);
    auto rules = monitor::parse_rule_weights(*text);
    if (!rules) return fail(options.rules_file + ": " + rules.error().message);
    check.rules = std::make_shared<const std::vector<monitor::Rule>>(std::move(*rules));
  }
  auto signatures = monitor::shipped_signatures();
  if (!options.signatures_file.empty()) {
    auto text = read_whole_file(options.signatures_file);
    if (!text) return fail("--signatures: " + text.error().message);
    auto own = monitor::parse_signatures(*text, options.signatures_file);
    if (!own) return fail(own.error().message);
    signatures.insert(signatures.end(), own->begin(), own->end());
  }
  monitor::SignatureMatcher matcher(std::move(signatures));
  check.signatures = &matcher;

  monitor::Prober prober;
  monitor::SiteCheck result;
  monitor::start_check(prober, *url, std::move(check), [&](monitor::SiteCheck c) { result = std::move(c); });
  prober.run();
  std::string out = options.json ? monitor::check_json(result) + "\n" : monitor::check_text(result);
  std::fputs(out.c_str(), stdout);
  return result.up ? 0 : 2;
}

}  // namespace jaga
