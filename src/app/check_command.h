// `jaga check URL`: one check of a website, everything the monitor looks at,
// printed as a readable report or (--json) one JSON object. Exits 0 when the
// site is up, 2 when it is down, 1 on bad input.
#pragma once

#include <string>

namespace jaga {

struct CheckCommandOptions {
  std::string url;
  bool json = false;
  std::string ca_file;          // trusted beside the system's authorities
  double timeout_seconds = 10;  // per request
  std::string rules_file;       // the agency's weights of the baseline rules
  std::string signatures_file;  // the desk's signatures, beside the shipped ones
};

int run_check(const CheckCommandOptions& options);

}  // namespace jaga
