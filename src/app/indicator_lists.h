// Plain lists of indicators as files (one per line, '#' comments, hosts-file
// and adblock lines), read for `jaga match` and `jaga export`: every line
// normalised, warninglisted values set aside, bad lines counted with the
// first few reasons. Lines are normalised on every core.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "intel/normalise.h"
#include "util/parallel.h"
#include "util/result.h"
#include "util/text.h"

namespace jaga {

struct ListedIndicator {
  CanonicalIndicator indicator;
  std::string listed;   // as the file wrote it
  uint32_t source = 0;  // index into IndicatorLists::sources
};

struct IndicatorLists {
  std::vector<ListedIndicator> entries;  // in file order
  std::vector<std::string> sources;      // the files
  uint64_t lines = 0, warninglisted = 0, rejected = 0;
  std::vector<std::string> first_rejections, first_warninglisted;

  // "; N skipped as warninglisted; M rejected" and a line per example,
  // each starting with `command`.
  std::string summary(const std::string& command) const;
};

// An unreadable file is an error naming it; bad lines are not.
Result<IndicatorLists> read_indicator_lists(const std::vector<std::string>& files, bool warninglists, int threads);

}  // namespace jaga
