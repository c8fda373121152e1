#include "app/partner_commands.h"

#include <boost/json.hpp>
#include <cstdio>

#include "app/commands.h"
#include "taxii/sync.h"
#include "util/csv.h"
#include "util/crypto.h"

namespace jaga::commands {

namespace {

std::string format(const char* pattern, auto... values) {
  int size = std::snprintf(nullptr, 0, pattern, values...);
  std::string out(static_cast<size_t>(size), '\0');
  std::snprintf(out.data(), out.size() + 1, pattern, values...);
  return out;
}

Result<Tlp> tlp_option(const std::string& text) {
  auto tlp = parse_tlp(text);
  if (!tlp) return Error::invalid("--max-tlp takes clear, green, amber, amber+strict or red, not " + text);
  return *tlp;
}

std::string tlp_name(Tlp tlp) { return std::string(to_string(tlp)); }

std::string rights_text(const std::vector<CollectionRight>& rights) {
  std::string out;
  for (const auto& r : rights)
    out += (out.empty() ? "" : " ") + r.collection + ":" + (r.read ? "r" : "") + (r.write ? "w" : "");
  return out.empty() ? "-" : out;
}

}  // namespace

Result<std::string> add_partner(Store& store, const PartnerOptions& options, const std::string& password) {
  if (auto st = check_exchange_name("a partner's name", options.name); !st) return st.error();
  if (password.size() < 12) return Error::invalid("the password must have at least 12 characters");
  auto max_tlp = tlp_option(options.max_tlp);
  if (!max_tlp) return max_tlp.error();
  if (*max_tlp > Tlp::amber)
    return Error::invalid("AMBER+STRICT and RED never leave the agency; --max-tlp is at most amber");
  Partner partner;
  partner.name = options.name;
  partner.title = options.title.empty() ? options.name : options.title;
  partner.password_hash = hash_password(password);
  partner.agreement = {*max_tlp, options.personal_data, options.four_eyes, options.agreement};
  for (const auto& text : options.collections) {
    auto right = parse_collection_right(text);
    if (!right) return Error::invalid("--collection " + text + ": " + right.error().message);
    partner.collections.push_back(*right);
  }
  boost::json::array collections;
  for (const auto& r : partner.collections) collections.emplace_back(r.collection + ":" + (r.read ? "r" : "") + (r.write ? "w" : ""));
  auto event = cli_event("partner.create", "partner", partner.name,
                         {{"max_tlp", tlp_name(*max_tlp)}, {"personal_data", options.personal_data},
                          {"four_eyes", options.four_eyes}, {"agreement", options.agreement},
                          {"collections", std::move(collections)}});
  auto saved = wait_for<int64_t>([&](auto cb) { store.save_partner(partner, event, cb); });
  if (!saved) return saved.error();
  return "added partner " + partner.name + " (up to " + tlp_name(*max_tlp) + ", " + rights_text(partner.collections) +
         "); it signs in to /taxii2/ with HTTP Basic\n";
}

Result<std::string> list_partners(Store& store) {
  auto partners = store.list_partners();
  if (!partners) return partners.error();
  std::string out = format("%-20s %-16s %-14s %-10s %-24s %s\n", "NAME", "MAX TLP", "PERSONAL DATA", "FOUR-EYES",
                           "AGREEMENT", "COLLECTIONS");
  for (const auto& p : *partners)
    out += format("%-20s %-16s %-14s %-10s %-24s %s%s\n", p.name.c_str(), tlp_name(p.agreement.max_tlp).c_str(),
                  p.agreement.personal_data ? "may leave" : "redacted", p.agreement.four_eyes ? "yes" : "no",
                  p.agreement.reference.empty() ? "-" : p.agreement.reference.c_str(),
                  rights_text(p.collections).c_str(), p.disabled ? " (disabled)" : "");
  return out;
}

Result<std::string> set_partner_remote(Store& store, PartnerRemote remote) {
  if (remote.api_root.rfind("http://", 0) != 0 && remote.api_root.rfind("https://", 0) != 0)
    return Error::invalid("--api-root must be an http:// or https:// URL, such as https://taxii.example.org/taxii2/api/");
  if (remote.remote_collection.empty() || remote.remote_collection.find_first_of("/?#") != std::string::npos)
    return Error::invalid("--remote-collection is the collection's id on their server");
  if (remote.username.empty()) return Error::invalid("--username is the account their server gave this desk");
  if (auto st = check_exchange_name("--pull-into", remote.pull_into); !st) return st.error();
  if (!remote.push_from.empty())
    if (auto st = check_exchange_name("--push-from", remote.push_from); !st) return st.error();
  if (remote.interval_seconds < 5) return Error::invalid("--interval is at least 5 seconds");
  auto event = cli_event("partner.remote", "partner", remote.partner,
                         {{"api_root", remote.api_root}, {"remote_collection", remote.remote_collection},
                          {"pull_into", remote.pull_into}, {"push_from", remote.push_from},
                          {"interval_seconds", remote.interval_seconds}});
  auto saved = wait_for<bool>([&](auto cb) { store.save_partner_remote(remote, event, cb); });
  if (!saved) return saved.error();
  return "syncing with " + remote.partner + " at " + remote.api_root + " every " + std::to_string(remote.interval_seconds) +
         " s: pull into " + remote.pull_into + (remote.push_from.empty() ? "" : ", push from " + remote.push_from) + "\n";
}

Result<std::string> sync_partner(Store& store, const std::string& partner) {
  auto remotes = store.list_partner_remotes();
  if (!remotes) return remotes.error();
  for (auto& remote : *remotes) {
    if (remote.partner != partner) continue;
    auto transport = taxii::make_curl_transport();
    taxii::PartnerSync sync(store, *transport);
    auto report = sync.run(remote);
    std::string out;
    for (const auto& note : report.notes) out += "note: " + note + "\n";
    if (!report.ok()) return Error::unavailable("sync with " + partner + " failed: " + report.error);
    return out + "pulled " + std::to_string(report.pulled) + " objects (" + std::to_string(report.indicators) +
           " indicators) in " + std::to_string(report.pull_pages) + " pages, pushed " + std::to_string(report.pushed) +
           " objects" + (report.conflicts ? ", " + std::to_string(report.conflicts) + " conflicts logged" : "") + "\n";
  }
  return Error::not_found("no TAXII server is set for partner " + partner + " (jaga partner remote)");
}

Result<std::string> add_collection(Store& store, const std::string& alias, const std::string& title,
                                   const std::string& description, const std::string& max_tlp_text) {
  if (auto st = check_exchange_name("a collection's alias", alias); !st) return st.error();
  auto max_tlp = tlp_option(max_tlp_text);
  if (!max_tlp) return max_tlp.error();
  Collection c;
  c.alias = alias;
  c.title = title.empty() ? alias : title;
  c.description = description;
  c.max_tlp = *max_tlp;
  auto event = cli_event("collection.save", "collection", alias, {{"max_tlp", tlp_name(*max_tlp)}, {"title", c.title}});
  auto saved = wait_for<Collection>([&](auto cb) { store.save_collection(c, event, cb); });
  if (!saved) return saved.error();
  return "collection " + saved->alias + " (" + saved->taxii_id + ") holds up to " + tlp_name(saved->max_tlp) + "\n";
}

Result<std::string> list_collections(Store& store) {
  auto collections = store.list_collections();
  if (!collections) return collections.error();
  std::string out = format("%-20s %-38s %-16s %s\n", "ALIAS", "TAXII ID", "MAX TLP", "TITLE");
  for (const auto& c : *collections)
    out += format("%-20s %-38s %-16s %s\n", c.alias.c_str(), c.taxii_id.c_str(), tlp_name(c.max_tlp).c_str(),
                  c.title.c_str());
  return out;
}

Result<std::string> export_transfers(Store& store, const TransferFilter& filter, const std::string& format_name) {
  if (format_name != "csv" && format_name != "jsonl") return Error::invalid("--format is csv or jsonl, not " + format_name);
  TransferFilter page = filter;
  std::string out = format_name == "csv" ? "transfer,at,direction,partner,collection,channel,agreement,stix_id,version\n" : "";
  for (;;) {
    auto transfers = store.list_transfers(page);
    if (!transfers) return transfers.error();
    for (const auto& t : *transfers) {
      if (format_name == "csv") {
        for (const auto& [id, version] : t.objects)
          out += csv_line({std::to_string(t.id), t.at, t.direction, t.partner, t.collection, t.channel, t.agreement, id,
                          version});
        continue;
      }
      boost::json::array objects;
      for (const auto& [id, version] : t.objects) objects.push_back({{"id", id}, {"version", version}});
      boost::system::error_code ec;
      auto agreement = boost::json::parse(t.agreement, ec);
      out += boost::json::serialize(boost::json::object{{"id", t.id},
                                                        {"at", t.at},
                                                        {"direction", t.direction},
                                                        {"partner", t.partner},
                                                        {"collection", t.collection},
                                                        {"channel", t.channel},
                                                        {"agreement", ec ? boost::json::value(t.agreement) : agreement},
                                                        {"objects", std::move(objects)}}) +
             "\n";
    }
    if (static_cast<int>(transfers->size()) < page.limit || transfers->empty()) break;
    page.before_id = transfers->back().id;
  }
  return out;
}

}  // namespace jaga::commands
