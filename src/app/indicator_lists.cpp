#include "app/indicator_lists.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <future>
#include <iterator>
#include <optional>

#include "intel/warninglist.h"
#include "util/file.h"

namespace jaga {

namespace {

// One line of a list, read: its canonical form, or why not.
struct ListEntry {
  std::string_view listed;  // into the file's text
  uint64_t line = 0;
  Result<CanonicalIndicator> canonical = Error::invalid("");
  std::optional<std::string_view> warninglist;
};

}  // namespace


std::string IndicatorLists::summary(const std::string& command) const {
  std::string s;
  if (warninglisted) s += "; " + with_commas(warninglisted) + " skipped as warninglisted";
  if (rejected) s += "; " + with_commas(rejected) + " rejected";
  s += "\n";
  for (const auto& why : first_rejections) s += command + ": rejected " + why + "\n";
  for (const auto& what : first_warninglisted) s += command + ": warninglisted " + what + "\n";
  return s;
}

Result<IndicatorLists> read_indicator_lists(const std::vector<std::string>& files, bool use_warninglists, int threads) {
  IndicatorLists lists;
  // The shipped warninglists are parsed while the files are read.
  std::future<const Warninglists*> parsing = std::async(std::launch::async, [use_warninglists] {
    return use_warninglists ? &shipped_warninglists() : nullptr;
  });
  const Warninglists* known = nullptr;
  for (const auto& path : files) {
    auto read = read_whole_file(path);
    if (!read) return read.error();
    std::string text = std::move(*read);
    auto source = static_cast<uint32_t>(lists.sources.size());
    lists.sources.push_back(path);
    std::vector<ListEntry> entries;
    entries.reserve(std::count(text.begin(), text.end(), '\n') + 1);
    uint64_t number = 0;
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      ++number;
      auto value = list_line_value(std::string_view(text).substr(start, end - start));
      if (!value.empty()) entries.push_back(ListEntry{value, number});
      start = end + 1;
    }
    lists.lines += number;
    in_parallel(entries.size(), threads, [&entries](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) entries[i].canonical = normalise_indicator(entries[i].listed);
    });
    if (parsing.valid()) known = parsing.get();
    if (known) {
      in_parallel(entries.size(), threads, [&entries, known](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i)
          if (entries[i].canonical) entries[i].warninglist = known->find(*entries[i].canonical);
      });
    }
    lists.entries.reserve(lists.entries.size() + entries.size());
    for (auto& e : entries) {
      if (!e.canonical) {
        if (++lists.rejected <= 5)
          lists.first_rejections.push_back(path + ":" + std::to_string(e.line) + ": " + e.canonical.error().message);
      } else if (e.warninglist) {
        if (++lists.warninglisted <= 3)
          lists.first_warninglisted.push_back(std::string(e.listed) + " (" + std::string(*e.warninglist) + ")");
      } else {
        lists.entries.push_back(ListedIndicator{std::move(*e.canonical), std::string(e.listed), source});
      }
    }
  }
  return lists;
}

}  // namespace jaga
