// Matching log lines against an IndicatorIndex: the formats `jaga match`
// reads, over a buffer of whole lines. Pure: reading files, threads and
// output are the caller's.
//
//   dns    whitespace-separated "timestamp client_ip query_name qtype"
//          (fields: client, query)
//   proxy  Squid's native access.log: "time elapsed client code/status bytes
//          method URL user hierarchy/server type" (fields: client, url, server)
//   text   any text: every URL, domain, address, email address and hash in it
//          (field: text)
//   jsonl  one JSON object per line: every string value, named by its JSON
//          pointer (field: "/query", "/http/url", ...)
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intel/indicator_index.h"

namespace jaga {

enum class LogFormat { dns, proxy, text, jsonl };
std::optional<LogFormat> parse_log_format(std::string_view text);

// A hit's field and value are views into the chunk matched or, where the
// log's text had to be decoded (JSON), into the result's `texts`: valid while
// both live.
struct LogHit {
  uint64_t line = 0;  // 1-based within the chunk matched
  std::string_view field;
  std::string_view value;  // as the log wrote it
  IndexHit hit;
};

struct ChunkResult {
  uint64_t lines = 0;
  uint64_t unreadable = 0;  // lines the format could not read (too few fields, bad JSON, too long)
  std::vector<LogHit> hits;
  std::deque<std::string> texts;  // decoded values and JSON pointers the hits name
};

// Lines longer than this are counted as unreadable and skipped.
inline constexpr size_t kMaxLogLine = 1 << 20;

// Matches every line of `chunk` (the last may lack its newline) and appends
// what it finds; one hit per field value, the most specific indicator.
void match_lines(const IndicatorIndex& index, LogFormat format, std::string_view chunk, ChunkResult& out);

}  // namespace jaga
