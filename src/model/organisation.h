// The constituency: the ministries, provinces, regencies, cities and agencies
// the desk serves, in a hierarchy of any depth, with what they own on the
// internet (domains, IP ranges, AS numbers) and whom to tell.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace jaga {

struct OrganisationContact {
  std::string name;
  std::string email;
  std::string phone;
  std::string pgp_key;  // ASCII-armoured public key, optional
};

struct Organisation {
  int64_t id = 0;
  std::optional<int64_t> parent_id;
  std::string parent_name;  // filled in by reads
  std::string name;
  std::string kind;            // ministry, agency, province, regency, city, other
  std::string language = "id"; // for notifications: id, en, zh
  std::vector<std::string> domains;   // canonical, e.g. kemenkeu.go.id
  std::vector<std::string> networks;  // CIDR, canonical, e.g. 103.10.20.0/24
  std::vector<int64_t> asns;
  std::vector<OrganisationContact> contacts;
};

inline constexpr const char* kOrganisationKinds[] = {"ministry", "agency", "province", "regency", "city", "other"};

}  // namespace jaga
