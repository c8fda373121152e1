// What the public form and the desk form have in common: reading a report
// (JSON, or multipart with a JSON part and files), checking every field, and
// saving the files as blobs with their detected type and the indicators found
// in saved emails, before the report is written.
#pragma once

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "api/context.h"
#include "model/audit.h"
#include "api/report_input.h"
#include "http/message.h"
#include "model/report.h"

namespace jaga::api {

struct Upload {
  std::string filename;
  std::string bytes;
};

struct Submission {
  boost::json::object fields;
  std::vector<Upload> files;
};

// `json_part` names the multipart part that holds the JSON fields.
Result<Submission> read_submission(const ApiContext& ctx, const http::Request& request, const char* json_part);

struct SavedFiles {
  std::vector<Attachment> attachments;
  std::vector<Indicator> indicators;  // from saved emails
};
// Blocking (fsync, libmagic): run it on the worker pool.
Result<SavedFiles> save_files(ApiContext& ctx, const std::vector<Upload>& files);

// Creates the report with a fresh tracking code (retrying on the rare clash)
// and answers 201 with tracking_code, secret and status_url. Desk intake
// passes the audit event of the operator (its target is filled in with the
// tracking code); the public site passes none.
void create_report(ApiContext& ctx, const http::Request& request, ReportInput input, std::vector<Upload> files,
                   std::optional<AuditEvent> audit, http::Reply reply);

std::string public_base_url(const ApiContext& ctx, const http::Request& request);
http::Response json_response(int status, const boost::json::value& body);
// Marks `response` as a download that is never rendered: a generic type, an
// attachment named `filename` (in ASCII), a sandboxing CSP, no caching. For
// what citizens or attackers wrote: attachments, kept copies of pages.
void as_download(http::Response& response, std::string_view filename);
// Details for an audit entry: the object as JSON text, "" when empty.
std::string json_text(const boost::json::object& details);
boost::json::array indicators_json(const std::vector<Indicator>& indicators);
boost::json::array attachments_json(const std::vector<Attachment>& attachments, bool with_ids);

}  // namespace jaga::api
