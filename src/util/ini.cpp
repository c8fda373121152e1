#include "util/ini.h"

#include "util/text.h"

namespace jaga {

static Error at_line(int line, std::string what) {
  return Error::invalid("line " + std::to_string(line) + ": " + std::move(what));
}

static bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

Result<std::vector<IniEntry>> parse_ini(std::string_view text) {
  std::vector<IniEntry> entries;
  std::string section;
  int line_no = 0;
  for (std::string_view raw : split(text, '\n')) {
    ++line_no;
    std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      auto close = line.find(']');
      if (close == std::string_view::npos) return at_line(line_no, "section header lacks ']'");
      std::string_view name = trim(line.substr(1, close - 1));
      if (name.empty()) return at_line(line_no, "empty section name");
      for (char c : name)
        if (!is_key_char(c)) return at_line(line_no, "bad character in section name");
      std::string_view rest = trim(line.substr(close + 1));
      if (!rest.empty() && rest[0] != '#' && rest[0] != ';')
        return at_line(line_no, "unexpected text after section header");
      section = std::string(name);
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos) return at_line(line_no, "expected 'key = value'");
    std::string_view key = trim(line.substr(0, eq));
    if (key.empty()) return at_line(line_no, "missing key before '='");
    for (char c : key)
      if (!is_key_char(c)) return at_line(line_no, "bad character in key '" + std::string(key) + "'");
    std::string_view value = trim(line.substr(eq + 1));
    std::string parsed;
    if (!value.empty() && (value[0] == '"' || value[0] == '\'')) {
      char quote = value[0];
      size_t i = 1;
      bool closed = false;
      for (; i < value.size(); ++i) {
        char c = value[i];
        if (c == quote) {
          closed = true;
          break;
        }
        if (c == '\\' && quote == '"' && i + 1 < value.size()) {
          char n = value[++i];
          switch (n) {
            case 'n': parsed.push_back('\n'); break;
            case 't': parsed.push_back('\t'); break;
            case '\\': parsed.push_back('\\'); break;
            case '"': parsed.push_back('"'); break;
            default: return at_line(line_no, "unknown escape in string");
          }
          continue;
        }
        parsed.push_back(c);
      }
      if (!closed) return at_line(line_no, "string is not closed");
      std::string_view rest = trim(value.substr(i + 1));
      if (!rest.empty() && rest[0] != '#' && rest[0] != ';')
        return at_line(line_no, "unexpected text after string");
    } else {
      auto comment = value.find_first_of("#;");
      parsed = std::string(trim(value.substr(0, comment)));
    }
    entries.push_back({section, std::string(key), std::move(parsed), line_no});
  }
  return entries;
}

}  // namespace jaga
