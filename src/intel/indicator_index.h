// The indicator set that log matching and lookups ask: is this domain,
// address, URL, email address or hash listed, and why. Built once from
// canonical indicators, then read-only and safe to share between threads.
//
// Laid out for matching at line rate: one open-addressing table of 8-byte
// slots (a 32-bit tag and where the value's record is) over all kinds, and
// the records (id, kind, key, listed text) in one arena, both in huge pages;
// a lookup that misses (nearly all of them in a log) touches one slot, and a
// small Bloom filter in front turns most misses away before that; a hit
// reads one slot and one record. A domain's parents are hashed in the same
// right-to-left pass, a word at a time, that reads the name. About 50 bytes
// per indicator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intel/network.h"
#include "intel/normalise.h"
#include "util/huge_pages.h"

namespace jaga {

// Why a value matched: it is the indicator (exact), it is under a listed
// domain (parent_domain), inside a listed network (cidr), or one of its Safe
// Browsing expressions is a listed URL (url_prefix).
enum class MatchReason : uint8_t { exact, parent_domain, cidr, url_prefix };
std::string_view to_string(MatchReason reason);

struct IndexHit {
  uint32_t id = 0;  // the indicator, see IndicatorIndex::kind/value/listed/payload
  MatchReason reason = MatchReason::exact;
};

class IndicatorIndex {
 public:
  class Builder {
   public:
    // Adds a canonical indicator. `listed` is how its source wrote it (kept
    // only where it differs from the canonical form); `payload` is the
    // caller's (a store id, a line number). A value added twice keeps its
    // first entry.
    void add(const CanonicalIndicator& indicator, std::string_view listed, uint32_t payload = 0);
    size_t added() const { return pending_.size(); }
    IndicatorIndex build() &&;

   private:
    struct Pending {
      IndicatorKind kind;
      std::string key, listed;
      uint32_t payload;
    };
    std::vector<Pending> pending_;
  };

  IndicatorIndex() = default;

  size_t size() const { return size_; }
  size_t duplicates() const { return duplicates_; }  // values added more than once
  bool empty() const { return size_ == 0; }
  bool has(IndicatorKind kind) const { return (kinds_ >> static_cast<int>(kind)) & 1; }
  bool has_addresses() const { return has(IndicatorKind::ipv4) || has(IndicatorKind::ipv6) || has(IndicatorKind::cidr); }
  size_t memory_bytes() const;

  IndicatorKind kind(uint32_t id) const { return record(id).kind; }
  std::string value(uint32_t id) const;  // canonical
  std::string_view listed(uint32_t id) const;
  uint32_t payload(uint32_t id) const { return record(id).payload; }
  // Starts reading what kind/listed/payload answer, ahead of asking.
  void prefetch(uint32_t id) const { __builtin_prefetch(arena_.data() + 8 * uint64_t{id}); }

  // `name`: a host name in lower case without a trailing dot. The most
  // specific listed domain covering it.
  std::optional<IndexHit> match_domain(std::string_view name) const;
  // The same for many names at once (a batch of log lines): every probe of
  // the batch is started before any is awaited, so that the memory latency
  // of one overlaps the others'. out[i] answers names[i].
  void match_domains(const std::string_view* names, size_t count, std::optional<IndexHit>* out) const;
  // The most specific listed network (or the address itself) holding it.
  std::optional<IndexHit> match_address(const IpAddress& address) const;
  // A canonical URL: by its Safe Browsing expressions first, then by its host.
  std::optional<IndexHit> match_url(std::string_view canonical_url) const;
  // Email addresses and hashes, canonical.
  std::optional<IndexHit> match_exact(IndicatorKind kind, std::string_view canonical) const;
  // Any canonical indicator, by the rule of its kind.
  std::optional<IndexHit> match(const CanonicalIndicator& indicator) const;

 private:
  // A value in the arena: this record, the key's bytes, then the listed
  // text when it differs. Each starts on an 8-byte boundary, and its place
  // in 8-byte units is the value's id, so that a slot names it in 32 bits and
  // a lookup reads all it needs from one place.
  struct Record {
    uint32_t payload;
    uint16_t key_length;
    uint16_t listed_length;  // 0: the listed text is the key
    IndicatorKind kind;
    uint8_t space;  // which key space: domains, URL expressions, addresses, the rest
    uint8_t unused[2];  // written as zeros: no byte of the arena is left undefined
  };
  struct Slot {
    uint32_t tag;  // 0: empty
    uint32_t id;
  };
  Record record(uint32_t id) const;
  const char* key_bytes(uint32_t id) const;  // just after the record
  std::string_view key(uint32_t id) const;
  bool holds(uint32_t id, std::string_view key, uint8_t space, bool any_case) const;
  std::optional<uint32_t> find(uint64_t hash, std::string_view key, uint8_t space) const;
  // The most specific listed network holding `address`, among prefixes no
  // longer than `widest` (in the 128-bit space); exact when it is `widest`.
  std::optional<IndexHit> longest_network(const IpAddress& address, int widest) const;
  // find() after the Bloom filter said yes: the table from slot `pos` on.
  std::optional<uint32_t> probe(size_t pos, uint64_t hash, std::string_view key,
                                uint8_t space) const;

  std::vector<char, HugePageAllocator<char>> arena_;
  std::vector<Slot, HugePageAllocator<Slot>> slots_;
  uint64_t mask_ = 0;
  std::vector<uint64_t> filter_{0};  // see filter_bits in the .cpp
  uint64_t filter_mask_ = 0;
  uint32_t kinds_ = 0;
  size_t size_ = 0;
  size_t duplicates_ = 0;
  bool single_label_domains_ = false;
  // Prefix lengths present among listed addresses, longest first, in the
  // 128-bit space where IPv4 is mapped (a v4 /24 is 120).
  std::vector<uint8_t> v4_prefixes_, v6_prefixes_;
  friend class Builder;
};

}  // namespace jaga
