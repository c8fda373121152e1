#include "util/time.h"

#include <cstdio>
#include <ctime>

namespace jaga {

std::string format_rfc3339(TimePoint when) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(when.time_since_epoch()).count();
  time_t seconds = static_cast<time_t>(ms / 1000);
  int millis = static_cast<int>(ms % 1000);
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

std::string now_rfc3339() { return format_rfc3339(Clock::now()); }

std::string format_rfc3339_micros(int64_t micros) {
  time_t seconds = static_cast<time_t>(micros / 1000000);
  int fraction = static_cast<int>(micros % 1000000);
  if (fraction < 0) {
    fraction += 1000000;
    --seconds;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, fraction);
  return buf;
}

static bool digits(std::string_view s, size_t pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

std::optional<TimePoint> parse_rfc3339(std::string_view s) {
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, month) ||
      s[7] != '-' || !digits(s, 8, 2, day)) {
    return std::nullopt;
  }
  // Years far from now would overflow the clock's nanosecond count.
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  long offset_seconds = 0;
  int64_t millis = 0;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, hour) ||
        s.size() < 16 || s[13] != ':' || !digits(s, 14, 2, minute)) {
      return std::nullopt;
    }
    size_t pos = 16;
    if (pos < s.size() && s[pos] == ':') {
      if (!digits(s, pos + 1, 2, second)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int scale = 100;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          millis += (s[pos] - '0') * scale;
          scale /= 10;
          ++pos;
        }
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (pos == s.size()) return std::nullopt;  // an offset is required
    if (s[pos] == 'Z' || s[pos] == 'z') {
      if (pos + 1 != s.size()) return std::nullopt;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh, om;
      if (!digits(s, pos + 1, 2, oh) || pos + 6 != s.size() || s[pos + 3] != ':' ||
          !digits(s, pos + 4, 2, om)) {
        return std::nullopt;
      }
      offset_seconds = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
    } else {
      return std::nullopt;
    }
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  time_t t = timegm(&tm);
  std::tm check{};
  gmtime_r(&t, &check);
  if (check.tm_mday != day) return std::nullopt;  // 31 February and friends
  return Clock::from_time_t(t - offset_seconds) + std::chrono::milliseconds(millis);
}

}  // namespace jaga
