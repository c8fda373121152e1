// jaga's command line: serve, migrate, user add|passwd|list, token, organisation,
// audit verify|list, import, match, export, partner, collection, transfers, check, site, version.
// Errors are one line on stderr and a non-zero exit code.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/app.h"
#include "app/settings.h"
#include "app/check_command.h"
#include "app/commands.h"
#include "app/export_command.h"
#include "app/import_command.h"
#include "app/match_command.h"
#include "app/partner_commands.h"
#include "app/site_commands.h"
#include "model/audit.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/time.h"

extern char** environ;

namespace {

using namespace jaga;

int fail(const std::string& message) {
  std::fprintf(stderr, "jaga: %s\n", message.c_str());
  return 1;
}

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos && entry.rfind("JAGA_", 0) == 0) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

// Reads a password from stdin (one line) when piped or asked to, else asks
// without echo.
std::string read_password(const char* prompt, bool from_stdin) {
  std::string password;
  if (!from_stdin && isatty(STDIN_FILENO)) {
    std::fprintf(stderr, "%s", prompt);
    std::system("stty -echo 2>/dev/null");
    std::getline(std::cin, password);
    std::system("stty echo 2>/dev/null");
    std::fprintf(stderr, "\n");
  } else {
    std::getline(std::cin, password);
  }
  return password;
}

}  // namespace

int main(int argc, char** argv) {
  init_crypto();
  CLI::App app{"jaga: the software of a national cyber-security coordination desk"};
  app.require_subcommand(1);
  std::string config_path, listen, data_dir, web_root;
  Settings settings;

  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--config", config_path, "configuration file (TOML/INI); JAGA_* variables and flags override it")
        ->check(CLI::ExistingFile);
    cmd->add_option("--data-dir", data_dir, "directory of the store and the attachments (default ./var)");
  };

  auto* serve = app.add_subcommand("serve", "serve the portal, the desk console and the API");
  add_common(serve);
  serve->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_option("--web-root", web_root, "directory of the built front end");

  auto* migrate = app.add_subcommand("migrate", "apply pending database migrations and exit");
  add_common(migrate);

  auto* user = app.add_subcommand("user", "manage console users");
  user->require_subcommand(1);
  std::string username, role = "operator";
  bool password_stdin = false;
  auto* user_add = user->add_subcommand("add", "add a user; the password is read from stdin or asked for");
  add_common(user_add);
  user_add->add_option("username", username, "the new user's name")->required();
  user_add->add_option("--role", role, commands::role_names())
      ->capture_default_str();
  user_add->add_flag("--password-stdin", password_stdin, "read the password from stdin, even from a terminal");
  std::string user_organisation;
  user_add->add_option("--organisation", user_organisation, "the organisation of an organisation contact (its name)");
  auto* user_passwd = user->add_subcommand("passwd", "set a user's password (read from stdin or asked for)");
  add_common(user_passwd);
  user_passwd->add_option("username", username, "the user")->required();
  user_passwd->add_flag("--password-stdin", password_stdin, "read the password from stdin, even from a terminal");
  auto* user_list = user->add_subcommand("list", "list users");
  add_common(user_list);

  auto* token = app.add_subcommand("token", "API tokens for scripts (Authorization: Bearer <token>)");
  token->require_subcommand(1);
  std::string token_role, token_label;
  int64_t token_id = 0;
  auto* token_create = token->add_subcommand("create", "create a token acting as a user; prints only the token");
  add_common(token_create);
  token_create->add_option("username", username, "the user the token acts as")->required();
  token_create->add_option("--role", token_role, "scope it to this role (only for administrators' tokens; default: the user's role)");
  token_create->add_option("--name", token_label, "what the token is for");
  auto* token_list = token->add_subcommand("list", "list tokens (never their values)");
  add_common(token_list);
  auto* token_revoke = token->add_subcommand("revoke", "revoke a token at once");
  add_common(token_revoke);
  token_revoke->add_option("id", token_id, "the token's id, from token list")->required();

  auto* organisation = app.add_subcommand("organisation", "the constituency registry");
  organisation->require_subcommand(1);
  std::string csv_path;
  auto* organisation_import = organisation->add_subcommand("import", "add or update organisations from a CSV file");
  add_common(organisation_import);
  organisation_import->add_option("file", csv_path, "the CSV file (see data/constituency/sample.csv)")->required()->check(CLI::ExistingFile);
  auto* organisation_export = organisation->add_subcommand("export", "print the registry as CSV");
  add_common(organisation_export);
  auto* organisation_list = organisation->add_subcommand("list", "list organisations");
  add_common(organisation_list);

  auto* audit = app.add_subcommand("audit", "check and read the audit log");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand("verify", "check the hash chain; exits 1 naming the first broken entry");
  add_common(audit_verify);
  auto* audit_list = audit->add_subcommand("list", "print audit entries, newest first");
  add_common(audit_list);
  AuditFilter audit_filter;
  audit_filter.limit = 50;
  audit_list->add_option("--actor", audit_filter.actor, "only this username (or cli, system)");
  audit_list->add_option("--action", audit_filter.action, "an action, or a prefix ending in '.' such as session.");
  audit_list->add_option("--limit", audit_filter.limit, "how many")->check(CLI::Range(1, 100000))->capture_default_str();

  auto* import = app.add_subcommand(
      "import", "add indicators to the store: plain lists, CSV, STIX 2.1 bundles, MISP events, MISP feed directories");
  add_common(import);
  ImportCommandOptions import_options;
  std::string import_format = "auto", import_map, import_source_kind = "feed", import_tlp = "amber", import_valid_until;
  int import_confidence = -1;
  bool import_no_warninglists = false, import_no_progress = false;
  import->add_option("files", import_options.paths, "files, or MISP feed directories (with manifest.json)")->required();
  import->add_option("--format", import_format, "auto, plain, csv, stix or misp")
      ->check(CLI::IsMember({"auto", "plain", "csv", "stix", "misp"}))
      ->capture_default_str();
  import->add_option("--map", import_map,
                     "CSV columns: value=COLUMN[,kind=COLUMN,tlp=COLUMN,confidence=COLUMN,valid_until=COLUMN,...]");
  import->add_option("--source", import_options.intake.source_name, "the source's name (default: the file's name)");
  import->add_option("--source-kind", import_source_kind, "feed, partner, monitor or incident (with the incident's reference as --source)")
      ->check(CLI::IsMember({"feed", "partner", "monitor", "incident"}))
      ->capture_default_str();
  import->add_option("--tlp", import_tlp, "the label of entries the file does not mark: clear, green, amber, amber+strict, red")
      ->capture_default_str();
  import->add_option("--confidence", import_confidence, "0-100, for entries that give none")->check(CLI::Range(0, 100));
  import->add_option("--valid-until", import_valid_until, "expiry (RFC 3339) for entries that give none");
  import->add_flag("--no-warninglists", import_no_warninglists, "do not flag what the shipped warninglists call benign");
  import->add_flag("--no-progress", import_no_progress, "no progress bar, even on a terminal");

  auto* match = app.add_subcommand("match", "match logs against indicators; one JSON line per hit on stdout");
  MatchOptions match_options;
  std::string match_format = "dns";
  bool no_warninglists = false, no_progress = false, quiet = false;
  match->add_option("--indicators", match_options.indicator_files,
                    "a plain list of indicators, one per line ('#' comments; hosts-file and adblock lines read too); repeatable")
      ->allow_extra_args(false)
      ->check(CLI::ExistingFile);
  std::string match_db;
  match->add_option("--db", match_db, "match against the store's indicators in this data directory instead")
      ->check(CLI::ExistingDirectory);
  match->add_option("--format", match_format, "dns, proxy (Squid), text or jsonl")
      ->check(CLI::IsMember({"dns", "proxy", "text", "jsonl"}))
      ->capture_default_str();
  match->add_flag("--no-warninglists", no_warninglists, "match indicators even when a shipped warninglist lists them as benign");
  match->add_option("--threads", match_options.threads, "threads to match with (default: one per core)")->check(CLI::Range(1, 256));
  match->add_flag("--no-progress", no_progress, "no progress line, even on a terminal");
  match->add_flag("--quiet,-q", quiet, "no summary on stderr");
  match->add_option("logs", match_options.logs, "log files, plain or gzip (default or '-': stdin)");

  auto* export_feed = app.add_subcommand("export", "feeds for resolvers, sensors and partners, on stdout");
  add_common(export_feed);
  ExportOptions export_options;
  std::string export_tlp = "green";
  bool export_no_warninglists = false, export_quiet = false;
  export_feed->add_option("--format", export_options.format,
                          "rpz (a DNS response policy zone for BIND and Unbound), plain, csv, stix (a STIX 2.1 bundle) or "
                          "suricata (rules on dns.query, tls.sni, http.host and addresses)")
      ->check(CLI::IsMember({"rpz", "plain", "csv", "stix", "suricata"}))
      ->capture_default_str();
  export_feed->add_option("--indicators", export_options.indicator_files,
                          "plain lists of indicators to export instead of the store's; repeatable")
      ->allow_extra_args(false)
      ->check(CLI::ExistingFile);
  export_feed->add_option("--tlp", export_tlp, "the most restricted label the feed may carry: clear, green, amber, amber+strict, red")
      ->capture_default_str();
  export_feed->add_option("--zone", export_options.zone, "the RPZ zone's name")->capture_default_str();
  export_feed->add_flag("--no-warninglists", export_no_warninglists, "with --indicators: export even what a shipped warninglist calls benign");
  export_feed->add_flag("--quiet,-q", export_quiet, "no summary on stderr");

  auto* partner = app.add_subcommand("partner", "partner agencies: TAXII accounts with their sharing agreements");
  partner->require_subcommand(1);
  commands::PartnerOptions partner_options;
  auto* partner_add = partner->add_subcommand("add", "add a partner account; the password is read from stdin or asked for");
  add_common(partner_add);
  partner_add->add_option("name", partner_options.name, "its TAXII user name (HTTP Basic)")->required();
  partner_add->add_flag("--password-stdin", password_stdin, "read the password from stdin, even from a terminal");
  partner_add->add_option("--collection", partner_options.collections,
                          "COLLECTION:rw, COLLECTION:r or COLLECTION:w; repeatable; a missing collection is created")
      ->allow_extra_args(false);
  partner_add->add_option("--max-tlp", partner_options.max_tlp,
                          "the highest label it may receive: clear, green or amber (AMBER+STRICT and RED never leave)")
      ->capture_default_str();
  partner_add->add_option("--title", partner_options.title, "the agency's full name");
  partner_add->add_option("--agreement", partner_options.agreement, "the agreement's reference, e.g. \"MoU ID-CN 2026/03\"");
  partner_add->add_flag("--personal-data", partner_options.personal_data,
                        "the agreement lets reporters' personal data leave (default: redacted)");
  partner_add->add_flag("--four-eyes", partner_options.four_eyes, "shares need a second analyst's approval");
  auto* partner_list = partner->add_subcommand("list", "list partners and their agreements");
  add_common(partner_list);
  PartnerRemote remote;
  auto* partner_remote = partner->add_subcommand("remote", "set the partner's own TAXII server to pull from and push to");
  add_common(partner_remote);
  partner_remote->add_option("name", remote.partner, "the partner")->required();
  partner_remote->add_option("--api-root", remote.api_root, "their API root, e.g. https://taxii.example.org/taxii2/api/")->required();
  partner_remote->add_option("--remote-collection", remote.remote_collection, "the collection's id on their server")->required();
  partner_remote->add_option("--username", remote.username, "the account their server gave this desk")->required();
  partner_remote->add_flag("--password-stdin", password_stdin, "read the password from stdin, even from a terminal");
  partner_remote->add_option("--pull-into", remote.pull_into, "the local collection what they share goes into")->required();
  partner_remote->add_option("--push-from", remote.push_from, "the local collection whose objects go to them");
  partner_remote->add_option("--interval", remote.interval_seconds, "seconds between syncs")->capture_default_str();
  std::string sync_name;
  auto* partner_sync = partner->add_subcommand("sync", "sync with the partner's TAXII server now");
  add_common(partner_sync);
  partner_sync->add_option("name", sync_name, "the partner")->required();

  auto* collection = app.add_subcommand("collection", "TAXII collections, one per sharing group");
  collection->require_subcommand(1);
  std::string collection_alias, collection_title, collection_description, collection_tlp = "green";
  auto* collection_add = collection->add_subcommand("add", "add a collection, or change its title and label");
  add_common(collection_add);
  collection_add->add_option("alias", collection_alias, "its alias, e.g. id-cn")->required();
  collection_add->add_option("--title", collection_title, "its title");
  collection_add->add_option("--description", collection_description, "what it is for");
  collection_add->add_option("--max-tlp", collection_tlp, "the most its objects may carry when they leave")->capture_default_str();
  auto* collection_list = collection->add_subcommand("list", "list collections");
  add_common(collection_list);

  auto* transfers = app.add_subcommand("transfers", "the cross-border transfer log");
  transfers->require_subcommand(1);
  TransferFilter transfer_filter;
  transfer_filter.limit = 1000;
  std::string transfer_format = "csv";
  auto* transfers_export = transfers->add_subcommand("export", "every object sent or received, newest first, on stdout");
  add_common(transfers_export);
  transfers_export->add_option("--partner", transfer_filter.partner, "only this partner");
  transfers_export->add_option("--direction", transfer_filter.direction, "sent or received")
      ->check(CLI::IsMember({"sent", "received"}));
  transfers_export->add_option("--since", transfer_filter.since, "from this time (RFC 3339)");
  transfers_export->add_option("--until", transfer_filter.until, "before this time (RFC 3339)");
  transfers_export->add_option("--format", transfer_format, "csv (a row per object) or jsonl (a line per transfer)")
      ->check(CLI::IsMember({"csv", "jsonl"}))
      ->capture_default_str();

  auto* check = app.add_subcommand("check", "check a website once: availability, certificate, defacement, spam, the "
                                           "web-security baseline; exits 0 when up, 2 when down");
  CheckCommandOptions check_options;
  check->add_option("url", check_options.url, "the site, e.g. https://www.example.go.id/ (https:// when no scheme is given)")
      ->required();
  check->add_flag("--json", check_options.json, "print one JSON object instead of the report");
  check->add_option("--ca-file", check_options.ca_file, "a PEM file of certificate authorities to trust beside the system's")
      ->check(CLI::ExistingFile);
  check->add_option("--timeout", check_options.timeout_seconds, "seconds per request")->capture_default_str();
  check->add_option("--rules", check_options.rules_file,
                    "the agency's baseline: lines of \"rule-id = weight\" or \"rule-id = off\"")
      ->check(CLI::ExistingFile);
  check->add_option("--signatures", check_options.signatures_file,
                    "more signatures, tab-separated like data/monitor/signatures.tsv")
      ->check(CLI::ExistingFile);

  auto* site = app.add_subcommand("site", "the websites the monitor watches");
  site->require_subcommand(1);
  Site site_input;
  std::string site_csv, site_organisation;
  bool site_paused = false;
  SiteFilter site_filter;
  auto* site_add = site->add_subcommand("add", "watch a site, or change one already watched");
  add_common(site_add);
  site_add->add_option("url", site_input.url, "the site's address (https:// when no scheme is given)")->required();
  site_add->add_option("--organisation", site_input.organisation, "the organisation that owns it (jaga organisation list)");
  site_add->add_option("--interval", site_input.interval_seconds, "seconds between checks, 30 to 86400")->capture_default_str();
  site_add->add_option("--keyword", site_input.keywords, "text the page must show; repeatable")->allow_extra_args(false);
  site_add->add_option("--tag", site_input.tags, "a tag; repeatable")->allow_extra_args(false);
  site_add->add_flag("--paused", site_paused, "keep it in the list without checking it");
  auto* site_import = site->add_subcommand("import", "add or update sites from a CSV file (all or nothing)");
  add_common(site_import);
  site_import->add_option("file", site_csv, "columns: url, organisation, interval_seconds, keywords, tags, enabled")
      ->required()
      ->check(CLI::ExistingFile);
  auto* site_domains = site->add_subcommand("add-domains", "watch https://DOMAIN/ for each of an organisation's domains");
  add_common(site_domains);
  site_domains->add_option("organisation", site_organisation, "the organisation's name")->required();
  site_domains->add_option("--interval", site_input.interval_seconds, "seconds between checks")->capture_default_str();
  auto* site_remove = site->add_subcommand("remove", "stop watching a site");
  add_common(site_remove);
  site_remove->add_option("url", site_input.url, "the site's address")->required();
  auto* site_list = site->add_subcommand("list", "list the watched sites");
  add_common(site_list);
  site_list->add_option("--organisation", site_filter.organisation, "only this organisation's");
  site_list->add_option("--tag", site_filter.tag, "only sites with this tag");
  site_list->add_option("--search", site_filter.text, "only sites whose address holds this text");
  auto* site_export = site->add_subcommand("export", "print the watched sites as CSV (site import reads it back)");
  add_common(site_export);

  app.add_subcommand("version", "print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (match->parsed()) {
    match_options.format = *parse_log_format(match_format);
    match_options.warninglists = !no_warninglists;
    match_options.progress = !no_progress && isatty(STDERR_FILENO);
    match_options.summary = !quiet;
    if (match_db.empty()) return run_match(match_options);
    if (!match_options.indicator_files.empty()) return fail("give --indicators or --db, not both");
    if (!std::filesystem::exists(std::filesystem::path(match_db) / "jaga.db"))
      return fail("--db: " + match_db + " holds no store (jaga.db)");
    log::set_enabled(false);
    Settings store_settings = settings;
    store_settings.data_dir = match_db;
    auto match_store = open_store(store_settings);
    if (!match_store) return fail(match_store.error().message);
    match_options.store = match_store->get();
    return run_match(match_options);
  }

  if (export_feed->parsed()) {
    export_options.warninglists = !export_no_warninglists;
    export_options.summary = !export_quiet;
    auto tlp = parse_tlp(export_tlp);
    if (!tlp) return fail("--tlp takes clear, green, amber, amber+strict or red, not " + export_tlp);
    export_options.max_tlp = *tlp;
    if (auto problem = export_option_error(export_options); !problem.empty()) return fail(problem);
    if (!export_options.indicator_files.empty()) return run_export(export_options, nullptr);
  }

  if (check->parsed()) return run_check(check_options);

  if (app.got_subcommand("version")) {
    std::printf("jaga %s\n", JAGA_VERSION);
    return 0;
  }

  if (!config_path.empty()) {
    std::ifstream in(config_path);
    std::stringstream text;
    text << in.rdbuf();
    if (auto st = apply_config_file(settings, text.str()); !st) return fail(config_path + ": " + st.error().message);
  }
  if (auto st = apply_environment(settings, environment()); !st) return fail(st.error().message);
  if (!listen.empty()) settings.listen = listen;
  if (!data_dir.empty()) settings.data_dir = data_dir;
  if (!web_root.empty()) settings.web_root = web_root;
  if (auto st = validate(settings); !st) return fail(st.error().message);

  if (app.got_subcommand(serve)) return jaga::serve(settings, argv[0]);

  log::set_enabled(false);  // one-shot commands print results, not logs
  auto store = open_store(settings);
  if (!store) return fail(store.error().message);
  Store& db = **store;

  if (export_feed->parsed()) return run_export(export_options, &db);
  if (import->parsed()) {
    auto& intake = import_options.intake;
    if (import_format != "auto") intake.format = parse_import_format(import_format);
    if (auto columns = parse_csv_columns(import_map); columns) intake.columns = *columns;
    else return fail(columns.error().message);
    intake.source_kind = *parse_indicator_source_kind(import_source_kind);
    auto tlp = parse_tlp(import_tlp);
    if (!tlp) return fail("--tlp takes clear, green, amber, amber+strict or red, not " + import_tlp);
    intake.tlp = *tlp;
    if (import_confidence >= 0) intake.confidence = import_confidence;
    if (!import_valid_until.empty()) {
      auto when = parse_rfc3339(import_valid_until);
      if (!when) return fail("--valid-until is not an RFC 3339 time: " + import_valid_until);
      intake.valid_until = format_rfc3339(*when);
    }
    intake.warninglists = !import_no_warninglists;
    intake.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    import_options.progress = !import_no_progress && isatty(STDERR_FILENO);
    return run_import(db, import_options);
  }
  if (app.got_subcommand(migrate)) {
    std::printf("schema version %d\n", db.schema_version());
    return 0;
  }
  if (user_add->parsed())  // before asking for a password that would be refused anyway
    if (auto parsed = commands::role_option(role); !parsed) return fail(parsed.error().message);
  if (partner_add->parsed()) {  // before asking for a password that would be refused anyway
    if (auto st = check_exchange_name("a partner's name", partner_options.name); !st) return fail(st.error().message);
    for (const auto& text : partner_options.collections)
      if (auto right = parse_collection_right(text); !right) return fail("--collection " + text + ": " + right.error().message);
  }
  Result<std::string> result = std::string();
  if (user_add->parsed()) result = commands::add_user(db, username, role, read_password("password: ", password_stdin), user_organisation);
  else if (user_passwd->parsed()) result = commands::set_password(db, username, read_password("password: ", password_stdin));
  else if (user_list->parsed()) result = commands::list_users(db);
  else if (token_create->parsed()) result = commands::create_token(db, username, token_role, token_label);
  else if (token_list->parsed()) result = commands::list_tokens(db);
  else if (token_revoke->parsed()) result = commands::revoke_token(db, token_id);
  else if (organisation_import->parsed()) {
    std::ifstream in(csv_path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    result = commands::import_organisations(db, text.str());
  } else if (organisation_export->parsed()) result = commands::export_organisations(db);
  else if (organisation_list->parsed()) result = commands::list_organisations(db);
  else if (partner_add->parsed())
    result = commands::add_partner(db, partner_options, read_password("partner's password: ", password_stdin));
  else if (partner_list->parsed()) result = commands::list_partners(db);
  else if (partner_remote->parsed()) {
    remote.password = read_password("password on their server: ", password_stdin);
    result = commands::set_partner_remote(db, remote);
  } else if (partner_sync->parsed()) result = commands::sync_partner(db, sync_name);
  else if (collection_add->parsed())
    result = commands::add_collection(db, collection_alias, collection_title, collection_description, collection_tlp);
  else if (collection_list->parsed()) result = commands::list_collections(db);
  else if (transfers_export->parsed()) result = commands::export_transfers(db, transfer_filter, transfer_format);
  else if (site_add->parsed()) {
    site_input.enabled = !site_paused;
    result = commands::add_site(db, site_input);
  } else if (site_import->parsed()) result = commands::import_sites(db, site_csv);
  else if (site_domains->parsed()) result = commands::add_organisation_sites(db, site_organisation, site_input.interval_seconds);
  else if (site_remove->parsed()) result = commands::remove_site(db, site_input.url);
  else if (site_list->parsed()) result = commands::list_sites(db, site_filter);
  else if (site_export->parsed()) result = commands::export_sites(db);
  else if (audit_verify->parsed()) result = commands::verify_audit(db);
  else if (audit_list->parsed()) result = commands::list_audit(db, audit_filter);
  if (!result) return fail(result.error().message);
  std::fputs(result->c_str(), stdout);
  return 0;
}
