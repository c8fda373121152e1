// IP addresses and CIDR networks, v4 and v6, as 16-byte values (v4 in the
// IPv4-mapped form) so that one prefix test serves both. Pure.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jaga {

struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
};

// True when 16 address bytes are ::ffff:a.b.c.d, the IPv4-mapped form.
bool is_ipv4_mapped(const uint8_t* bytes);

struct Network {
  IpAddress base;  // host bits cleared
  int prefix = 0;  // 0..32 for v4, 0..128 for v6
  bool contains(const IpAddress& address) const;
  std::string text() const;  // canonical CIDR, e.g. "103.10.20.0/24", "2001:db8::/32"
};

std::optional<IpAddress> parse_ip(std::string_view text);
// "10.1.0.0/16", "2001:db8::/32", or a single address (a /32 or /128).
// Host bits are cleared: "10.1.2.3/16" is 10.1.0.0/16.
std::optional<Network> parse_network(std::string_view text);

}  // namespace jaga
