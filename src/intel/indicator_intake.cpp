#include "intel/indicator_intake.h"

#include <future>

#include "util/parallel.h"
#include "util/text.h"
#include "intel/warninglist.h"

namespace jaga {

namespace {

Result<ParsedImport> parse(std::string_view text, ImportFormat format, const CsvColumns& columns) {
  switch (format) {
    case ImportFormat::plain: return parse_plain_indicators(text);
    case ImportFormat::csv: return parse_csv_indicators(text, columns);
    case ImportFormat::stix: return parse_stix_indicators(text);
    case ImportFormat::misp: return parse_misp_event(text);
  }
  return Error::internal("unknown import format");
}


}  // namespace

void IntakeReport::add(const IntakeReport& other) {
  entries += other.entries;
  ignored += other.ignored;
  warninglisted += other.warninglisted;
  rejected.insert(rejected.end(), other.rejected.begin(), other.rejected.end());
  for (const auto& w : other.first_warninglisted)
    if (first_warninglisted.size() < 3) first_warninglisted.push_back(w);
}

std::string IntakeReport::summary(const IndicatorImportCounts& counts, std::string_view prefix, size_t examples) const {
  std::string s(prefix);
  s += with_commas(entries) + " read: " + with_commas(counts.added) + " added, " + with_commas(counts.updated) +
       " updated, " + with_commas(warninglisted) + " skipped as warninglisted (kept, flagged), " +
       with_commas(rejected.size()) + " rejected";
  if (ignored) s += "; " + with_commas(ignored) + " entries were not indicators";
  s += "\n";
  for (size_t i = 0; i < rejected.size() && i < examples; ++i)
    s += std::string(prefix) + "rejected " + rejected[i].where + ": " + rejected[i].reason + "\n";
  if (rejected.size() > examples) s += std::string(prefix) + "and " + with_commas(rejected.size() - examples) + " more rejected\n";
  for (const auto& w : first_warninglisted) s += std::string(prefix) + "warninglisted " + w + "\n";
  return s;
}

Result<IndicatorImport> take_in_indicators(std::string_view text, const IntakeOptions& options, IntakeReport& report) {
  // The shipped warninglists are parsed (once per process) while the file is.
  std::future<const Warninglists*> lists = std::async(std::launch::async, [&options] {
    return options.warninglists ? &shipped_warninglists() : nullptr;
  });
  report.format = options.format ? *options.format : detect_import_format(text);
  auto parsed = parse(text, report.format, options.columns);
  (void)lists.get();
  if (!parsed) return parsed.error();
  return take_in_parsed(std::move(*parsed), options, report);
}

IndicatorImport take_in_parsed(ParsedImport parsed, const IntakeOptions& options, IntakeReport& report) {
  const Warninglists* known = options.warninglists ? &shipped_warninglists() : nullptr;
  report.entries = parsed.indicators.size() + parsed.rejected.size();
  report.ignored = parsed.ignored;
  report.rejected = std::move(parsed.rejected);

  // Everything per entry runs on every core: normalising, the warninglists,
  // the correlation keys.
  auto& entries = parsed.indicators;
  // Written in place, then the failures squeezed out: a million entries
  // are not copied again.
  std::vector<IndicatorInput> inputs(entries.size());
  std::vector<std::string> errors(entries.size());
  std::vector<uint8_t> ok(entries.size(), 0);
  in_parallel(entries.size(), options.threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      auto canonical = normalise_indicator(entries[i].text, entries[i].kind);
      if (!canonical) {
        errors[i] = std::move(canonical.error().message);
        continue;
      }
      auto& e = entries[i];
      IndicatorInput& in = inputs[i];
      if (known)
        if (auto list = known->find(*canonical)) in.warninglist = std::string(*list);
      auto keys = correlation_keys(*canonical);
      in.kind = std::string(to_string(canonical->kind));
      in.value = std::move(canonical->value);
      in.registrable = std::move(keys.registrable);
      in.network = std::move(keys.network);
      in.tlp = e.tlp.value_or(options.tlp);
      in.confidence = e.confidence ? e.confidence : options.confidence;
      in.valid_until = e.valid_until.empty() ? options.valid_until : std::move(e.valid_until);
      in.first_seen = std::move(e.first_seen);
      in.last_seen = std::move(e.last_seen);
      ok[i] = 1;
    }
  });

  IndicatorImport batch;
  batch.source_kind = options.source_kind;
  batch.source_name = options.source_name;
  size_t kept = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!ok[i]) {
      report.rejected.push_back({std::move(entries[i].where), std::move(errors[i]), i});
      continue;
    }
    if (!inputs[i].warninglist.empty() && ++report.warninglisted <= 3)
      report.first_warninglisted.push_back(entries[i].text + " (" + inputs[i].warninglist + ")");
    if (kept != i) inputs[kept] = std::move(inputs[i]);
    ++kept;
  }
  inputs.resize(kept);
  batch.indicators = std::move(inputs);
  // Rejections in file order, whichever step found them: the parser's come
  // before the indicator they preceded, which the stable sort keeps.
  std::stable_sort(report.rejected.begin(), report.rejected.end(),
                   [](const auto& a, const auto& b) { return a.before < b.before; });
  return batch;
}

}  // namespace jaga
