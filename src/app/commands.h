// The one-shot commands of the command line (users, tokens, the audit log) on
// an open store. Each answers the text to print, or an Error whose message is
// the one line the CLI prints before exiting non-zero. Changes are audited as
// made by "cli".
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "model/audit.h"
#include "store/store.h"
#include "util/result.h"

namespace jaga::commands {

// Who ran a command, for the audit log: "cli", with the operating-system account.
AuditEvent cli_event(std::string action, std::string target_type, std::string target,
                     boost::json::object details = {});

std::string role_names();  // "administrator, analyst, ..."
// A --role value, or the error that lists the roles.
Result<Role> role_option(const std::string& text);

// `organisation` names the organisation of an organisation contact.
Result<std::string> add_user(Store& store, const std::string& username, const std::string& role,
                             const std::string& password, const std::string& organisation = "");
Result<std::string> set_password(Store& store, const std::string& username, const std::string& password);
Result<std::string> list_users(Store& store);

Result<std::string> create_token(Store& store, const std::string& username, const std::string& role,
                                 const std::string& name);
Result<std::string> list_tokens(Store& store);
Result<std::string> revoke_token(Store& store, int64_t id);

Result<std::string> import_organisations(Store& store, const std::string& csv_text);
Result<std::string> export_organisations(Store& store);  // the CSV
Result<std::string> list_organisations(Store& store);

Result<std::string> verify_audit(Store& store);
Result<std::string> list_audit(Store& store, const AuditFilter& filter);

}  // namespace jaga::commands
