// `jaga export`: feeds for resolvers and sensors from lists of indicators.
// For now from plain lists (--indicators); the store's indicators, with
// their TLP, come with the indicator store. Warninglisted values are never
// exported as malicious. The feed goes to stdout, the summary to stderr.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace jaga {

struct ExportOptions {
  std::string format = "rpz";
  std::vector<std::string> indicator_files;
  bool warninglists = true;
  std::string zone = "rpz.jaga";
  bool summary = true;
};

int run_export(const ExportOptions& options, FILE* out = stdout, FILE* err = stderr);

}  // namespace jaga
