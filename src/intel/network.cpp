#include "intel/network.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace jaga {

std::optional<IpAddress> parse_ip(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::string s(text);
  IpAddress out;
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out.bytes[10] = out.bytes[11] = 0xff;
    std::memcpy(out.bytes.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    out.v6 = true;
    std::memcpy(out.bytes.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

bool is_ipv4_mapped(const uint8_t* bytes) {
  static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(bytes, prefix, 12) == 0;
}

namespace {
int width(bool v6) { return v6 ? 128 : 32; }
int offset(bool v6) { return v6 ? 0 : 96; }  // v4 bits start after the mapped prefix
}  // namespace

bool Network::contains(const IpAddress& address) const {
  if (address.v6 != base.v6) return false;
  int bits = prefix + offset(base.v6);
  for (int i = 0; i < bits; ++i) {
    int byte = i / 8, bit = 7 - i % 8;
    if (((address.bytes[byte] >> bit) & 1) != ((base.bytes[byte] >> bit) & 1)) return false;
  }
  return true;
}

std::string Network::text() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (base.v6) inet_ntop(AF_INET6, base.bytes.data(), buffer, sizeof buffer);
  else inet_ntop(AF_INET, base.bytes.data() + 12, buffer, sizeof buffer);
  return std::string(buffer) + "/" + std::to_string(prefix);
}

std::optional<Network> parse_network(std::string_view text) {
  auto slash = text.find('/');
  auto address = parse_ip(text.substr(0, slash));
  if (!address) return std::nullopt;
  Network n;
  n.base = *address;
  n.prefix = width(address->v6);
  if (slash != std::string_view::npos) {
    auto digits = text.substr(slash + 1);
    int prefix = -1;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 || prefix > width(address->v6))
      return std::nullopt;
    n.prefix = prefix;
  }
  for (int i = n.prefix + offset(n.base.v6); i < 128; ++i) n.base.bytes[i / 8] &= static_cast<uint8_t>(~(1u << (7 - i % 8)));
  return n;
}

}  // namespace jaga
