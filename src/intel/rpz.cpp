#include "intel/rpz.h"

#include <cctype>

#include <cstdio>

#include "intel/network.h"

namespace jaga {

std::string rpz_ip_trigger(const CanonicalIndicator& address) {
  auto network = parse_network(address.value);
  if (!network) return {};
  std::string out;
  if (!network->base.v6) {
    const auto& b = network->base.bytes;
    out = std::to_string(network->prefix) + "." + std::to_string(b[15]) + "." + std::to_string(b[14]) + "." +
          std::to_string(b[13]) + "." + std::to_string(b[12]);
  } else {
    // Eight 16-bit groups, last first, without leading zeros; the longest
    // run of zero groups (two or more) written once as "zz".
    int groups[8];
    for (int i = 0; i < 8; ++i) groups[i] = network->base.bytes[2 * i] << 8 | network->base.bytes[2 * i + 1];
    int best_start = -1, best_length = 1;
    for (int i = 0; i < 8;) {
      if (groups[i] != 0) {
        ++i;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) ++j;
      if (j - i > best_length) best_start = i, best_length = j - i;
      i = j;
    }
    out = std::to_string(network->prefix);
    for (int i = 7; i >= 0; --i) {
      if (best_start >= 0 && i >= best_start && i < best_start + best_length) {
        if (i == best_start + best_length - 1) out += ".zz";
        continue;
      }
      char hex[8];
      std::snprintf(hex, sizeof hex, ".%x", groups[i]);
      out += hex;
    }
  }
  return out + ".rpz-ip";
}

RpzZone rpz_zone(const std::vector<CanonicalIndicator>& indicators, const RpzOptions& options) {
  RpzZone zone;
  std::string body;
  for (const auto& indicator : indicators) {
    switch (indicator.kind) {
      case IndicatorKind::domain:
        body += indicator.value + " CNAME .\n*." + indicator.value + " CNAME .\n";
        ++zone.domains;
        break;
      case IndicatorKind::ipv4:
      case IndicatorKind::ipv6:
      case IndicatorKind::cidr:
        body += rpz_ip_trigger(indicator) + " CNAME .\n";
        ++zone.addresses;
        break;
      default: ++zone.skipped; break;
    }
  }
  std::string head;
  if (!options.comment.empty()) head += "; " + options.comment + "\n";
  head += "; " + std::to_string(zone.domains) + " domains (with their subdomains), " + std::to_string(zone.addresses) +
          " addresses and networks; NXDOMAIN for each\n";
  head += "$ORIGIN " + options.zone + ".\n$TTL " + std::to_string(options.ttl) + "\n";
  head += "@ SOA localhost. hostmaster.localhost. " + std::to_string(options.serial) + " 3600 600 604800 " +
          std::to_string(options.ttl) + "\n@ NS localhost.\n";
  zone.text = head + body;
  return zone;
}

bool valid_zone_name(const std::string& zone) {
  if (zone.empty() || zone.size() > 253) return false;
  size_t start = 0;
  for (;;) {
    size_t dot = zone.find('.', start);
    std::string label = zone.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

}  // namespace jaga
