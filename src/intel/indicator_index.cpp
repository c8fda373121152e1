#include "intel/indicator_index.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <stdexcept>

namespace jaga {

namespace {

// Key spaces: the same bytes mean different things in each.
enum Space : uint8_t { domain_space, url_space, address_space, other_space };

Space space_of(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::domain: return domain_space;
    case IndicatorKind::url: return url_space;
    case IndicatorKind::ipv4:
    case IndicatorKind::ipv6:
    case IndicatorKind::cidr: return address_space;
    default: return other_space;
  }
}

constexpr uint64_t kSeeds[] = {0x9e3779b97f4a7c15ull, 0xc2b2ae3d27d4eb4full, 0x165667b19e3779f9ull, 0x27d4eb2f165667c5ull};
constexpr uint64_t kPrime = 0x100000001b3ull;

// The finaliser of MurmurHash3: spreads every input bit over the word.
inline uint64_t mix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

// The prefilter: a blocked Bloom filter of 8 bits per indicator (one 64-bit
// word per key, four bits set in it), small enough to stay in the core's
// cache, so that the values that are not listed (nearly all of a log) are
// turned away without touching the table.
inline uint64_t filter_bits(uint64_t k) {
  uint64_t spread = k * 0x9e3779b97f4a7c15ull;
  return (1ull << (spread >> 58)) | (1ull << ((spread >> 52) & 63)) | (1ull << ((spread >> 46) & 63)) |
         (1ull << ((spread >> 40) & 63));
}

// Domain names are read eight bytes at a time, as 64-bit words whose first
// byte is the lowest.
static_assert(std::endian::native == std::endian::little,
              "the domain hash reads names as little-endian words");
constexpr uint64_t kOnes = 0x0101010101010101ull;

inline uint64_t load_word(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

// ASCII letters of all eight bytes in lower case at once; other bytes kept.
inline uint64_t lower_word(uint64_t word) {
  uint64_t low7 = word & (0x7f * kOnes);
  uint64_t at_least_a = low7 + (0x80 - 'A') * kOnes;   // bit 7 set where a byte is >= 'A'
  uint64_t above_z = low7 + (0x80 - 'Z' - 1) * kOnes;  // ... where it is > 'Z'
  uint64_t upper = at_least_a & ~above_z & ~word & (0x80 * kOnes);
  return word | (upper >> 2);
}

// 0x80 in each byte of the word that is a dot, exactly (no borrow between bytes).
inline uint64_t dot_bytes(uint64_t word) {
  uint64_t x = word ^ ('.' * kOnes);
  return ~(((x & (0x7f * kOnes)) + 0x7f * kOnes) | x | (0x7f * kOnes));
}

// The first `count` (1..7) bytes of a name of `size` bytes, in the top bytes
// of a word: the word that would be read at p + count - 8, without reading
// before p.
inline uint64_t load_leftmost(const char* p, size_t count, size_t size) {
  if (size >= 8) return load_word(p) << (8 * (8 - count));
  uint64_t word = 0;
  for (size_t j = 0; j < count; ++j)
    word |= uint64_t{static_cast<uint8_t>(p[j])} << (8 * (8 - count + j));
  return word;
}

inline uint64_t suffix_hash(uint64_t chain, uint64_t partial, size_t length) {
  return mix((chain ^ partial) * kPrime + length);
}

// The hash of every suffix of `name` that starts a label, in one pass from the
// right, ignoring ASCII case: found(hash, start) for the shortest suffix (the
// last label) first and the whole name last. The name is read in words
// aligned on its end, which every suffix shares: a suffix of r bytes hashes
// the chain of its r / 8 whole words and the r % 8 bytes left of them, so
// that a label costs a few operations whatever its length, instead of a
// multiply per byte. Keys in the table are hashed the same way (the whole
// key is its own longest suffix).
template <class Found>
inline void for_each_suffix_hash(const char* p, size_t size, Found&& found) {
  uint64_t chain = kSeeds[domain_space];
  size_t words = (size + 7) / 8;
  for (size_t k = 1; k <= words; ++k) {
    size_t count = std::min<size_t>(8, size - 8 * (k - 1));  // bytes of the name in this word
    uint64_t word =
        lower_word(count == 8 ? load_word(p + size - 8 * k) : load_leftmost(p, count, size));
    uint64_t starts = dot_bytes(word);  // a label starts after each dot...
    if (count < 8)
      starts |= uint64_t{0x80} << (8 * (7 - count));  // ...and at the name's first byte
    while (starts) {
      int bit = 63 - std::countl_zero(starts);
      starts &= ~(uint64_t{1} << bit);
      size_t j = static_cast<size_t>(bit) / 8;  // the dot's byte in the word
      size_t length = 8 * k - j - 1;
      if (length == 0) continue;  // a trailing dot starts no label
      found(suffix_hash(chain, (word >> (8 * j)) >> 8, length), size - length);
    }
    chain = (chain ^ word) * kPrime;
  }
  if (size % 8 == 0 && size > 0) found(suffix_hash(chain, 0, size), 0);
}

uint64_t domain_hash(std::string_view key) {
  uint64_t whole = 0;
  for_each_suffix_hash(key.data(), key.size(), [&](uint64_t hash, size_t start) {
    if (start == 0) whole = hash;
  });
  return whole;
}

// The mixed hash of a key of any space: URL, address and other keys a byte
// at a time.
uint64_t key_hash(Space space, std::string_view key) {
  if (space == domain_space) return domain_hash(key);
  uint64_t h = kSeeds[space];
  for (char c : key) h = (h ^ static_cast<uint8_t>(c)) * kPrime;
  return mix(h);
}

// Domains are compared ignoring case, a word at a time; `lower` is a key of
// the table, in lower case already.
bool equal_ignoring_case(const char* a, const char* lower, size_t n) {
  if (n < 8) return n == 0 || lower_word(load_leftmost(a, n, n)) == load_leftmost(lower, n, n);
  for (size_t i = 0; i + 8 <= n; i += 8)
    if (lower_word(load_word(a + i)) != load_word(lower + i)) return false;
  // The last word read again, overlapping the one before.
  return lower_word(load_word(a + n - 8)) == load_word(lower + n - 8);
}

// Addresses as keys: the prefix length (in the mapped 128-bit space) and the
// address with the bits past it cleared.
std::string address_key(const IpAddress& address, int prefix) {
  std::string key(17, '\0');
  key[0] = static_cast<char>(prefix);
  auto bytes = address.bytes;
  for (int i = prefix; i < 128; ++i) bytes[i / 8] &= static_cast<uint8_t>(~(1u << (7 - i % 8)));
  std::memcpy(key.data() + 1, bytes.data(), 16);
  return key;
}

}  // namespace

std::string_view to_string(MatchReason reason) {
  switch (reason) {
    case MatchReason::exact: return "exact";
    case MatchReason::parent_domain: return "parent_domain";
    case MatchReason::cidr: return "cidr";
    case MatchReason::url_prefix: return "url_prefix";
  }
  return "exact";
}

void IndicatorIndex::Builder::add(const CanonicalIndicator& indicator, std::string_view listed, uint32_t payload) {
  Pending p{indicator.kind, indicator.value, listed == indicator.value ? std::string() : std::string(listed), payload};
  if (indicator.kind == IndicatorKind::url) {
    p.key = url_expression(indicator.value);
    if (p.listed.empty()) p.listed = indicator.value;
  } else if (space_of(indicator.kind) == address_space) {
    auto network = parse_network(indicator.value);
    if (!network) throw std::logic_error("not a canonical address: " + indicator.value);
    p.key = address_key(network->base, network->prefix + (network->base.v6 ? 0 : 96));
    if (p.listed.empty()) p.listed = indicator.value;
  }
  if (p.key.size() > 65535) return;  // no real indicator is this long; normalise_indicator refuses them
  if (p.listed.size() > 65535) p.listed.resize(65535);
  pending_.push_back(std::move(p));
}

IndicatorIndex IndicatorIndex::Builder::build() && {
  IndicatorIndex index;
  size_t capacity = 16;
  while (capacity < pending_.size() * 2) capacity *= 2;
  index.slots_.assign(capacity, Slot{0, 0});
  index.mask_ = capacity - 1;
  std::vector<std::pair<uint64_t, uint32_t>> added;  // the hash and the id of each value
  added.reserve(pending_.size());
  size_t arena_size = 0;
  for (const auto& p : pending_) arena_size += sizeof(Record) + p.key.size() + p.listed.size() + 7;
  index.arena_.reserve(arena_size);
  std::array<bool, 129> v4{}, v6{};

  for (auto& p : pending_) {
    auto space = space_of(p.kind);
    uint64_t k = key_hash(space, p.key);
    uint32_t tag = static_cast<uint32_t>(k >> 32) | 1;
    size_t pos = k & index.mask_;
    bool duplicate = false;
    for (; index.slots_[pos].tag != 0; pos = (pos + 1) & index.mask_) {
      const auto& slot = index.slots_[pos];
      if (slot.tag == tag && index.holds(slot.id, p.key, space, false)) {
        duplicate = true;
        break;
      }
    }
    if (duplicate) {
      ++index.duplicates_;
      continue;
    }
    uint64_t id = index.arena_.size() / 8;
    if (id > UINT32_MAX)
      throw std::length_error("the indicator index holds at most 32 GiB of values");
    Record record{p.payload,
                  static_cast<uint16_t>(p.key.size()),
                  static_cast<uint16_t>(p.listed.size()),
                  p.kind,
                  space,
                  {0, 0}};
    auto append = [&arena = index.arena_](const void* bytes, size_t size) {
      arena.insert(arena.end(), static_cast<const char*>(bytes),
                   static_cast<const char*>(bytes) + size);
    };
    append(&record, sizeof record);
    append(p.key.data(), p.key.size());
    append(p.listed.data(), p.listed.size());
    index.arena_.resize((index.arena_.size() + 7) / 8 * 8, '\0');  // the next record starts a word
    index.slots_[pos] = Slot{tag, static_cast<uint32_t>(id)};
    added.emplace_back(k, static_cast<uint32_t>(id));
    index.kinds_ |= 1u << static_cast<int>(p.kind);
    if (p.kind == IndicatorKind::domain && p.key.find('.') == std::string::npos) index.single_label_domains_ = true;
    if (space == address_space) {
      int prefix = static_cast<uint8_t>(p.key[0]);
      bool is_v6 = p.kind == IndicatorKind::ipv6 || !is_ipv4_mapped(reinterpret_cast<const uint8_t*>(p.key.data() + 1));
      (is_v6 ? v6 : v4)[prefix] = true;
    }
  }
  index.size_ = added.size();
  // Values listed more than once made the table larger than it needs be.
  size_t needed = 16;
  while (needed < index.size_ * 2) needed *= 2;
  if (needed < index.slots_.size()) {
    index.slots_.assign(needed, Slot{0, 0});
    index.slots_.shrink_to_fit();
    index.mask_ = needed - 1;
    for (auto [k, id] : added) {
      size_t pos = k & index.mask_;
      while (index.slots_[pos].tag != 0) pos = (pos + 1) & index.mask_;
      index.slots_[pos] = Slot{static_cast<uint32_t>(k >> 32) | 1, id};
    }
  }
  index.arena_.shrink_to_fit();
  size_t words = 64;
  while (words * 64 < index.size_ * 8) words *= 2;
  index.filter_.assign(words, 0);
  index.filter_mask_ = words - 1;
  for (auto [k, id] : added) index.filter_[(k >> 32) & index.filter_mask_] |= filter_bits(k);
  for (int prefix = 128; prefix >= 0; --prefix) {
    if (v4[prefix]) index.v4_prefixes_.push_back(static_cast<uint8_t>(prefix));
    if (v6[prefix]) index.v6_prefixes_.push_back(static_cast<uint8_t>(prefix));
  }
  pending_.clear();
  pending_.shrink_to_fit();
  return index;
}

size_t IndicatorIndex::memory_bytes() const {
  return arena_.capacity() + slots_.capacity() * sizeof(Slot) +
         filter_.capacity() * sizeof(uint64_t) + v4_prefixes_.capacity() + v6_prefixes_.capacity() +
         sizeof(*this);
}

IndicatorIndex::Record IndicatorIndex::record(uint32_t id) const {
  Record record;
  std::memcpy(&record, arena_.data() + 8 * uint64_t{id}, sizeof record);
  return record;
}

const char* IndicatorIndex::key_bytes(uint32_t id) const {
  return arena_.data() + 8 * uint64_t{id} + sizeof(Record);
}

std::string_view IndicatorIndex::key(uint32_t id) const {
  return {key_bytes(id), record(id).key_length};
}

std::string IndicatorIndex::value(uint32_t id) const {
  auto r = record(id);
  if (r.kind == IndicatorKind::url) return std::string(listed(id));  // keyed by its expression
  auto bytes = key(id);
  if (r.space != address_space) return std::string(bytes);
  Network network;
  int prefix = static_cast<uint8_t>(bytes[0]);
  std::memcpy(network.base.bytes.data(), bytes.data() + 1, 16);
  network.base.v6 = r.kind == IndicatorKind::ipv6 || !is_ipv4_mapped(network.base.bytes.data());
  network.prefix = network.base.v6 ? prefix : prefix - 96;
  auto text = network.text();
  if (prefix == 128) text.resize(text.find('/'));
  return text;
}

std::string_view IndicatorIndex::listed(uint32_t id) const {
  auto r = record(id);
  if (r.listed_length == 0) return {key_bytes(id), r.key_length};
  return {key_bytes(id) + r.key_length, r.listed_length};
}

// Only domains are compared ignoring case (when asked): URL paths are
// case-sensitive and address keys are bytes.
inline bool IndicatorIndex::holds(uint32_t id, std::string_view key, uint8_t space,
                                  bool any_case) const {
  auto r = record(id);
  if (r.space != space || r.key_length != key.size()) return false;
  const char* bytes = key_bytes(id);
  return any_case ? equal_ignoring_case(key.data(), bytes, key.size())
                  : std::memcmp(key.data(), bytes, key.size()) == 0;
}

inline std::optional<uint32_t> IndicatorIndex::find(uint64_t k, std::string_view key,
                                                    uint8_t space) const {
  uint64_t bits = filter_bits(k);
  if ((filter_[(k >> 32) & filter_mask_] & bits) != bits) return std::nullopt;
  return probe(k & mask_, k, key, space);
}

inline std::optional<uint32_t> IndicatorIndex::probe(size_t pos, uint64_t k, std::string_view key,
                                                     uint8_t space) const {
  uint32_t tag = static_cast<uint32_t>(k >> 32) | 1;
  for (;; pos = (pos + 1) & mask_) {
    const Slot& slot = slots_[pos];
    if (slot.tag == 0) return std::nullopt;
    if (slot.tag == tag && holds(slot.id, key, space, space == domain_space)) return slot.id;
  }
}

std::optional<IndexHit> IndicatorIndex::match_domain(std::string_view name) const {
  if (!has(IndicatorKind::domain) || name.empty()) return std::nullopt;
  std::optional<IndexHit> best;
  bool first_label = true;
  // Shorter suffixes come first, so the later a hit, the more specific.
  for_each_suffix_hash(name.data(), name.size(), [&](uint64_t hash, size_t start) {
    if (!first_label || single_label_domains_)
      if (auto id = find(hash, name.substr(start), domain_space))
        best = IndexHit{*id, start == 0 ? MatchReason::exact : MatchReason::parent_domain};
    first_label = false;
  });
  return best;
}

void IndicatorIndex::match_domains(const std::string_view* names, size_t count, std::optional<IndexHit>* out) const {
  for (size_t i = 0; i < count; ++i) out[i].reset();
  if (!has(IndicatorKind::domain)) return;
  // One probe per label boundary of every name, in the order match_domain
  // makes them (shorter suffixes first, so a later hit is more specific).
  struct Probe {
    uint64_t mixed;
    uint32_t name;
    uint32_t start;
    uint64_t slot;  // where its tag was found
  };
  constexpr size_t kMaxProbes = 2048;
  Probe probes[kMaxProbes];
  size_t count_probes = 0;
  auto run = [&] {
    // Three rounds, each starting the memory reads of the next, so that a
    // batch waits for memory about three times instead of three times per
    // name. The filter words were fetched as the hashes were made; the
    // probes that pass fetch their slots.
    size_t passed = 0;
    for (size_t p = 0; p < count_probes; ++p) {
      uint64_t k = probes[p].mixed;
      uint64_t bits = filter_bits(k);
      if ((filter_[(k >> 32) & filter_mask_] & bits) != bits) continue;
      __builtin_prefetch(&slots_[k & mask_]);
      probes[passed++] = probes[p];
    }
    // The first slot with a probe's tag names the value to compare (almost
    // always the only one); its record is fetched.
    size_t candidates = 0;
    for (size_t p = 0; p < passed; ++p) {
      uint64_t k = probes[p].mixed;
      uint32_t tag = static_cast<uint32_t>(k >> 32) | 1;
      size_t pos = k & mask_;
      while (slots_[pos].tag != 0 && slots_[pos].tag != tag) pos = (pos + 1) & mask_;
      if (slots_[pos].tag == 0) continue;
      prefetch(slots_[pos].id);
      probes[candidates] = probes[p];
      probes[candidates++].slot = pos;
    }
    for (size_t p = 0; p < candidates; ++p) {
      const auto& pr = probes[p];
      std::string_view name = names[pr.name];
      if (auto id = probe(pr.slot, pr.mixed, name.substr(pr.start), domain_space))
        out[pr.name] = IndexHit{*id, pr.start == 0 ? MatchReason::exact : MatchReason::parent_domain};
    }
    count_probes = 0;
  };
  for (size_t i = 0; i < count; ++i) {
    std::string_view name = names[i];
    if (count_probes + name.size() / 2 + 2 > kMaxProbes) run();
    if (name.size() > 2 * kMaxProbes - 4) {  // no real name is this long; the slow path takes it
      out[i] = match_domain(name);
      continue;
    }
    bool first_label = true;
    for_each_suffix_hash(name.data(), name.size(), [&](uint64_t k, size_t start) {
      if (!first_label || single_label_domains_) {
        __builtin_prefetch(&filter_[(k >> 32) & filter_mask_]);
        if (count_probes < kMaxProbes)
          probes[count_probes++] =
              Probe{k, static_cast<uint32_t>(i), static_cast<uint32_t>(start), 0};
      }
      first_label = false;
    });
  }
  run();
}

std::optional<IndexHit> IndicatorIndex::longest_network(const IpAddress& address, int widest) const {
  for (uint8_t prefix : address.v6 ? v6_prefixes_ : v4_prefixes_) {
    if (prefix > widest) continue;
    auto key = address_key(address, prefix);
    if (auto id = find(key_hash(address_space, key), key, address_space))
      return IndexHit{*id, prefix == widest ? MatchReason::exact : MatchReason::cidr};
  }
  return std::nullopt;
}

std::optional<IndexHit> IndicatorIndex::match_address(const IpAddress& given) const {
  if (!has_addresses()) return std::nullopt;
  IpAddress address = given;
  // An IPv4-mapped IPv6 address is the IPv4 address.
  if (address.v6 && is_ipv4_mapped(address.bytes.data())) address.v6 = false;
  return longest_network(address, 128);
}

std::optional<IndexHit> IndicatorIndex::match_url(std::string_view canonical_url) const {
  if (has(IndicatorKind::url)) {
    auto expressions = url_expressions(canonical_url);
    for (size_t i = 0; i < expressions.size(); ++i)
      if (auto id = find(key_hash(url_space, expressions[i]), expressions[i], url_space))
        return IndexHit{*id, i == 0 ? MatchReason::exact : MatchReason::url_prefix};
  }
  auto host = url_host(canonical_url);
  if (auto ip = parse_ip(host)) return match_address(*ip);
  return match_domain(host);
}

std::optional<IndexHit> IndicatorIndex::match_exact(IndicatorKind kind, std::string_view canonical) const {
  if (!has(kind)) return std::nullopt;
  if (auto id = find(key_hash(other_space, canonical), canonical, other_space))
    return IndexHit{*id, MatchReason::exact};
  return std::nullopt;
}

std::optional<IndexHit> IndicatorIndex::match(const CanonicalIndicator& indicator) const {
  switch (indicator.kind) {
    case IndicatorKind::domain: return match_domain(indicator.value);
    case IndicatorKind::url: return match_url(indicator.value);
    case IndicatorKind::ipv4:
    case IndicatorKind::ipv6:
      if (auto ip = parse_ip(indicator.value)) return match_address(*ip);
      return std::nullopt;
    case IndicatorKind::cidr: {
      // A network matches when a listed network holds all of it.
      auto network = parse_network(indicator.value);
      if (!network || !has_addresses()) return std::nullopt;
      return longest_network(network->base, network->prefix + (network->base.v6 ? 0 : 96));
    }
    default: return match_exact(indicator.kind, indicator.value);
  }
}

}  // namespace jaga
