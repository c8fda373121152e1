#include "intel/stix_vocabulary.h"

#include <openssl/evp.h>

#include <array>
#include <cstdio>

namespace jaga {

namespace {

struct Marking {
  std::string_view id;
  Tlp tlp;
};

// From data/taxonomies/tlp.json: FIRST's TLP 2.0 definitions first, then the
// TLP 1.0 ones built into STIX 2.1 (section 7.2.1.4).
constexpr Marking kMarkings[] = {
    {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", Tlp::clear},
    {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", Tlp::green},
    {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", Tlp::amber},
    {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", Tlp::amber_strict},
    {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", Tlp::red},
    {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Tlp::clear},
    {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Tlp::green},
    {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Tlp::amber},
    {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Tlp::red},
};

// The object paths jaga reads and writes, with the kind each one holds.
struct Path {
  std::string_view path;
  std::optional<IndicatorKind> kind;  // empty: an address, v4 or v6 or a network, by its text
};
constexpr Path kPaths[] = {
    {"domain-name:value", IndicatorKind::domain},
    {"url:value", IndicatorKind::url},
    {"ipv4-addr:value", std::nullopt},
    {"ipv6-addr:value", std::nullopt},
    {"email-addr:value", IndicatorKind::email},
    {"email-message:from_ref.value", IndicatorKind::email},
    {"email-message:sender_ref.value", IndicatorKind::email},
    {"file:hashes.md5", IndicatorKind::md5},
    {"file:hashes.sha-1", IndicatorKind::sha1},
    {"file:hashes.sha1", IndicatorKind::sha1},
    {"file:hashes.sha-256", IndicatorKind::sha256},
    {"file:hashes.sha256", IndicatorKind::sha256},
    {"file:hashes.sha-512", IndicatorKind::sha512},
    {"file:hashes.sha512", IndicatorKind::sha512},
};

// This project's UUIDv5 namespace for the ids of the objects it makes.
constexpr std::array<unsigned char, 16> kIndicatorNamespace = {0x4e, 0x3b, 0xa1, 0x69, 0xc5, 0x2f, 0x4c, 0x5b,
                                                              0x93, 0xdb, 0x7d, 0x4d, 0x1b, 0x1a, 0xfd, 0xcc};

class PatternReader {
 public:
  explicit PatternReader(std::string_view text) : text_(text) {}

  Result<std::vector<PatternTerm>> read() {
    std::vector<PatternTerm> terms;
    while (true) {
      if (!take('[')) return fail("expected '['");
      while (true) {
        auto term = comparison();
        if (!term) return term.error();
        terms.push_back(std::move(*term));
        if (take(']')) break;
        auto joiner = word();
        if (joiner == "AND") return Error::invalid("the pattern joins comparisons with AND; only OR is read");
        if (joiner != "OR") return fail("expected OR or ']'");
      }
      skip_space();
      if (at_end()) return terms;
      auto joiner = word();
      if (joiner == "AND" || joiner == "FOLLOWEDBY")
        return Error::invalid("the pattern joins observations with " + joiner + "; only OR is read");
      if (joiner == "WITHIN" || joiner == "REPEATS" || joiner == "START")
        return Error::invalid("the pattern has a qualifier (" + joiner + "); only plain comparisons are read");
      if (joiner != "OR") return fail("expected OR between observations");
    }
  }

 private:
  Result<PatternTerm> comparison() {
    skip_space();
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ' ' && text_[pos_] != '=' && text_[pos_] != '!' &&
           text_[pos_] != '<' && text_[pos_] != '>' && text_[pos_] != ']')
      ++pos_;
    std::string path;
    for (char c : text_.substr(start, pos_ - start))
      if (c != '\'' && c != '"') path += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (path.empty()) return fail("expected an object path");
    skip_space();
    if (!take('=')) {
      auto op = word();
      return Error::invalid("the pattern compares " + path + " with " + (op.empty() ? "an operator" : op) +
                                  "; only '=' names an indicator");
    }
    skip_space();
    if (!take('\'')) return fail("expected a quoted string after '='");
    std::string value;
    while (true) {
      if (at_end()) return fail("the string is not closed");
      char c = text_[pos_++];
      if (c == '\'') break;
      if (c == '\\') {
        if (at_end()) return fail("the string is not closed");
        c = text_[pos_++];
      }
      value += c;
    }
    for (const auto& known : kPaths)
      if (known.path == path) return PatternTerm{known.kind, std::move(value)};
    return Error::invalid("the pattern compares " + path + ", which is not an indicator kind jaga keeps");
  }

  std::string word() {
    skip_space();
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= 'A' && text_[pos_] <= 'Z') ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  bool take(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n')) ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  Error fail(const std::string& what) const {
    return Error::invalid("the pattern cannot be read at character " + std::to_string(pos_ + 1) + ": " + what);
  }

  std::string_view text_;
  size_t pos_ = 0;
};

std::string quoted(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

std::string_view tlp_marking_id(Tlp tlp) { return kMarkings[static_cast<size_t>(tlp)].id; }

std::optional<Tlp> tlp_of_marking(std::string_view marking_id) {
  for (const auto& m : kMarkings)
    if (m.id == marking_id) return m.tlp;
  return std::nullopt;
}

Result<std::vector<PatternTerm>> parse_simple_pattern(std::string_view pattern) {
  return PatternReader(pattern).read();
}

std::string pattern_of(const CanonicalIndicator& indicator) {
  std::string_view path;
  switch (indicator.kind) {
    case IndicatorKind::domain: path = "domain-name:value"; break;
    case IndicatorKind::url: path = "url:value"; break;
    case IndicatorKind::ipv4: path = "ipv4-addr:value"; break;
    case IndicatorKind::ipv6: path = "ipv6-addr:value"; break;
    case IndicatorKind::cidr:
      path = indicator.value.find(':') != std::string::npos ? "ipv6-addr:value" : "ipv4-addr:value";
      break;
    case IndicatorKind::email: path = "email-addr:value"; break;
    case IndicatorKind::md5: path = "file:hashes.MD5"; break;
    case IndicatorKind::sha1: path = "file:hashes.'SHA-1'"; break;
    case IndicatorKind::sha256: path = "file:hashes.'SHA-256'"; break;
    case IndicatorKind::sha512: path = "file:hashes.'SHA-512'"; break;
  }
  return "[" + std::string(path) + " = " + quoted(indicator.value) + "]";
}

std::string stix_indicator_id(const CanonicalIndicator& indicator) {
  return deterministic_stix_id("indicator", std::string(to_string(indicator.kind)) + ":" + indicator.value);
}

std::string deterministic_stix_id(std::string_view type, std::string_view name_text) {
  std::string name(kIndicatorNamespace.begin(), kIndicatorNamespace.end());
  name += type;
  name += ':';
  name += name_text;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // Fetched once: an implicit fetch on every digest costs more than the digest.
  static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  EVP_Digest(name.data(), name.size(), digest, &length, sha1, nullptr);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", digest[0],
                digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7], digest[8], digest[9],
                digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]);
  return std::string(type) + "--" + text;
}

}  // namespace jaga
