#include "monitor/signatures.h"

#include <cctype>
#include <algorithm>
#include <deque>
#include <stdexcept>

#include "util/text.h"

namespace jaga::monitor {

std::string_view shipped_signatures_tsv();  // compiled in from data/monitor/signatures.tsv

namespace {

unsigned char fold(char c) { return static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(c))); }

bool is_word_byte(unsigned char c) { return std::isalnum(c) != 0; }

}  // namespace

Result<std::vector<Signature>> parse_signatures(std::string_view text, std::string_view file_name) {
  std::vector<Signature> out;
  size_t line_number = 0;
  for (std::string_view line : split(text, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto where = std::string(file_name) + " line " + std::to_string(line_number) + ": ";
    auto columns = split(line, '\t');
    if (columns.size() < 3 || columns.size() > 4)
      return Error::invalid(where + "expected 3 or 4 tab-separated columns (id, severity, phrase, description), found " +
                            std::to_string(columns.size()));
    Signature s;
    s.id = std::string(columns[0]);
    if (s.id.rfind("defacement-", 0) == 0) s.kind = SignatureKind::defacement;
    else if (s.id.rfind("spam-", 0) == 0) s.kind = SignatureKind::spam;
    else return Error::invalid(where + "the id '" + s.id + "' must start with defacement- or spam-");
    for (char c : s.id)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
        return Error::invalid(where + "the id '" + s.id + "' may hold only letters, digits, '-' and '_'");
    s.severity = std::string(columns[1]);
    if (s.severity != "low" && s.severity != "medium" && s.severity != "high" && s.severity != "critical")
      return Error::invalid(where + "severity must be low, medium, high or critical, not '" + s.severity + "'");
    s.phrase = std::string(columns[2]);
    if (s.phrase.size() < 3) return Error::invalid(where + "the phrase must have at least 3 characters");
    if (columns.size() == 4) s.description = std::string(columns[3]);
    for (const auto& earlier : out)
      if (earlier.id == s.id) return Error::invalid(where + "the id '" + s.id + "' is already used");
    out.push_back(std::move(s));
  }
  return out;
}

SignatureMatcher::SignatureMatcher(std::vector<Signature> signatures) : signatures_(std::move(signatures)) {
  Node root;
  std::fill(std::begin(root.next), std::end(root.next), -1);
  nodes_.push_back(root);
  for (size_t i = 0; i < signatures_.size(); ++i) {
    std::string phrase;
    for (char c : signatures_[i].phrase) phrase += static_cast<char>(fold(c));
    phrases_.push_back(phrase);
    int32_t at = 0;
    for (unsigned char c : phrase) {
      if (nodes_[at].next[c] < 0) {
        Node node;
        std::fill(std::begin(node.next), std::end(node.next), -1);
        nodes_[at].next[c] = static_cast<int32_t>(nodes_.size());
        nodes_.push_back(node);
      }
      at = nodes_[at].next[c];
    }
    // The same phrase twice: the first signature reports it.
    if (nodes_[at].output < 0) nodes_[at].output = static_cast<int32_t>(i);
  }
  // Breadth first: each node's fail link is the longest proper suffix in the
  // trie, and missing moves become the moves of that suffix, so the scan is
  // one table lookup per byte.
  std::deque<int32_t> queue;
  for (int c = 0; c < 256; ++c) {
    int32_t child = nodes_[0].next[c];
    if (child < 0) {
      nodes_[0].next[c] = 0;
    } else {
      nodes_[child].fail = 0;
      queue.push_back(child);
    }
  }
  while (!queue.empty()) {
    int32_t at = queue.front();
    queue.pop_front();
    int32_t fail = nodes_[at].fail;
    nodes_[at].output_link = nodes_[fail].output >= 0 ? fail : nodes_[fail].output_link;
    for (int c = 0; c < 256; ++c) {
      int32_t child = nodes_[at].next[c];
      if (child < 0) {
        nodes_[at].next[c] = nodes_[fail].next[c];
      } else {
        nodes_[child].fail = nodes_[fail].next[c];
        queue.push_back(child);
      }
    }
  }
}

std::vector<SignatureMatcher::Match> SignatureMatcher::find(std::string_view text) const {
  std::vector<size_t> first(signatures_.size(), std::string_view::npos);
  auto record = [&](int32_t signature, size_t end) {
    const std::string& phrase = phrases_[static_cast<size_t>(signature)];
    size_t start = end + 1 - phrase.size();
    if (first[static_cast<size_t>(signature)] != std::string_view::npos) return;
    if (is_word_byte(static_cast<unsigned char>(phrase.front())) && start > 0 &&
        is_word_byte(fold(text[start - 1])))
      return;
    if (is_word_byte(static_cast<unsigned char>(phrase.back())) && end + 1 < text.size() &&
        is_word_byte(fold(text[end + 1])))
      return;
    first[static_cast<size_t>(signature)] = start;
  };
  int32_t at = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    at = nodes_[at].next[fold(text[i])];
    if (nodes_[at].output >= 0) record(nodes_[at].output, i);
    for (int32_t out = nodes_[at].output_link; out >= 0; out = nodes_[out].output_link) record(nodes_[out].output, i);
  }
  std::vector<Match> matches;
  for (size_t i = 0; i < signatures_.size(); ++i)
    if (first[i] != std::string_view::npos) matches.push_back({&signatures_[i], first[i]});
  return matches;
}

const std::vector<Signature>& shipped_signatures() {
  static const std::vector<Signature> signatures = [] {
    auto parsed = parse_signatures(shipped_signatures_tsv(), "data/monitor/signatures.tsv");
    // The file is checked by the unit tests; a bad one is a bug of the build.
    if (!parsed) throw std::logic_error(parsed.error().message);
    return std::move(*parsed);
  }();
  return signatures;
}

}  // namespace jaga::monitor
