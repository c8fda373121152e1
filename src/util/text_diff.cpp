#include "util/text_diff.h"

#include <unordered_set>

namespace jaga {

namespace {

constexpr size_t kWordsPerPassage = 30;

bool ends_sentence(std::string_view text, size_t at, size_t& length) {
  char c = text[at];
  if ((c == '.' || c == '!' || c == '?') && (at + 1 == text.size() || text[at + 1] == ' ')) {
    length = 1;
    return true;
  }
  // 。 ！ ？ in UTF-8
  for (std::string_view mark : {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"})
    if (text.substr(at, mark.size()) == mark) {
      length = mark.size();
      return true;
    }
  return false;
}

std::vector<std::string> passages(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  size_t words = 0;
  auto finish = [&] {
    while (!current.empty() && current.back() == ' ') current.pop_back();
    size_t start = current.find_first_not_of(' ');
    if (start != std::string::npos) out.push_back(current.substr(start));
    current.clear();
    words = 0;
  };
  for (size_t i = 0; i < text.size();) {
    size_t length = 0;
    if (ends_sentence(text, i, length)) {
      current.append(text.substr(i, length));
      i += length;
      finish();
      continue;
    }
    if (text[i] == ' ' && !current.empty() && current.back() != ' ' && ++words >= kWordsPerPassage) {
      finish();
      ++i;
      continue;
    }
    current += text[i++];
  }
  finish();
  return out;
}

// Lower case, each run of digits one '#', spaces collapsed.
std::string comparable(std::string_view passage) {
  std::string out;
  out.reserve(passage.size());
  for (char c : passage) {
    if (c >= '0' && c <= '9') {
      if (out.empty() || out.back() != '#') out += '#';
    } else if (c == ' ') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  return out;
}

std::vector<std::string> only_in(const std::vector<std::string>& these, const std::vector<std::string>& those) {
  std::unordered_set<std::string> other;
  for (const auto& p : those) other.insert(comparable(p));
  std::vector<std::string> out;
  std::unordered_set<std::string> reported;
  for (const auto& p : these) {
    std::string key = comparable(p);
    if (!other.count(key) && reported.insert(key).second) out.push_back(p);
  }
  return out;
}

}  // namespace

TextChange text_change(std::string_view before, std::string_view after) {
  auto old_passages = passages(before), new_passages = passages(after);
  return {only_in(old_passages, new_passages), only_in(new_passages, old_passages)};
}

std::string describe_text_change(const TextChange& change, size_t max_chars) {
  if (change.empty()) return "The page's text is the same as its baseline's.";
  std::string out;
  auto list = [&](const std::vector<std::string>& passages, std::string_view heading, size_t limit) {
    if (passages.empty()) return;
    if (!out.empty()) out += '\n';
    out += std::string(heading) + " (" + std::to_string(passages.size()) + (passages.size() == 1 ? " passage" : " passages") + "):";
    size_t shown = 0;
    for (const auto& p : passages) {
      std::string line = "\n- " + p;
      if (out.size() + line.size() > limit) break;
      out += line;
      ++shown;
    }
    if (shown < passages.size()) out += "\n- (" + std::to_string(passages.size() - shown) + " more)";
  };
  // Half the room for the removed, so that a long removal leaves room for what was added.
  list(change.removed, "Removed from the baseline", max_chars / 2);
  list(change.added, "Added to the page", max_chars);
  return out;
}

}  // namespace jaga
