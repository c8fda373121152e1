#include "intel/warninglist.h"

// GCC 12 warns falsely about std::function inside std::regex's compiler
// (a known libstdc++ false positive at -O1 with sanitizers).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <algorithm>
#include <array>
#include <cstring>
#include <boost/json.hpp>
#include <map>
#include <regex>
#include <unordered_map>

#include "intel/indicator_index.h"
#include "intel/network.h"
#include "util/text.h"

namespace jaga {

namespace {

// The kinds a list can apply to, as MISP's attribute types group them.
enum Group { domain_group, url_group, ip_group, email_group, hash_group, group_count };

Group group_of(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::domain: return domain_group;
    case IndicatorKind::url: return url_group;
    case IndicatorKind::ipv4:
    case IndicatorKind::ipv6:
    case IndicatorKind::cidr: return ip_group;
    case IndicatorKind::email: return email_group;
    default: return hash_group;
  }
}

// Which groups a MISP attribute type belongs to. Composite types
// ("domain|ip", "filename|md5") are values of their own in MISP, which jaga
// does not have, except that a hash is a hash whatever file it names.
unsigned groups_of_attribute(std::string_view type) {
  unsigned mask = 0;
  if (type == "domain" || type == "hostname") mask |= 1u << domain_group;
  if (type == "url" || type == "uri" || type == "link") mask |= 1u << url_group;
  if (type == "ip-src" || type == "ip-dst" || type == "ip-src|port" || type == "ip-dst|port" || type == "ip")
    mask |= 1u << ip_group;
  if (type == "email" || type == "email-src" || type == "email-dst" || type == "target-email" ||
      type == "email-reply-to" || type == "whois-registrant-email")
    mask |= 1u << email_group;
  for (std::string_view hash : {"md5", "sha1", "sha224", "sha256", "sha512"})
    if (type == hash || type == "filename|" + std::string(hash)) mask |= 1u << hash_group;
  return mask;
}

using ListId = uint16_t;

// Many substrings searched at once (Aho-Corasick): one pass over the value
// whatever the number of entries.
class SubstringSet {
 public:
  void add(std::string_view needle, ListId id) {
    if (needle.empty()) return;
    int node = 0;
    for (unsigned char c : needle) {
      auto [it, added] = edges_.try_emplace(key(node, c), static_cast<int>(nodes_.size()));
      if (added) nodes_.push_back({});
      node = it->second;
    }
    if (!nodes_[node].found) nodes_[node].found = id;
  }
  std::optional<ListId> find(std::string_view text) const {
    if (nodes_.size() == 1) return std::nullopt;
    int node = 0;
    for (unsigned char c : text) {
      for (;;) {
        auto it = edges_.find(key(node, c));
        if (it != edges_.end()) {
          node = it->second;
          break;
        }
        if (node == 0) break;
        node = nodes_[node].fail;
      }
      if (nodes_[node].output) return *nodes_[node].output;
    }
    return std::nullopt;
  }

 private:
  struct Node {
    int fail = 0;
    std::optional<ListId> found;   // an entry ends here
    std::optional<ListId> output;  // an entry ends here or at a node on the fail chain
  };
  static uint64_t key(int node, unsigned char c) { return (static_cast<uint64_t>(node) << 8) | c; }

 public:
  // Failure links, breadth first: after adding, before searching.
  void prepare() {
    std::vector<std::vector<std::pair<unsigned char, int>>> children(nodes_.size());
    for (const auto& [k, child] : edges_) children[k >> 8].emplace_back(static_cast<unsigned char>(k & 255), child);
    std::vector<int> queue{0};
    nodes_[0].output = nodes_[0].found;
    for (size_t head = 0; head < queue.size(); ++head) {
      int node = queue[head];
      for (auto [c, child] : children[node]) {
        int fail = 0;
        if (node != 0) {
          for (int f = nodes_[node].fail;; f = nodes_[f].fail) {
            if (auto it = edges_.find(key(f, c)); it != edges_.end()) {
              fail = it->second;
              break;
            }
            if (f == 0) break;
          }
        }
        nodes_[child].fail = fail;
        nodes_[child].output = nodes_[child].found ? nodes_[child].found : nodes_[fail].output;
        queue.push_back(child);
      }
    }
  }

 private:
  std::unordered_map<uint64_t, int> edges_;
  std::vector<Node> nodes_{Node{}};
};

// Looked up by string_view, so that asking about each parent of a name
// allocates nothing.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// "string" entries, each text held once whatever the groups it applies to:
// a table per group held a copy of the text for each (the shipped lists
// name 290,000 strings, many for every group; about 10 MiB saved).
class ExactTable {
 public:
  void add(const std::string& text, unsigned group_mask, ListId id) {
    auto [it, added] = first_.try_emplace(text, static_cast<uint32_t>(hits_.size()));
    if (!added) {
      // A group keeps the first list that names the text: only groups not
      // yet covered are added.
      uint32_t last = it->second;
      for (uint32_t i = it->second; i != kNone; i = hits_[i].next) {
        group_mask &= ~hits_[i].mask;
        last = i;
      }
      if (group_mask == 0) return;
      hits_[last].next = static_cast<uint32_t>(hits_.size());
    }
    hits_.push_back({static_cast<uint16_t>(group_mask), id, kNone});
  }
  std::optional<ListId> find(std::string_view text, int group) const {
    auto it = first_.find(text);
    if (it == first_.end()) return std::nullopt;
    for (uint32_t i = it->second; i != kNone; i = hits_[i].next)
      if (hits_[i].mask & (1u << group)) return hits_[i].id;
    return std::nullopt;
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Hit {
    uint16_t mask;  // the groups it applies to
    ListId id;
    uint32_t next;  // another list's hit for other groups, or kNone
  };
  std::unordered_map<std::string, uint32_t, TextHash, std::equal_to<>> first_;
  std::vector<Hit> hits_;
};

struct GroupTables {
  int group = 0;
  // "hostname" entries and ".suffix" strings, in the order the lists give
  // them, and built by freeze() into the matcher's flat table that lookups
  // ask: a value that no list names, nearly every one, costs a Bloom filter
  // probe per label instead of a hash-map walk per suffix. A name listed
  // twice keeps its first list, as the table keeps a value's first entry.
  std::vector<std::pair<std::string, ListId>> suffixes;
  IndicatorIndex suffix_index;
  SubstringSet substrings;
  std::vector<std::pair<std::regex, ListId>> regexes;
};

// "/pattern/flags" as MISP writes regexes; a bare pattern is taken as is.
std::optional<std::regex> read_regex(std::string_view entry) {
  auto flags = std::regex::ECMAScript | std::regex::optimize;
  std::string pattern(entry);
  if (entry.size() > 2 && entry.front() == '/') {
    auto close = entry.rfind('/');
    if (close > 0) {
      pattern = std::string(entry.substr(1, close - 1));
      if (entry.substr(close + 1).find('i') != std::string_view::npos) flags |= std::regex::icase;
    }
  }
  // PCRE lets any punctuation be escaped; ECMAScript only syntax characters.
  std::string cleaned;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size() && (pattern[i + 1] == '@' || pattern[i + 1] == '-')) continue;
    cleaned.push_back(pattern[i]);
  }
  try {
    return std::regex(cleaned, flags);
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
}

}  // namespace


struct Warninglists::Tables {
  std::vector<WarninglistInfo> lists;
  std::array<GroupTables, group_count> groups = [] {
    std::array<GroupTables, group_count> all;
    for (int g = 0; g < group_count; ++g) all[g].group = g;
    return all;
  }();
  ExactTable exact;
  // Networks by prefix length (IPv4 counted in the mapped 128-bit space).
  std::map<int, std::unordered_map<std::string, ListId>, std::greater<int>> networks;
  // The addresses any listed network covers, as sorted disjoint ranges of
  // 16-byte addresses: most addresses are in no list, and one binary search
  // says so instead of a hash probe per listed prefix length.
  using Address = std::array<uint8_t, 16>;
  std::vector<std::pair<Address, Address>> covered;
  size_t entries = 0;

  // The most specific listed suffix of the name (the name itself first).
  std::optional<ListId> by_suffix(const GroupTables& g, std::string_view name) const {
    auto hit = g.suffix_index.match_domain(name);
    if (!hit) return std::nullopt;
    return static_cast<ListId>(g.suffix_index.payload(hit->id));
  }
  // Builds the suffix tables that by_suffix reads and the covered ranges
  // that by_network reads first; after lists are added.
  void freeze() {
    covered.clear();
    for (const auto& [bits, table] : networks) {
      for (const auto& [key, id] : table) {
        (void)id;
        Address first{}, last{};
        std::memcpy(first.data(), key.data(), 16);
        last = first;
        for (int bit = bits; bit < 128; ++bit) last[bit / 8] |= static_cast<uint8_t>(0x80u >> (bit % 8));
        covered.emplace_back(first, last);
      }
    }
    std::sort(covered.begin(), covered.end());
    size_t kept = 0;
    for (size_t i = 0; i < covered.size(); ++i) {
      if (kept > 0 && !after_end(covered[i].first, covered[kept - 1].second)) {
        covered[kept - 1].second = std::max(covered[kept - 1].second, covered[i].second);
        continue;
      }
      covered[kept++] = covered[i];
    }
    covered.resize(kept);
    for (auto& g : groups) {
      IndicatorIndex::Builder builder;
      for (const auto& [name, id] : g.suffixes)
        builder.add(CanonicalIndicator{IndicatorKind::domain, name}, name, id);
      g.suffix_index = std::move(builder).build();
    }
  }
  std::optional<ListId> by_text(const GroupTables& g, const std::string& value) const {
    if (auto id = exact.find(value, g.group)) return id;
    if (auto id = g.substrings.find(value)) return id;
    for (const auto& [pattern, id] : g.regexes)
      if (std::regex_search(value, pattern)) return id;
    return std::nullopt;
  }
  // Whether `address` lies past the range ending at `end` and does not
  // adjoin it (end + 1 < address).
  static bool after_end(const Address& address, const Address& end) {
    Address next = end;
    for (int i = 15; i >= 0; --i)
      if (++next[i] != 0) break;
    bool wrapped = std::all_of(next.begin(), next.end(), [](uint8_t b) { return b == 0; });
    return !wrapped && address > next;
  }
  bool may_be_covered(const Network& inside) const {
    const Address& address = inside.base.bytes;
    auto after = std::upper_bound(covered.begin(), covered.end(), address,
                                  [](const Address& a, const auto& range) { return a < range.first; });
    return after != covered.begin() && std::prev(after)->second >= address;
  }
  std::optional<ListId> by_network(const Network& inside) const {
    if (!may_be_covered(inside)) return std::nullopt;
    for (const auto& [prefix, table] : networks) {
      int bits = prefix;
      int own = inside.prefix + (inside.base.v6 ? 0 : 96);
      if (bits > own) continue;  // a listed network narrower than the indicator does not cover it
      // The address with every bit after the prefix cleared, a byte at a time.
      auto bytes = inside.base.bytes;
      size_t first_clear = static_cast<size_t>(bits / 8);
      if (bits % 8) bytes[first_clear++] &= static_cast<uint8_t>(0xFFu << (8 - bits % 8));
      for (size_t i = first_clear; i < bytes.size(); ++i) bytes[i] = 0;
      if (auto it = table.find(std::string(reinterpret_cast<const char*>(bytes.data()), 16)); it != table.end())
        return it->second;
    }
    return std::nullopt;
  }
};

Warninglists::Warninglists() : tables_(std::make_unique<Tables>()) {}
Warninglists::~Warninglists() = default;
Warninglists::Warninglists(Warninglists&&) noexcept = default;
Warninglists& Warninglists::operator=(Warninglists&&) noexcept = default;

const std::vector<WarninglistInfo>& Warninglists::lists() const { return tables_->lists; }
size_t Warninglists::entry_count() const { return tables_->entries; }


namespace {

// Adds one list (a JSON object in the MISP format).
Status add_list(Warninglists::Tables* tables_, const boost::json::value& doc) {
  if (!doc.is_object()) return Error::invalid("a warninglist is a JSON object");
  const auto& obj = doc.as_object();
  auto text = [&](const char* key) -> std::string {
    auto* v = obj.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  WarninglistInfo info{text("name"), text("type"), 0, 0};
  auto* list = obj.if_contains("list");
  if (info.name.empty()) return Error::invalid("a warninglist has no name");
  if (!list || !list->is_array()) return Error::invalid("the warninglist '" + info.name + "' has no list of values");
  static const std::string_view types[] = {"hostname", "string", "substring", "regex", "cidr"};
  if (std::find(std::begin(types), std::end(types), info.type) == std::end(types))
    return Error::invalid("the warninglist '" + info.name + "' has the type '" + info.type +
                          "'; known are hostname, string, substring, regex and cidr");
  if (tables_->lists.size() >= 65535) return Error::invalid("too many warninglists");

  // Without matching_attributes a list applies to every kind; with them,
  // only to the kinds they name (none, for lists of phone numbers).
  unsigned mask = (1u << group_count) - 1;
  if (auto* attrs = obj.if_contains("matching_attributes"); attrs && attrs->is_array() && !attrs->as_array().empty()) {
    mask = 0;
    for (const auto& a : attrs->as_array())
      if (a.is_string()) mask |= groups_of_attribute(a.as_string());
  }

  auto id = static_cast<ListId>(tables_->lists.size());
  for (const auto& v : list->as_array()) {
    if (!v.is_string()) {
      ++info.skipped;
      continue;
    }
    std::string entry = to_lower_ascii(trim(std::string_view(v.as_string())));
    if (entry.empty()) continue;
    bool added = false;
    if (info.type == "cidr") {
      if (auto net = parse_network(entry)) {
        int bits = net->prefix + (net->base.v6 ? 0 : 96);
        tables_->networks[bits].try_emplace(std::string(reinterpret_cast<const char*>(net->base.bytes.data()), 16), id);
        added = true;
      }
    } else if (info.type == "regex") {
      if (auto pattern = read_regex(v.as_string())) {
        for (int g = 0; g < group_count; ++g)
          if (mask & (1u << g)) tables_->groups[g].regexes.emplace_back(*pattern, id);
        added = true;
      }
    } else if (info.type != "substring" && info.type != "hostname" && entry.front() != '.') {
      tables_->exact.add(entry, mask, id);
      added = true;
    } else {
      for (int g = 0; g < group_count; ++g) {
        if (!(mask & (1u << g))) continue;
        auto& tables = tables_->groups[g];
        if (info.type == "substring") {
          tables.substrings.add(entry, id);
        } else if (info.type == "hostname" || entry.front() == '.') {
          std::string name = entry;
          while (!name.empty() && name.front() == '.') name.erase(0, 1);
          while (!name.empty() && name.back() == '.') name.pop_back();
          if (!name.empty()) tables.suffixes.emplace_back(std::move(name), id);
        }
      }
      added = true;
    }
    if (added) ++info.entries;
    else ++info.skipped;
  }
  if (info.type == "substring")
    for (auto& group : tables_->groups) group.substrings.prepare();
  tables_->entries += info.entries;
  tables_->lists.push_back(std::move(info));
  return {};
}

}  // namespace

Status Warninglists::add_json(std::string_view json) {
  boost::system::error_code ec;
  auto doc = boost::json::parse(json, ec);
  if (ec) return Error::invalid("a warninglist is not valid JSON: " + ec.message());
  Status status;
  if (!doc.is_array()) {
    status = add_list(tables_.get(), doc);
  } else {
    for (const auto& list : doc.as_array())
      if (status = add_list(tables_.get(), list); !status) break;
  }
  tables_->freeze();  // the lists added stay added, even after a refused one
  return status;
}

std::optional<std::string_view> Warninglists::find(const CanonicalIndicator& indicator) const {
  const Tables& t = *tables_;
  const GroupTables& g = t.groups[group_of(indicator.kind)];
  std::optional<ListId> id;
  switch (indicator.kind) {
    case IndicatorKind::domain:
      id = t.by_suffix(g, indicator.value);
      if (!id) id = t.by_text(g, indicator.value);
      break;
    case IndicatorKind::url: {
      id = t.by_text(g, indicator.value);
      std::string host(url_host(indicator.value));
      if (!id) id = t.by_suffix(g, host);
      if (!id) {
        auto without_scheme = indicator.value.substr(indicator.value.find("://") + 3);
        id = t.exact.find(without_scheme, g.group);
        if (!id) id = t.exact.find(host, g.group);
      }
      break;
    }
    case IndicatorKind::ipv4:
    case IndicatorKind::ipv6:
    case IndicatorKind::cidr:
      id = t.by_text(g, indicator.value);
      if (!id)
        if (auto net = parse_network(indicator.value)) id = t.by_network(*net);
      break;
    default: id = t.by_text(g, indicator.value); break;
  }
  if (!id) return std::nullopt;
  return std::string_view(t.lists[*id].name);
}

const Warninglists& shipped_warninglists() {
  static const Warninglists lists = [] {
    Warninglists loaded;
    auto st = loaded.add_json(shipped_warninglists_json());
    // The bundle is made by the build from data/warninglists; a bad one is a bug.
    if (!st) throw std::logic_error("the shipped warninglists do not load: " + st.error().message);
    return loaded;
  }();
  return lists;
}

}  // namespace jaga
