// Taking an indicator file into the store, shared by `jaga import` and the
// import API: the file read in its format, every value normalised (on every
// core), warninglisted ones flagged, and the batch the store upserts, with a
// report of what was set aside and why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intel/indicator_import.h"
#include "model/indicator.h"
#include "util/result.h"

namespace jaga {

struct IntakeOptions {
  std::optional<ImportFormat> format;  // detected when not given
  CsvColumns columns;
  IndicatorSourceKind source_kind = IndicatorSourceKind::feed;
  std::string source_name;
  // For entries whose file says nothing of these.
  Tlp tlp = Tlp::amber;
  std::optional<int> confidence;
  std::string valid_until;
  bool warninglists = true;
  int threads = 1;
};

struct IntakeReport {
  ImportFormat format = ImportFormat::plain;
  uint64_t entries = 0;        // indicators the file named
  uint64_t ignored = 0;        // entries that are not indicators
  uint64_t warninglisted = 0;  // kept, flagged: never matched or exported
  std::vector<ImportRejection> rejected;
  std::vector<std::string> first_warninglisted;  // "value (list)", a few

  void add(const IntakeReport& other);
  // "1,000 read: 990 added, 5 updated, 3 skipped as warninglisted, 2 rejected"
  // and the first rejections, each line starting with `prefix`.
  std::string summary(const IndicatorImportCounts& counts, std::string_view prefix, size_t examples = 5) const;
};

// An error only when the file as a whole cannot be read (not JSON, a CSV
// header without the value column); bad entries are in the report.
Result<IndicatorImport> take_in_indicators(std::string_view text, const IntakeOptions& options, IntakeReport& report);
// The same for entries already read (options.format is not used).
IndicatorImport take_in_parsed(ParsedImport parsed, const IntakeOptions& options, IntakeReport& report);

}  // namespace jaga
