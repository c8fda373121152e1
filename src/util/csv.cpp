#include "util/csv.h"

namespace jaga {

Result<std::vector<CsvRow>> parse_csv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  bool quoted = false, field_started = false;
  int line = 1, row_line = 1;
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    bool blank = row.size() == 1 && row[0].empty();
    if (!blank) rows.push_back(std::move(row));
    row.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (field_started && !field.empty())
        return Error::invalid("line " + std::to_string(line) + ": a quote inside an unquoted field");
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
      row_line = ++line;
    } else {
      if (field_started && field.empty() && !quoted && text[i - 1] == '"')
        return Error::invalid("line " + std::to_string(line) + ": text after a closing quote");
      field += c;
      field_started = true;
    }
  }
  if (quoted) return Error::invalid("line " + std::to_string(row_line) + ": a quoted field is not closed");
  if (!field.empty() || !row.empty()) end_row();
  return rows;
}

bool looks_like_formula(std::string_view f) {
  if (f.empty()) return false;
  if (f[0] == '=' || f[0] == '@') return true;
  // + and - start formulas too, but also phone numbers and negative numbers,
  // which stay as they are.
  if (f[0] == '+' || f[0] == '-') return f.find_first_not_of("0123456789 ()-.+", 1) != std::string_view::npos;
  return false;
}

std::string csv_line(const CsvRow& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    const auto& f = fields[i];
    bool quote = f.find_first_of(",\"\r\n") != std::string::npos || (!f.empty() && (f.front() == ' ' || f.back() == ' '));
    bool formula = looks_like_formula(f);
    std::string value = formula ? "'" + f : f;
    if (quote || formula) {
      out += '"';
      for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += '"';
    } else {
      out += value;
    }
  }
  out += "\r\n";
  return out;
}

}  // namespace jaga
