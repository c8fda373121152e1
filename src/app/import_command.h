// `jaga import FILE...`: indicator files into the store. Plain lists, CSV,
// STIX 2.1 bundles, MISP events, and MISP feeds (a directory holding
// manifest.json and one <uuid>.json per event). Every file is read and
// checked before anything is written; each is then one transaction, audited.
// A progress bar on a terminal (stderr), the summary on stdout.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "intel/indicator_intake.h"
#include "store/store.h"

namespace jaga {

struct ImportCommandOptions {
  std::vector<std::string> paths;
  IntakeOptions intake;  // source_name empty: each file's own name
  bool progress = false;
};

int run_import(Store& store, const ImportCommandOptions& options, FILE* out = stdout, FILE* err = stderr);

}  // namespace jaga
