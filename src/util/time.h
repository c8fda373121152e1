// Wall-clock time as jaga stores it: UTC, RFC 3339 with millisecond precision,
// so that text order is time order in every store.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jaga {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

std::string format_rfc3339(TimePoint when);
inline int64_t unix_seconds(TimePoint when = Clock::now()) {
  return std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
}  // 2026-11-25T14:28:58.123Z
std::string now_rfc3339();
// With microseconds ("2026-11-25T14:28:58.123456Z"), for the times TAXII
// pages by: text order is still time order.
std::string format_rfc3339_micros(int64_t micros_since_epoch);
inline int64_t unix_micros(TimePoint when = Clock::now()) {
  return std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch()).count();
}
// Accepts RFC 3339 date-times with offset or Z, and plain dates (midnight UTC).
std::optional<TimePoint> parse_rfc3339(std::string_view text);

}  // namespace jaga
