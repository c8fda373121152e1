#include "util/log.h"

#include <unistd.h>

#include <atomic>

#include "util/text.h"
#include "util/time.h"

namespace jaga::log {

static std::atomic<int> min_level{static_cast<int>(Level::info)};
static std::atomic<bool> enabled{true};

void set_level(Level level) { min_level = static_cast<int>(level); }
void set_enabled(bool on) { enabled = on; }

bool parse_level(std::string_view text, Level& out) {
  if (text == "debug") out = Level::debug;
  else if (text == "info") out = Level::info;
  else if (text == "warn") out = Level::warn;
  else if (text == "error") out = Level::error;
  else return false;
  return true;
}

static const char* name(Level level) {
  switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (!enabled || static_cast<int>(level) < min_level) return;
  std::string line;
  line.reserve(256);
  line += "{\"ts\":\"";
  line += now_rfc3339();
  line += "\",\"level\":\"";
  line += name(level);
  line += "\",\"msg\":\"";
  line += json_escape(message);
  line += '"';
  for (const auto& f : fields) {
    line += ",\"";
    line += f.key;
    line += "\":";
    if (f.quoted) {
      line += '"';
      line += json_escape(f.value);
      line += '"';
    } else {
      line += f.value;
    }
  }
  line += "}\n";
  // One write(2) per line keeps lines whole when threads log at once.
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace jaga::log
