#include "api/submission.h"

#include <magic.h>

#include "http/multipart.h"
#include "http/problem.h"
#include "intel/eml.h"
#include "api/json_input.h"
#include "api/routes.h"
#include "model/rsit.h"
#include "model/tracking_code.h"
#include "util/crypto.h"
#include "util/text.h"
#include "util/time.h"

namespace jaga::api {

namespace {

// libmagic handles are not thread-safe: one per worker thread, closed when
// the thread ends.
struct MagicCookie {
  magic_t handle = nullptr;
  MagicCookie() {
    handle = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
    if (handle && magic_load(handle, nullptr) != 0) {
      magic_close(handle);
      handle = nullptr;
    }
  }
  ~MagicCookie() {
    if (handle) magic_close(handle);
  }
  MagicCookie(const MagicCookie&) = delete;
  MagicCookie& operator=(const MagicCookie&) = delete;
};

std::string detect_media_type(std::string_view bytes) {
  thread_local MagicCookie cookie;
  if (!cookie.handle) return "application/octet-stream";
  const char* type = magic_buffer(cookie.handle, bytes.data(), bytes.size());
  return type ? type : "application/octet-stream";
}

std::string clean_filename(std::string name) {
  std::string out;
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '/' || c == '\\' || c == '"') continue;
    out.push_back(c);
  }
  if (out.empty() || out == "." || out == "..") out = "attachment";
  if (out.size() > 200) out = out.substr(out.size() - 200);
  return out;
}

}  // namespace

std::string json_text(const boost::json::object& details) {
  return details.empty() ? "" : boost::json::serialize(details);
}

http::Response json_response(int status, const boost::json::value& body) {
  auto r = http::Response::json(status, boost::json::serialize(body));
  r.set("cache-control", "no-store");
  return r;
}

void as_download(http::Response& response, std::string_view filename) {
  response.set("content-type", "application/octet-stream");
  std::string ascii_name;
  for (char c : filename) ascii_name += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? c : '_';
  response.set("content-disposition", "attachment; filename=\"" + ascii_name + "\"");
  response.set("content-security-policy", "sandbox; default-src 'none'");
  response.set("cache-control", "no-store");
}

Result<Submission> read_submission(const ApiContext& ctx, const http::Request& request, const char* json_part) {
  std::string content_type = to_lower_ascii(request.header("content-type").value_or(""));
  Submission submission;
  if (content_type.rfind("application/json", 0) == 0) {
    auto fields = parse_json_object(request.body);
    if (!fields) return fields.error();
    submission.fields = std::move(*fields);
    return submission;
  }
  if (content_type.rfind("multipart/form-data", 0) == 0) {
    auto parts = http::parse_multipart(*request.header("content-type"), request.body,
                                       ctx.settings.max_attachments + 8);
    if (!parts) return parts.error();
    bool have_fields = false;
    for (auto& part : *parts) {
      if (part.is_file()) {
        if (part.data.empty()) continue;  // an empty file input
        if (submission.files.size() >= ctx.settings.max_attachments)
          return Error{ErrorKind::too_large, "at most " + std::to_string(ctx.settings.max_attachments) +
                                                 " files can be attached", "files"};
        if (part.data.size() > ctx.settings.max_attachment_bytes)
          return Error{ErrorKind::too_large, "the file '" + clean_filename(part.filename) + "' is larger than " +
                                                 std::to_string(ctx.settings.max_attachment_bytes / (1024 * 1024)) +
                                                 " MiB", "files"};
        submission.files.push_back({clean_filename(part.filename), std::string(part.data)});
      } else if (part.name == json_part) {
        auto fields = parse_json_object(part.data);
        if (!fields) return fields.error();
        submission.fields = std::move(*fields);
        have_fields = true;
      }
    }
    if (!have_fields) return Error::invalid(std::string("the form has no '") + json_part + "' part", json_part);
    return submission;
  }
  return Error{ErrorKind::unsupported_media, "send application/json or multipart/form-data", {}};
}

Result<SavedFiles> save_files(ApiContext& ctx, const std::vector<Upload>& files) {
  SavedFiles saved;
  std::string now = now_rfc3339();
  for (const auto& file : files) {
    auto sha = ctx.blobs.put(file.bytes);
    if (!sha) return sha.error();
    Attachment a;
    a.sha256 = *sha;
    a.filename = file.filename;
    a.media_type = detect_media_type(file.bytes);
    a.size = static_cast<int64_t>(file.bytes.size());
    a.created_at = now;
    if (looks_like_email(a.filename, a.media_type, file.bytes)) {
      for (auto& i : extract_email_indicators(file.bytes, a.filename, ctx.settings.extract))
        if (std::find(saved.indicators.begin(), saved.indicators.end(), i) == saved.indicators.end())
          saved.indicators.push_back(std::move(i));
    }
    saved.attachments.push_back(std::move(a));
  }
  return saved;
}

std::string public_base_url(const ApiContext& ctx, const http::Request& request) {
  if (!ctx.settings.public_url.empty()) return ctx.settings.public_url;
  std::string host(request.header("host").value_or("127.0.0.1"));
  for (char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '-' || c == '[' || c == ']'))
      return "";
  return std::string(request.secure ? "https://" : "http://") + host;
}

boost::json::array indicators_json(const std::vector<Indicator>& indicators) {
  boost::json::array out;
  for (const auto& i : indicators) out.push_back({{"type", i.type}, {"value", i.value}, {"source", i.source}});
  return out;
}

boost::json::array attachments_json(const std::vector<Attachment>& attachments, bool with_ids) {
  boost::json::array out;
  for (const auto& a : attachments) {
    boost::json::object o{{"filename", a.filename}, {"size", a.size}, {"media_type", a.media_type},
                           {"sha256", a.sha256}, {"created_at", a.created_at}};
    if (with_ids) o["id"] = a.id;
    out.push_back(std::move(o));
  }
  return out;
}

namespace {

struct PendingReport {
  ApiContext* ctx;
  NewReport report;
  std::string secret;
  std::string base_url;
  http::Reply reply;
  std::optional<AuditEvent> audit;
  int attempts = 0;
};

void write_report(std::shared_ptr<PendingReport> pending) {
  pending->report.tracking_code = generate_tracking_code();
  NewReport copy = pending->report;
  auto audit = pending->audit;
  if (audit) {
    audit->target_type = "report";
    audit->target = pending->report.tracking_code;
  }
  pending->ctx->store.create_report(std::move(copy), std::move(audit), [pending](Result<int64_t> result) {
    if (!result) {
      if (result.error().kind == ErrorKind::conflict && ++pending->attempts < 5) return write_report(pending);
      return pending->reply(http::problem(result.error()));
    }
    pending->ctx->metrics.increment("jaga_reports_received_total", "channel",
                                    std::string(to_string(pending->report.input.channel)));
    const auto& code = pending->report.tracking_code;
    // The secret travels in the fragment, which browsers never send to a server.
    boost::json::object body{{"tracking_code", code},
                             {"secret", pending->secret},
                             {"status", "received"},
                             {"status_url", pending->base_url + "/status/" + code + "#" + pending->secret},
                             {"indicators", indicators_json(pending->report.indicators)}};
    auto response = json_response(201, body);
    response.set("location", "/api/v1/reports/" + code);
    pending->reply(std::move(response));
  });
}

}  // namespace

void create_report(ApiContext& ctx, const http::Request& request, ReportInput input, std::vector<Upload> files,
                   std::optional<AuditEvent> audit, http::Reply reply) {
  auto pending = std::make_shared<PendingReport>();
  pending->ctx = &ctx;
  pending->secret = random_token(24);
  pending->base_url = public_base_url(ctx, request);
  pending->reply = reply;
  pending->report.secret_hash = sha256_hex(pending->secret);
  pending->report.operator_id = audit ? audit->actor_id : std::nullopt;
  pending->audit = std::move(audit);
  pending->report.created_at = now_rfc3339();
  pending->report.indicators =
      extract_indicators(input.description + "\n" + input.involved, ctx.settings.extract, "text");
  pending->report.input = std::move(input);
  auto shared_files = std::make_shared<std::vector<Upload>>(std::move(files));
  run_on_worker(ctx, reply, [pending, shared_files] {
    auto saved = save_files(*pending->ctx, *shared_files);
    if (!saved) return pending->reply(http::problem(saved.error()));
    pending->report.attachments = std::move(saved->attachments);
    for (auto& i : saved->indicators)
      if (std::find(pending->report.indicators.begin(), pending->report.indicators.end(), i) ==
          pending->report.indicators.end())
        pending->report.indicators.push_back(std::move(i));
    write_report(pending);
  });
}

}  // namespace jaga::api
