#include "intel/registry_csv.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "intel/domain.h"
#include "intel/network.h"
#include "util/csv.h"
#include "util/text.h"

namespace jaga {

namespace {

constexpr const char* kColumns[] = {"name", "parent", "kind", "language", "domains", "networks", "asns",
                                    "contact_name", "contact_email", "contact_phone"};

std::vector<std::string> list(std::string_view text) {
  std::vector<std::string> out;
  std::string item;
  for (char c : text) {
    if (c == ';' || c == ' ' || c == ',' || c == '\n' || c == '\t') {
      if (!item.empty()) out.push_back(std::move(item));
      item.clear();
    } else {
      item += c;
    }
  }
  if (!item.empty()) out.push_back(std::move(item));
  return out;
}

template <class T>
void add_unique(std::vector<T>& to, T value) {
  if (std::find(to.begin(), to.end(), value) == to.end()) to.push_back(std::move(value));
}

std::string joined(const auto& items) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += "; ";
    if constexpr (std::is_same_v<std::decay_t<decltype(i)>, int64_t>) out += std::to_string(i);
    else out += i;
  }
  return out;
}

}  // namespace

Result<std::vector<Organisation>> read_registry_csv(std::string_view text) {
  auto rows = parse_csv(text);
  if (!rows) return rows.error();
  if (rows->empty()) return Error::invalid("the file is empty; the first row names the columns");
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < (*rows)[0].size(); ++i) column[to_lower_ascii(trim((*rows)[0][i]))] = i;
  if (!column.count("name")) return Error::invalid("row 1: there is no 'name' column");
  for (const auto& [name, index] : column)
    if (std::find(std::begin(kColumns), std::end(kColumns), name) == std::end(kColumns))
      return Error::invalid("row 1: unknown column '" + name + "'");
  std::vector<Organisation> out;
  std::map<std::string, size_t> by_name;
  for (size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    std::string where = "row " + std::to_string(r + 1);
    auto cell = [&](const char* name) -> std::string {
      auto it = column.find(name);
      if (it == column.end() || it->second >= row.size()) return {};
      std::string value(trim(row[it->second]));
      // Undo the quote an export puts before a formula-like cell.
      if (value.size() > 1 && value[0] == '\'' && looks_like_formula(std::string_view(value).substr(1))) value.erase(0, 1);
      return value;
    };
    std::string name = cell("name");
    if (name.empty()) return Error::invalid(where + ": the name is empty");
    if (name.size() > 200) return Error::invalid(where + ": the name is longer than 200 characters");
    auto [it, fresh] = by_name.try_emplace(name, out.size());
    if (fresh) {
      Organisation o;
      o.name = name;
      out.push_back(std::move(o));
    }
    Organisation& o = out[it->second];
    if (auto parent = cell("parent"); !parent.empty()) {
      if (parent == name) return Error::invalid(where + ": " + name + " cannot be its own parent");
      o.parent_name = parent;
    }
    if (auto kind = to_lower_ascii(cell("kind")); !kind.empty()) {
      if (std::find_if(std::begin(kOrganisationKinds), std::end(kOrganisationKinds), [&](const char* k) { return kind == k; }) ==
          std::end(kOrganisationKinds))
        return Error::invalid(where + ": kind must be ministry, agency, province, regency, city or other, not '" + kind + "'");
      o.kind = kind;
    } else if (o.kind.empty()) {
      o.kind = "other";
    }
    if (auto language = to_lower_ascii(cell("language")); !language.empty()) {
      if (language != "id" && language != "en" && language != "zh")
        return Error::invalid(where + ": language must be id, en or zh, not '" + language + "'");
      o.language = language;
    }
    for (const auto& d : list(cell("domains"))) {
      auto domain = canonical_domain(d);
      if (!domain) return Error::invalid(where + ": '" + d + "' in domains is not a domain name");
      add_unique(o.domains, *domain);
    }
    for (const auto& n : list(cell("networks"))) {
      auto network = parse_network(n);
      if (!network) return Error::invalid(where + ": '" + n + "' in networks is not an IP range such as 103.10.20.0/24");
      add_unique(o.networks, network->text());
    }
    for (auto a : list(cell("asns"))) {
      if (a.size() > 2 && (a[0] == 'A' || a[0] == 'a') && (a[1] == 'S' || a[1] == 's')) a = a.substr(2);
      int64_t asn = 0;
      auto [end, ec] = std::from_chars(a.data(), a.data() + a.size(), asn);
      if (ec != std::errc() || end != a.data() + a.size() || asn <= 0 || asn > 4294967295LL)
        return Error::invalid(where + ": '" + a + "' in asns is not an AS number");
      add_unique(o.asns, asn);
    }
    OrganisationContact contact{cell("contact_name"), to_lower_ascii(cell("contact_email")), cell("contact_phone"), ""};
    if (!contact.email.empty() && (contact.email.find('@') == std::string::npos || contact.email.find(' ') != std::string::npos))
      return Error::invalid(where + ": '" + contact.email + "' is not an email address");
    if (!contact.name.empty() || !contact.email.empty() || !contact.phone.empty()) o.contacts.push_back(std::move(contact));
  }
  return out;
}

std::string write_registry_csv(const std::vector<Organisation>& organisations) {
  std::string out = csv_line(CsvRow(std::begin(kColumns), std::end(kColumns)));
  for (const auto& o : organisations) {
    size_t rows = std::max<size_t>(1, o.contacts.size());
    for (size_t i = 0; i < rows; ++i) {
      CsvRow row{o.name, o.parent_name, o.kind, o.language, "", "", "", "", "", ""};
      if (i == 0) {
        row[4] = joined(o.domains);
        row[5] = joined(o.networks);
        row[6] = joined(o.asns);
      }
      if (i < o.contacts.size()) {
        row[7] = o.contacts[i].name;
        row[8] = o.contacts[i].email;
        row[9] = o.contacts[i].phone;
      }
      out += csv_line(row);
    }
  }
  return out;
}

}  // namespace jaga
