#include "util/time.h"

#include <cstdio>
#include <ctime>

namespace jaga {

namespace {

// "YYYY-MM-DDTHH:MM:SS." with `digits` digits of `fraction`, and "Z". The
// digits are written here rather than by gmtime_r and snprintf: every
// website check is stamped, and those two were a fiftieth of the monitor's
// CPU.
std::string format_utc(int64_t unix_seconds, int64_t fraction, int digits) {
  using namespace std::chrono;
  const sys_seconds at{seconds{unix_seconds}};
  const sys_days day = floor<days>(at);
  const year_month_day date{day};
  const int year = static_cast<int>(date.year());
  const int64_t second_of_day = (at - day).count();
  char out[40];
  if (year < 0 || year > 9999) {  // not four digits: as printf writes it
    std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02d.%0*lldZ", year, static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), static_cast<int>(second_of_day / 3600),
                  static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60), digits,
                  static_cast<long long>(fraction));
    return out;
  }
  auto put = [&](size_t at, int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10) out[at + static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(0, year, 4);
  out[4] = '-';
  put(5, static_cast<unsigned>(date.month()), 2);
  out[7] = '-';
  put(8, static_cast<unsigned>(date.day()), 2);
  out[10] = 'T';
  put(11, second_of_day / 3600, 2);
  out[13] = ':';
  put(14, second_of_day / 60 % 60, 2);
  out[16] = ':';
  put(17, second_of_day % 60, 2);
  out[19] = '.';
  put(20, fraction, digits);
  out[20 + digits] = 'Z';
  return std::string(out, static_cast<size_t>(21 + digits));
}

}  // namespace

std::string format_rfc3339(TimePoint when) {
  using namespace std::chrono;
  const auto millis = floor<milliseconds>(when.time_since_epoch());
  const auto whole = floor<seconds>(millis);
  return format_utc(whole.count(), (millis - whole).count(), 3);
}

std::string now_rfc3339() { return format_rfc3339(Clock::now()); }

std::string format_rfc3339_micros(int64_t micros) {
  using namespace std::chrono;
  const microseconds at{micros};
  const auto whole = floor<seconds>(at);
  return format_utc(whole.count(), (at - whole).count(), 6);
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
