// DNS Response Policy Zones (RPZ) for protective resolvers (BIND, Unbound,
// Knot, PowerDNS): a listed domain and all its subdomains answer NXDOMAIN,
// and so does any name whose answer holds a listed address or falls in a
// listed network (rpz-ip triggers). Pure: indicators in, zone text out.
// URLs, email addresses and hashes have no RPZ form and are counted as
// skipped; a URL is never widened to its whole host.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "intel/normalise.h"

namespace jaga {

struct RpzOptions {
  std::string zone = "rpz.jaga";  // the zone's name, as the resolver's configuration names it
  uint32_t serial = 1;
  uint32_t ttl = 300;
  std::string comment;  // a first line after ";", e.g. who made it and when
};

struct RpzZone {
  std::string text;
  uint64_t domains = 0, addresses = 0, skipped = 0;
};

RpzZone rpz_zone(const std::vector<CanonicalIndicator>& indicators, const RpzOptions& options = {});

// The owner name of an address or network trigger, relative to the zone:
// "24.0.2.0.192.rpz-ip" for 192.0.2.0/24, "32.zz.db8.2001.rpz-ip" for 2001:db8::/32.
std::string rpz_ip_trigger(const CanonicalIndicator& address);

// An RPZ zone is named by the resolver's configuration, often under a name
// no registry runs ("rpz.jaga"), so only the syntax is checked.
bool valid_zone_name(const std::string& zone);

}  // namespace jaga
