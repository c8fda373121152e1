// Plain lists of indicators as files (one per line, '#' comments, hosts-file
// and adblock lines), read for `jaga match` and `jaga export`: every line
// normalised, warninglisted values set aside, bad lines counted with the
// first few reasons. Lines are normalised on every core.
#pragma once

#include <algorithm>
#include <cstdint>
#include <future>
#include <string>
#include <vector>

#include "intel/normalise.h"
#include "util/result.h"

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

// Runs fn(begin, end) over [0, count) in `threads` parts at once; small
// counts in the calling thread.
template <class Fn>
void in_parallel(size_t count, int threads, Fn fn) {
  if (threads <= 1 || count < 10000) return fn(size_t{0}, count);
  std::vector<std::future<void>> parts;
  size_t step = (count + threads - 1) / threads;
  for (size_t begin = 0; begin < count; begin += step)
    parts.push_back(std::async(std::launch::async, fn, begin, std::min(count, begin + step)));
  for (auto& part : parts) part.get();
}

// 1234567 -> "1,234,567"
std::string with_commas(uint64_t n);

}  // namespace jaga
