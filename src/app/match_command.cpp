#include "app/match_command.h"

#include "app/indicator_lists.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstring>
#include <deque>
#include <memory>
#include <fstream>
#include <iterator>
#include <future>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "api/indicator_service.h"
#include "intel/extract.h"
#include "intel/warninglist.h"
#include "util/text.h"

namespace jaga {

namespace {

using Clock = std::chrono::steady_clock;

// A JSON string; bytes that are not UTF-8 (logs hold anything) become spaces
// so that every output line stays valid JSON.
void append_quoted(std::string& out, std::string_view text) {
  out += '"';
  // Most values are plain ASCII with nothing to escape: copied as they are.
  bool plain = true;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) out.append(text);
  else out += json_escape(is_valid_utf8(text) ? std::string(text) : sanitise_utf8(text));
  out += '"';
}

std::string megabytes(uint64_t bytes) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f MB", bytes / 1e6);
  return buffer;
}

struct LoadedIndicators {
  IndicatorIndex index;
  IndicatorLists lists;
  std::shared_ptr<const IndicatorSnapshot> snapshot;  // from the store; then index is empty
  const IndicatorIndex& matcher() const { return snapshot ? snapshot->index : index; }
};

Result<LoadedIndicators> load_indicators(const MatchOptions& options, int threads) {
  if (options.indicator_files.empty() && options.store) {
    auto snapshot = build_indicator_snapshot(*options.store);
    if (!snapshot) return snapshot.error();
    LoadedIndicators loaded;
    loaded.snapshot = std::move(*snapshot);
    return loaded;
  }
  auto lists = read_indicator_lists(options.indicator_files, options.warninglists, threads);
  if (!lists) return lists.error();
  LoadedIndicators loaded;
  IndicatorIndex::Builder builder;
  for (const auto& entry : lists->entries) builder.add(entry.indicator, entry.listed, entry.source);
  loaded.index = std::move(builder).build();
  loaded.lists = std::move(*lists);
  return loaded;
}

// A log being read: gzip (through zlib) or plain (read straight into the
// chunk, no copy). Standard input goes through zlib, which passes plain
// text on.
class LogReader {
 public:
  static Result<LogReader> open(const std::string& path) {
    bool from_stdin = path == "-";
    int fd = from_stdin ? dup(STDIN_FILENO) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error::invalid("cannot read " + path + ": " + std::strerror(errno));
    LogReader reader;
    unsigned char magic[2] = {0, 0};
    bool gzip = from_stdin || (pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b);
    if (!gzip) {
      reader.fd_ = fd;
      posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
      return reader;
    }
    reader.file_ = gzdopen(fd, "rb");
    if (!reader.file_) {
      ::close(fd);
      return Error::invalid("cannot read " + path);
    }
    gzbuffer(reader.file_, 1 << 20);
    return reader;
  }
  LogReader(LogReader&& other) noexcept
      : file_(std::exchange(other.file_, nullptr)), fd_(std::exchange(other.fd_, -1)) {}
  ~LogReader() {
    if (file_) gzclose(file_);
    if (fd_ >= 0) ::close(fd_);
  }
  // Bytes read into `buffer`; 0 at the end; an Error on a damaged file.
  Result<size_t> read(char* buffer, size_t size) {
    if (fd_ >= 0) {
      for (;;) {
        ssize_t n = ::read(fd_, buffer, size);
        if (n >= 0) return static_cast<size_t>(n);
        if (errno != EINTR) return Error::invalid(std::string("read error: ") + std::strerror(errno));
      }
    }
    int n = gzread(file_, buffer, static_cast<unsigned>(std::min<size_t>(size, 1u << 30)));
    if (n < 0) {
      int code = 0;
      const char* message = gzerror(file_, &code);
      return Error::invalid(std::string("the log is damaged: ") + (message ? message : "read error"));
    }
    return static_cast<size_t>(n);
  }

 private:
  LogReader() = default;
  gzFile file_ = nullptr;
  int fd_ = -1;
};

// A chunk's bytes: allocated once and reused, never zero-filled.
struct Buffer {
  std::unique_ptr<char[]> data;
  size_t capacity = 0, size = 0;
  void reserve(size_t wanted) {
    if (wanted <= capacity) return;
    std::unique_ptr<char[]> bigger(new char[wanted]);
    if (size) std::memcpy(bigger.get(), data.get(), size);
    data = std::move(bigger);
    capacity = wanted;
  }
  std::string_view view() const { return {data.get(), size}; }
};

struct Chunk {
  size_t log = 0;
  bool first_of_log = false;
  Buffer text;
};

struct Totals {
  uint64_t lines = 0, unreadable = 0, hits = 0, bytes = 0;
};

class HitWriter {
 public:
  HitWriter(FILE* out, const LoadedIndicators& indicators, const MatchOptions& options)
      : out_(out), indicators_(indicators), options_(options) {
    // Quoted once, not per hit.
    for (const auto& source : indicators.lists.sources)
      append_quoted(quoted_sources_.emplace_back(), source);
    for (const auto& log : options.logs) append_quoted(quoted_logs_.emplace_back(), log);
  }

  void write(const Chunk& chunk, const ChunkResult& result, Totals& totals) {
    if (chunk.first_of_log) base_line_ = 0;
    const auto& index = indicators_.matcher();
    const auto& hits = result.hits;
    // The index is far bigger than the cache, and the chunk has left it by
    // now: what a hit names is fetched a few hits ahead.
    constexpr size_t kAhead = 8;
    auto fetch = [&](const LogHit& hit) {
      index.prefetch(hit.hit.id);
      __builtin_prefetch(hit.value.data());
    };
    for (size_t i = 0; i < std::min(kAhead, hits.size()); ++i) fetch(hits[i]);
    for (size_t i = 0; i < hits.size(); ++i) {
      const auto& hit = hits[i];
      if (i + kAhead < hits.size()) fetch(hits[i + kAhead]);
      char number[24];
      auto end = std::to_chars(number, number + sizeof number, base_line_ + hit.line).ptr;
      buffer_ += "{\"line\":";
      buffer_.append(number, end);
      if (options_.logs.size() > 1) {
        buffer_ += ",\"file\":";
        buffer_ += quoted_logs_[chunk.log];
      }
      buffer_ += ",\"field\":";
      append_quoted(buffer_, hit.field);
      buffer_ += ",\"value\":";
      append_quoted(buffer_, hit.value);
      buffer_ += ",\"indicator\":";
      append_quoted(buffer_, index.listed(hit.hit.id));
      buffer_ += ",\"kind\":\"";
      buffer_ += to_string(index.kind(hit.hit.id));
      buffer_ += "\",\"reason\":\"";
      buffer_ += to_string(hit.hit.reason);
      buffer_ += "\",\"source\":";
      if (const auto* snapshot = indicators_.snapshot.get()) {
        uint32_t at = index.payload(hit.hit.id);
        buffer_ += store_fields(snapshot->ids[at], snapshot->tlps[at]);
      } else {
        buffer_ += quoted_sources_[index.payload(hit.hit.id)];
      }
      buffer_ += "}\n";
      if (buffer_.size() > (1 << 16)) flush();
    }
    base_line_ += result.lines;
    totals.lines += result.lines;
    totals.unreadable += result.unreadable;
    totals.hits += result.hits.size();
  }
  void flush() {
    std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
    buffer_.clear();
  }

 private:
  // For a hit on the store's indicator: who listed it and its incidents,
  // asked once per indicator however often the log names it.
  const std::string& store_fields(int64_t id, Tlp tlp) {
    auto [it, fresh] = store_fields_.try_emplace(id);
    if (!fresh) return it->second;
    std::string& out = it->second;
    std::string sources;
    std::vector<std::string> incidents;
    if (options_.store)
      if (auto context = options_.store->indicator_context(id)) {
        for (const auto& s : context->sources) sources += (sources.empty() ? "" : ", ") + s;
        incidents = std::move(context->incidents);
      }
    append_quoted(out, sources);
    out += ",\"incidents\":[";
    for (size_t i = 0; i < incidents.size(); ++i) {
      if (i) out += ',';
      append_quoted(out, incidents[i]);
    }
    out += "],\"indicator_id\":" + std::to_string(id) + ",\"tlp\":\"";
    out += to_string(tlp);
    out += '"';
    return out;
  }
  std::unordered_map<int64_t, std::string> store_fields_;
  std::vector<std::string> quoted_sources_, quoted_logs_;

  FILE* out_;
  const LoadedIndicators& indicators_;
  const MatchOptions& options_;
  std::string buffer_;
  uint64_t base_line_ = 0;
};

class Progress {
 public:
  Progress(FILE* err, bool enabled, uint64_t total) : err_(err), enabled_(enabled), total_(total) {}
  void update(uint64_t bytes, uint64_t hits, bool force = false) {
    if (!enabled_) return;
    auto now = Clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    double seconds = std::chrono::duration<double>(now - start_).count();
    std::string line = "\r  " + megabytes(bytes);
    if (total_) line += " of " + megabytes(total_) + " (" + std::to_string(bytes * 100 / total_) + "%)";
    if (seconds > 0) {
      char rate[32];
      std::snprintf(rate, sizeof rate, "  %.0f MB/s", bytes / 1e6 / seconds);
      line += rate;
    }
    line += "  " + with_commas(hits) + " hits   ";
    std::fputs(line.c_str(), err_);
    std::fflush(err_);
    drawn_ = true;
  }
  void clear() {
    if (drawn_) std::fputs("\r\033[K", err_);
  }

 private:
  FILE* err_;
  bool enabled_;
  uint64_t total_;
  Clock::time_point start_ = Clock::now(), last_{};
  bool drawn_ = false;
};

uint64_t size_of(const std::string& path) {
  if (path == "-") return 0;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  return in ? static_cast<uint64_t>(in.tellg()) : 0;
}

}  // namespace

int run_match(const MatchOptions& given, FILE* out, FILE* err) {
  MatchOptions options = given;
  auto fail = [&](const std::string& message) {
    std::fprintf(err, "jaga match: %s\n", message.c_str());
    return 1;
  };
  if (options.indicator_files.empty() && !options.store)
    return fail("name the indicators with --indicators FILE, or the store with --db DATA_DIR");
  if (options.logs.empty()) options.logs.push_back("-");
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  auto started = Clock::now();
  if (options.progress) {
    std::fputs("  reading the indicators and the warninglists...", err);
    std::fflush(err);
  }
  auto loaded = load_indicators(options, threads);
  if (options.progress) std::fputs("\r\033[K", err);
  if (!loaded) return fail(loaded.error().message);
  const auto& indicators = *loaded;
  double load_seconds = std::chrono::duration<double>(Clock::now() - started).count();

  uint64_t total_size = 0;
  for (const auto& path : options.logs) total_size += size_of(path);
  Progress progress(err, options.progress, total_size);
  HitWriter writer(out, indicators, options);
  Totals totals;
  auto match_started = Clock::now();

  // Chunks in flight, oldest first; results are written in this order.
  std::deque<std::pair<Chunk, std::future<ChunkResult>>> in_flight;
  auto match_chunk = [&indicators, format = options.format](const Buffer* text) {
    ChunkResult result;
    match_lines(indicators.matcher(), format, text->view(), result);
    return result;
  };
  std::vector<Buffer> spare;  // buffers of written chunks, for the next reads
  auto drain = [&](size_t keep) {
    while (in_flight.size() > keep) {
      auto& [chunk, future] = in_flight.front();
      writer.write(chunk, future.get(), totals);
      spare.push_back(std::move(chunk.text));
      in_flight.pop_front();
    }
  };
  auto submit = [&](Chunk chunk) {
    in_flight.emplace_back(std::move(chunk), std::future<ChunkResult>());
    const Buffer* text = &in_flight.back().first.text;
    in_flight.back().second = threads > 1 ? std::async(std::launch::async, match_chunk, text)
                                          : std::async(std::launch::deferred, match_chunk, text);
    drain(static_cast<size_t>(threads));
    progress.update(totals.bytes, totals.hits);
  };

  for (size_t log = 0; log < options.logs.size(); ++log) {
    auto reader = LogReader::open(options.logs[log]);
    if (!reader) {
      drain(0);
      writer.flush();
      progress.clear();
      return fail(reader.error().message);
    }
    Buffer carry;  // the start of a line that the last read cut
    bool first = true;
    for (;;) {
      Chunk chunk{log, first, {}};
      if (!spare.empty()) {
        chunk.text = std::move(spare.back());
        spare.pop_back();
      }
      chunk.text.size = 0;
      chunk.text.reserve(std::max(options.chunk_bytes, carry.size + (64 << 10)));
      if (carry.size) std::memcpy(chunk.text.data.get(), carry.data.get(), carry.size);
      chunk.text.size = carry.size;
      carry.size = 0;
      auto n = reader->read(chunk.text.data.get() + chunk.text.size, chunk.text.capacity - chunk.text.size);
      if (!n) {
        drain(0);
        writer.flush();
        progress.clear();
        return fail(options.logs[log] + ": " + n.error().message);
      }
      chunk.text.size += *n;
      totals.bytes += *n;
      bool end = *n == 0;
      if (!end) {
        // Whole lines only; the rest starts the next chunk. A line longer
        // than a chunk is passed on whole once it is complete.
        auto text = chunk.text.view();
        auto last_newline = text.rfind('\n');
        if (last_newline == std::string_view::npos) {
          std::swap(carry, chunk.text);
          if (carry.size > kMaxLogLine + options.chunk_bytes) carry.size = kMaxLogLine + 1;  // counted unreadable
          spare.push_back(std::move(chunk.text));
          continue;
        }
        size_t rest = text.size() - last_newline - 1;
        carry.reserve(std::max<size_t>(rest, 64 << 10));
        std::memcpy(carry.data.get(), text.data() + last_newline + 1, rest);
        carry.size = rest;
        chunk.text.size = last_newline + 1;
      }
      if (chunk.text.size) {
        submit(std::move(chunk));
        first = false;
      } else {
        spare.push_back(std::move(chunk.text));
      }
      if (end) break;
    }
  }
  drain(0);
  writer.flush();
  std::fflush(out);
  progress.update(totals.bytes, totals.hits, true);
  progress.clear();

  if (options.summary) {
    double seconds = std::chrono::duration<double>(Clock::now() - match_started).count();
    std::ostringstream s;
    s << "jaga match: " << with_commas(totals.lines) << " lines (" << megabytes(totals.bytes) << ") in ";
    char timing[64];
    std::snprintf(timing, sizeof timing, "%.2f s, %.0f MB/s", seconds, seconds > 0 ? totals.bytes / 1e6 / seconds : 0.0);
    s << timing << " on " << threads << (threads == 1 ? " thread" : " threads") << "; " << with_commas(totals.hits)
      << " hits";
    if (totals.unreadable) s << "; " << with_commas(totals.unreadable) << " lines not in the " << "expected format";
    const auto& index = indicators.matcher();
    s << "\njaga match: " << with_commas(index.size()) << " indicators";
    if (indicators.snapshot) s << " from the store";
    std::snprintf(timing, sizeof timing, " loaded in %.2f s", load_seconds);
    s << timing << " (" << with_commas(index.memory_bytes() / 1024) << " KiB)";
    if (index.duplicates()) s << "; " << with_commas(index.duplicates()) << " listed twice";
    s << indicators.lists.summary("jaga match");
    std::fputs(s.str().c_str(), err);
  }
  return 0;
}

}  // namespace jaga
