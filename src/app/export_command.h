// `jaga export`: feeds for resolvers, sensors and partners on stdout: a DNS
// RPZ zone, a plain list, CSV, a STIX 2.1 bundle or Suricata rules. From the
// store (what may be shared at --tlp, neither warninglisted nor expired, and
// vouched for by more than a citizen's report; audited), or from plain lists
// given with --indicators. The summary goes to stderr.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "model/incident.h"
#include "store/store.h"

namespace jaga {

struct ExportOptions {
  std::string format = "rpz";
  std::vector<std::string> indicator_files;  // empty: the store's indicators
  Tlp max_tlp = Tlp::green;
  bool warninglists = true;  // for lists; the store flags them at import
  std::string zone = "rpz.jaga";
  bool summary = true;
};

// Checks the options that need no store; the error is the line to print.
std::string export_option_error(const ExportOptions& options);
// `store` is used only when no --indicators are given.
int run_export(const ExportOptions& options, Store* store, FILE* out = stdout, FILE* err = stderr);

}  // namespace jaga
