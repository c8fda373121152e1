#include "app/import_command.h"

#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <thread>

#include "app/commands.h"
#include "app/indicator_lists.h"
#include "util/file.h"

namespace jaga {

namespace {

namespace fs = std::filesystem;


// One file to import: its text, or for a MISP feed each event's.
struct Source {
  std::string path, name;
  std::vector<std::pair<std::string, std::string>> texts;  // where, text
};

Result<Source> read_source(const std::string& path) {
  Source source{path, fs::path(path).filename().string(), {}};
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    // A MISP feed: the manifest names the events, one file each.
    fs::path dir(path);
    if (source.name.empty()) source.name = dir.parent_path().filename().string();
    auto manifest = read_whole_file((dir / "manifest.json").string());
    if (!manifest) return Error::invalid(path + " is a directory without a MISP feed's manifest.json");
    auto uuids = parse_misp_manifest(*manifest);
    if (!uuids) return Error::invalid((dir / "manifest.json").string() + ": " + uuids.error().message);
    for (const auto& uuid : *uuids) {
      auto event = read_whole_file((dir / (uuid + ".json")).string());
      if (!event) return Error::invalid("the feed's manifest names " + uuid + ", but " + event.error().message);
      source.texts.emplace_back((dir / (uuid + ".json")).string(), std::move(*event));
    }
    return source;
  }
  auto text = read_whole_file(path);
  if (!text) return text.error();
  source.texts.emplace_back(path, std::move(*text));
  return source;
}

class ProgressBar {
 public:
  ProgressBar(FILE* err, bool enabled) : err_(err), enabled_(enabled) {}
  void say(const std::string& what) {
    if (!enabled_) return;
    std::fprintf(err_, "\r\033[K  %s", what.c_str());
    std::fflush(err_);
  }
  void bar(const std::string& what, uint64_t done, uint64_t total) {
    if (!enabled_ || total == 0) return;
    constexpr int width = 30;
    int filled = static_cast<int>(done * width / total);
    std::string line = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
    line += std::to_string(done * 100 / total) + "%  " + with_commas(done) + " of " + with_commas(total) + " " + what;
    say(line);
  }
  void clear() {
    if (enabled_) std::fputs("\r\033[K", err_);
  }

 private:
  FILE* err_;
  bool enabled_;
};

}  // namespace

int run_import(Store& store, const ImportCommandOptions& options, FILE* out, FILE* err) {
  auto fail = [&](const std::string& message) {
    std::fprintf(err, "jaga import: %s\n", message.c_str());
    return 1;
  };
  if (options.paths.empty()) return fail("name the files to import");
  ProgressBar progress(err, options.progress);

  // Everything is read and parsed first: a file that cannot be read at all
  // stops the import before anything is written.
  struct Prepared {
    std::string path, name;
    IndicatorImport batch;
    IntakeReport report;
    double read_seconds = 0;
  };
  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  std::vector<Prepared> prepared;
  for (const auto& path : options.paths) {
    progress.say("reading " + path + "...");
    auto started = Clock::now();
    auto source = read_source(path);
    if (!source) {
      progress.clear();
      return fail(source.error().message);
    }
    Prepared p{path, options.intake.source_name.empty() ? source->name : options.intake.source_name, {}, {}};
    IntakeOptions intake = options.intake;
    intake.source_name = p.name;
    for (auto& [where, text] : source->texts) {
      IntakeReport report;
      auto batch = take_in_indicators(text, intake, report);
      if (!batch) {
        progress.clear();
        return fail(where + ": " + batch.error().message);
      }
      if (source->texts.size() > 1)  // a feed: say which event each rejection is in
        for (auto& r : report.rejected) r.where = fs::path(where).filename().string() + " " + r.where;
      p.report.format = report.format;
      p.report.add(report);
      p.batch.source_kind = batch->source_kind;
      p.batch.source_name = batch->source_name;
      if (p.batch.indicators.empty()) p.batch.indicators = std::move(batch->indicators);
      else std::move(batch->indicators.begin(), batch->indicators.end(), std::back_inserter(p.batch.indicators));
    }
    p.read_seconds = seconds_since(started);
    prepared.push_back(std::move(p));
  }

  IndicatorImportCounts total;
  IntakeReport all;
  for (auto& p : prepared) {
    uint64_t count = p.batch.indicators.size();
    boost::json::object details{{"file", fs::path(p.path).filename().string()},
                                {"format", std::string(to_string(p.report.format))},
                                {"indicators", count},
                                {"rejected", p.report.rejected.size()},
                                {"warninglisted", p.report.warninglisted}};
    auto event = commands::cli_event("indicator.import", "source",
                                     std::string(to_string(p.batch.source_kind)) + ":" + p.batch.source_name,
                                     std::move(details));
    auto written = std::make_shared<std::atomic<int64_t>>(0);
    auto writing = Clock::now();
    std::promise<Result<IndicatorImportCounts>> promise;
    auto future = promise.get_future();
    store.import_indicators(
        std::move(p.batch), [written](int64_t n) { written->store(n); }, std::move(event),
        [&promise](Result<IndicatorImportCounts> r) { promise.set_value(std::move(r)); });
    while (future.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready)
      progress.bar("written to the store (" + p.path + ")", static_cast<uint64_t>(written->load()), count);
    progress.clear();
    auto counts = future.get();
    if (!counts) return fail(p.path + ": nothing was imported: " + counts.error().message);
    std::string prefix = prepared.size() > 1 ? p.path + ": " : "";
    char timing[96];
    std::snprintf(timing, sizeof timing, "read and checked in %.1f s, stored in %.1f s\n", p.read_seconds,
                  seconds_since(writing));
    std::fputs((p.report.summary(*counts, prefix) + prefix + timing).c_str(), out);
    total.added += counts->added;
    total.updated += counts->updated;
    all.add(p.report);
  }
  if (prepared.size() > 1) std::fputs(all.summary(total, "all files: ", 0).c_str(), out);
  return 0;
}

}  // namespace jaga
