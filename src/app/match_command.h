// `jaga match`: streams logs (files or stdin, gzip or plain) through the
// indicator matcher on every core and writes one JSON line per hit on stdout,
// in log order. Progress (on a terminal) and the closing summary go to
// stderr, so that stdout holds hits and nothing else. Memory stays bounded:
// a few chunks of 1 MiB per thread, whatever the size of the input.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "intel/log_match.h"
#include "store/store.h"

namespace jaga {

struct MatchOptions {
  std::vector<std::string> indicator_files;  // plain lists, one indicator per line
  // Or the store's active indicators (not warninglisted, not expired,
  // vouched for by more than a citizen's report); hits then carry the
  // indicator's sources, incidents, id and TLP.
  Store* store = nullptr;
  std::vector<std::string> logs;             // none, or "-": stdin
  LogFormat format = LogFormat::dns;
  bool warninglists = true;
  int threads = 0;           // 0: one per core
  bool progress = false;     // redraw a progress line on stderr
  bool summary = true;       // the closing summary on stderr
  size_t chunk_bytes = 1 << 20;
};

// Runs the whole command; answers the exit code. Errors are one line on stderr.
int run_match(const MatchOptions& options, FILE* out = stdout, FILE* err = stderr);

}  // namespace jaga
