// Log matching, checked two ways: hand-picked lines of each format, and a
// property test that compares the matcher with a slow, obviously-correct
// reference over generated DNS logs (mixed case, trailing dots, decoys,
// subdomains, addresses in and out of networks), for several seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "intel/log_match.h"
#include "util/text.h"

namespace jaga {
namespace {

IndicatorIndex index_of(const std::vector<std::string>& listed) {
  IndicatorIndex::Builder builder;
  for (const auto& text : listed) {
    auto canonical = normalise_indicator(text);
    EXPECT_TRUE(canonical.ok()) << text;
    if (canonical) builder.add(*canonical, text);
  }
  return std::move(builder).build();
}

std::vector<std::string> hits(const IndicatorIndex& index, LogFormat format, std::string_view log) {
  ChunkResult result;
  match_lines(index, format, log, result);
  std::vector<std::string> out;
  for (const auto& h : result.hits)
    out.push_back(std::to_string(h.line) + " " + std::string(h.field) + " " + std::string(h.value) +
                  " -> " + std::string(index.listed(h.hit.id)) + " " +
                  std::string(to_string(h.hit.reason)));
  return out;
}

TEST(LogMatch, DnsLines) {
  auto index = index_of({"bad.example.com", "192.0.2.0/24"});
  auto got = hits(index, LogFormat::dns,
                  "1700000000.1 10.0.0.5 www.BAD.example.com. A\n"
                  "1700000000.2 192.0.2.9 mybad.example.com AAAA\n"
                  "\n"
                  "garbage\n"
                  "1700000000.3\t10.0.0.5\tbad.example.com\tTXT");
  EXPECT_EQ(got, (std::vector<std::string>{"1 query www.BAD.example.com. -> bad.example.com parent_domain",
                                           "2 client 192.0.2.9 -> 192.0.2.0/24 cidr",
                                           "5 query bad.example.com -> bad.example.com exact"}));
  // Names are looked up a batch at a time: every line of many batches hits,
  // with addresses listed or not (then the queries alone fill a batch).
  auto names_only = index_of({"bad.example.com"});
  std::string many;
  std::vector<std::string> want;
  for (int line = 1; line <= 300; ++line) {
    many += "1700000000.1 10.0.0.5 www" + std::to_string(line) + ".bad.example.com A\n";
    want.push_back(std::to_string(line) + " query www" + std::to_string(line) +
                   ".bad.example.com -> bad.example.com parent_domain");
  }
  EXPECT_EQ(hits(index, LogFormat::dns, many), want);
  EXPECT_EQ(hits(names_only, LogFormat::dns, many), want);

  ChunkResult result;
  match_lines(index, LogFormat::dns, "a b\nc d e f\n", result);
  EXPECT_EQ(result.lines, 2u);
  EXPECT_EQ(result.unreadable, 1u);
}

// Unicode names and IPv6 queries take another path than plain names; which
// path a query takes is decided from 64-byte blocks, so the queries are put
// at every offset from a block's start, straddling block ends.
TEST(LogMatch, DnsQueriesThatAreNotPlainNamesAtEveryOffset) {
  auto index = index_of({"bücher.example", "2001:db8::/32", "plain-name.example.org"});
  std::string log;
  std::vector<std::string> want;
  int line = 0;
  for (int pad = 0; pad < 70; ++pad) {
    std::string ts = "1700000000." + std::string(static_cast<size_t>(pad), '7');
    for (std::string query :
         {"www.bücher.example", "2001:db8::5", "[2001:db8::6]", "WWW.Plain-Name.Example.ORG.",
          "longer-label-than-a-word.plain-name.example.org"}) {
      log += ts + " 10.1.2.3 " + query + " A\n";
      ++line;
      std::string listed = query.find("bücher") != std::string::npos ? "bücher.example"
                           : query.find(':') != std::string::npos    ? "2001:db8::/32"
                                                                     : "plain-name.example.org";
      std::string reason = query.find(':') != std::string::npos ? "cidr" : "parent_domain";
      want.push_back(std::to_string(line) + " query " + query + " -> " + listed + " " + reason);
    }
  }
  EXPECT_EQ(hits(index, LogFormat::dns, log), want);
}

TEST(LogMatch, ProxyLines) {
  auto index = index_of({"http://phish.example.com/login/", "evil.example.org", "198.51.100.7"});
  auto got = hits(index, LogFormat::proxy,
                  "1700000000.123 45 10.0.0.9 TCP_MISS/200 512 GET http://phish.example.com/login/x.php - HIER_DIRECT/203.0.113.5 text/html\n"
                  "1700000000.124 45 10.0.0.9 TCP_TUNNEL/200 512 CONNECT cdn.evil.example.org:443 - HIER_DIRECT/198.51.100.7 -\n"
                  "1700000000.125 45 10.0.0.9 TCP_MISS/200 512 GET http://example.net/ - HIER_DIRECT/203.0.113.5 text/html\n");
  EXPECT_EQ(got, (std::vector<std::string>{
                     "1 url http://phish.example.com/login/x.php -> http://phish.example.com/login/ url_prefix",
                     "2 url cdn.evil.example.org:443 -> evil.example.org parent_domain",
                     "2 server 198.51.100.7 -> 198.51.100.7 exact"}));
}

// With no URL listed, proxy lines are matched by their hosts, many lines
// at once: hits keep the order of lines and of fields within a line across
// batches, and hosts of every shape (case, port, user, IPv6, Unicode) match.
TEST(LogMatch, ProxyLinesByHostInBatches) {
  auto index = index_of({"evil.example.org", "bücher.example", "192.0.2.0/24", "2001:db8::/32"});
  const std::string long_url = "https://cdn.evil.example.org/" + std::string(150, 'p') + "?q=1";
  struct Shape {
    const char *client, *method, *url, *server;
    std::vector<std::string> hits;  // "field value -> indicator reason"
  };
  const std::vector<Shape> shapes = {
      {"192.0.2.7",
       "GET",
       "https://WWW.Evil.Example.org:8443/a?b=c",
       "203.0.113.5",
       {"client 192.0.2.7 -> 192.0.2.0/24 cidr",
        "url https://WWW.Evil.Example.org:8443/a?b=c -> evil.example.org parent_domain"}},
      {"10.0.0.1",
       "GET",
       "http://user@evil.example.org/x",
       "-",
       {"url http://user@evil.example.org/x -> evil.example.org exact"}},
      {"10.0.0.1",
       "GET",
       "http://[2001:db8::1]/",
       "-",
       {"url http://[2001:db8::1]/ -> 2001:db8::/32 cidr"}},
      {"10.0.0.1",
       "GET",
       "http://bücher.example/",
       "-",
       {"url http://bücher.example/ -> bücher.example exact"}},
      {"10.0.0.1",
       "CONNECT",
       "evil.example.org:443",
       "192.0.2.9",
       {"url evil.example.org:443 -> evil.example.org exact",
        "server 192.0.2.9 -> 192.0.2.0/24 cidr"}},
      {"10.0.0.1", "GET", "http://notevil.example.org/", "203.0.113.5", {}},
      {"10.0.0.1",
       "GET",
       "http://example.net/",
       "2001:db8::5",
       {"server 2001:db8::5 -> 2001:db8::/32 cidr"}},
      {"192.0.2.200",
       "GET",
       long_url.c_str(),
       "192.0.2.1",  // fields past the first 64 and 128 bytes
       {"client 192.0.2.200 -> 192.0.2.0/24 cidr",
        "url " + long_url + " -> evil.example.org parent_domain",
        "server 192.0.2.1 -> 192.0.2.0/24 cidr"}},
  };
  std::mt19937 rng(7);
  std::string log;
  std::vector<std::string> want;
  for (int line = 1; line <= 400; ++line) {
    const Shape& s = shapes[rng() % shapes.size()];
    log += "1700000000.1 45 " + std::string(s.client) + " TCP_MISS/200 512 " + s.method + " " +
           s.url + " - HIER_DIRECT/" + s.server + " text/html\n";
    for (const auto& hit : s.hits) want.push_back(std::to_string(line) + " " + hit);
  }
  EXPECT_EQ(hits(index, LogFormat::proxy, log), want);
}

TEST(LogMatch, TextAndJsonLines) {
  auto index = index_of({"evil.example.org", "phisher@example.com", "d41d8cd98f00b204e9800998ecf8427e", "2001:db8::/32"});
  auto text = hits(index, LogFormat::text,
                   "Mail from <Phisher@Example.com> linking https://login.evil.example.org/x, hash D41D8CD98F00B204E9800998ECF8427E.\n"
                   "version 1.2.3 of report.pdf from 2001:db8::77\n");
  EXPECT_EQ(text, (std::vector<std::string>{
                      "1 text Phisher@Example.com -> phisher@example.com exact",
                      "1 text https://login.evil.example.org/x -> evil.example.org parent_domain",
                      "1 text D41D8CD98F00B204E9800998ECF8427E -> d41d8cd98f00b204e9800998ecf8427e exact",
                      "2 text 2001:db8::77 -> 2001:db8::/32 cidr"}));
  auto json = hits(index, LogFormat::jsonl,
                   R"({"ts":1,"dns":{"rrname":"www.evil.example.org","answers":["2001:db8::1"]},"note":"see evil.example.org now"})"
                   "\n{not json\n");
  EXPECT_EQ(json, (std::vector<std::string>{"1 /dns/rrname www.evil.example.org -> evil.example.org parent_domain",
                                            "1 /dns/answers/0 2001:db8::1 -> 2001:db8::/32 cidr",
                                            "1 /note evil.example.org -> evil.example.org exact"}));
}

// The reference: sets, strings and loops, nothing clever.
struct Reference {
  std::set<std::string> domains;
  std::vector<std::pair<std::string, Network>> networks;  // listed text, network

  std::optional<std::pair<std::string, std::string>> domain(std::string name) const {
    name = to_lower_ascii(name);
    if (!name.empty() && name.back() == '.') name.pop_back();
    // Longest suffix first: the name, then each parent.
    for (size_t start = 0;;) {
      std::string suffix = name.substr(start);
      if (domains.count(suffix)) return std::make_pair(suffix, std::string(start == 0 ? "exact" : "parent_domain"));
      auto dot = name.find('.', start);
      if (dot == std::string::npos) return std::nullopt;
      start = dot + 1;
    }
  }
  std::optional<std::pair<std::string, std::string>> address(const std::string& text) const {
    auto ip = parse_ip(text);
    if (!ip) return std::nullopt;
    const std::pair<std::string, Network>* best = nullptr;
    for (const auto& n : networks)
      if (n.second.contains(*ip) && (!best || n.second.prefix > best->second.prefix)) best = &n;
    if (!best) return std::nullopt;
    bool single = best->second.prefix == (best->second.base.v6 ? 128 : 32);
    return std::make_pair(best->first, std::string(single ? "exact" : "cidr"));
  }
};

std::string random_label(std::mt19937& rng, int min = 3, int max = 10) {
  static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<int> len(min, max), pick(0, 35);
  std::string s;
  for (int i = len(rng); i > 0; --i) s += letters[pick(rng)];
  return s;
}

std::string mixed_case(std::mt19937& rng, std::string s) {
  for (auto& c : s)
    if (rng() % 2 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return s;
}

TEST(LogMatch, DnsMatchesTheReferenceOnGeneratedLogs) {
  for (unsigned seed : {1u, 2u, 3u, 42u, 2026u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    static const char* tlds[] = {"com", "net", "org", "id", "co.id", "go.id", "cn", "xyz"};
    std::vector<std::string> listed;
    Reference ref;
    for (int i = 0; i < 300; ++i) {
      std::string d = random_label(rng) + "." + tlds[rng() % 8];
      if (rng() % 3 == 0) d = random_label(rng, 1, 4) + "." + d;
      listed.push_back(d);
      ref.domains.insert(d);
    }
    for (int i = 0; i < 40; ++i) {
      int prefix = 8 + static_cast<int>(rng() % 25);
      std::string text = std::to_string(1 + rng() % 223) + "." + std::to_string(rng() % 256) + "." +
                         std::to_string(rng() % 256) + "." + std::to_string(rng() % 256);
      if (i % 4) text += "/" + std::to_string(prefix);
      auto canonical = normalise_indicator(text);
      ASSERT_TRUE(canonical.ok());
      listed.push_back(text);
      ref.networks.emplace_back(text, *parse_network(canonical->value));
    }
    auto index = index_of(listed);

    std::ostringstream log;
    const int kLines = 20000;
    for (int n = 0; n < kLines; ++n) {
      const std::string& base = listed[rng() % 300];
      std::string query;
      switch (rng() % 7) {
        case 0: query = base; break;
        case 1:
          query = random_label(rng, 1, 20) + "." + base;
          break;  // labels longer than a word too
        case 2: query = random_label(rng, 1, 3) + base; break;              // decoy: "mybad.com"
        case 3: query = base.substr(base.find('.') + 1); break;            // a parent
        case 4: query = random_label(rng) + "." + random_label(rng) + "." + tlds[rng() % 8]; break;
        case 5: query = base + "."; break;
        default: query = random_label(rng) + "." + random_label(rng) + "." + base; break;
      }
      query = mixed_case(rng, query);
      std::string client;
      if (rng() % 2) {
        const auto& net = ref.networks[rng() % ref.networks.size()].second;
        auto bytes = net.base.bytes;
        bytes[15] = static_cast<uint8_t>(bytes[15] | (rng() % 256 & ((1u << std::min(8, 32 - net.prefix)) - 1)));
        client = std::to_string(bytes[12]) + "." + std::to_string(bytes[13]) + "." + std::to_string(bytes[14]) + "." +
                 std::to_string(bytes[15]);
      } else {
        client = "10." + std::to_string(rng() % 256) + "." + std::to_string(rng() % 256) + "." + std::to_string(rng() % 256);
      }
      log << "1700000000." << n << (rng() % 5 ? " " : "\t ") << client << " " << query << " A\n";
    }

    ChunkResult result;
    const std::string text = log.str();  // the hits are views into it
    match_lines(index, LogFormat::dns, text, result);
    std::set<std::string> got;
    for (const auto& h : result.hits)
      got.insert(std::to_string(h.line) + " " + std::string(h.field) + " " + std::string(h.value) +
                 " " + std::string(index.listed(h.hit.id)) + " " +
                 std::string(to_string(h.hit.reason)));

    std::set<std::string> want;
    std::istringstream lines(log.str());
    std::string line;
    for (int n = 1; std::getline(lines, line); ++n) {
      std::istringstream fields(line);
      std::string ts, client, query, type;
      fields >> ts >> client >> query >> type;
      if (auto m = ref.address(client)) want.insert(std::to_string(n) + " client " + client + " " + m->first + " " + m->second);
      if (auto m = ref.domain(query)) want.insert(std::to_string(n) + " query " + query + " " + m->first + " " + m->second);
    }
    EXPECT_EQ(result.lines, static_cast<uint64_t>(kLines));
    EXPECT_GT(want.size(), 5000u) << "the generator makes plenty of hits";
    std::vector<std::string> missing, extra;
    std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::back_inserter(missing));
    std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::back_inserter(extra));
    EXPECT_TRUE(missing.empty()) << missing.size() << " missed, first: " << missing.front();
    EXPECT_TRUE(extra.empty()) << extra.size() << " extra, first: " << extra.front();
  }
}

}  // namespace
}  // namespace jaga
