// Signatures of defacement and injected spam: phrases found all at once,
// case-insensitively, in one pass over a page's text (Aho-Corasick). They are
// data: the shipped file (data/monitor/signatures.tsv) and any the desk adds
// are read with parse_signatures. Pure: no I/O.
//
// The file: one signature per line, four tab-separated columns
//   id  severity  phrase  description
// The id names the finding and starts with "defacement-" or "spam-", which is
// also the signature's kind; severity is low, medium, high or critical.
// Blank lines and lines starting with '#' are skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace jaga::monitor {

enum class SignatureKind { defacement, spam };

struct Signature {
  std::string id;
  SignatureKind kind = SignatureKind::defacement;
  std::string severity;
  std::string phrase;  // as written; matched in lower case
  std::string description;
};

// The signatures of a file, or the first bad line: "signatures.tsv line 7: ...".
Result<std::vector<Signature>> parse_signatures(std::string_view text, std::string_view file_name);

class SignatureMatcher {
 public:
  explicit SignatureMatcher(std::vector<Signature> signatures);

  struct Match {
    const Signature* signature;
    size_t offset;  // of the first occurrence in the text
  };
  // Each signature found in `text` once, in the order of the signatures. A
  // phrase that begins or ends with a letter or digit matches only where the
  // text has no letter or digit beside it ("hacked by" is not in "whacked by").
  std::vector<Match> find(std::string_view text) const;

  const std::vector<Signature>& signatures() const { return signatures_; }

 private:
  struct Node {
    int32_t next[256];
    int32_t fail = 0;
    int32_t output = -1;       // a signature ending here, or -1
    int32_t output_link = -1;  // the next node on the fail chain with an output
  };
  std::vector<Signature> signatures_;
  std::vector<std::string> phrases_;  // lower case
  std::vector<Node> nodes_;
};

// The shipped signatures (data/monitor/signatures.tsv, compiled in).
const std::vector<Signature>& shipped_signatures();

}  // namespace jaga::monitor
