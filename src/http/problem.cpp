#include "http/problem.h"

#include <boost/json.hpp>

namespace jaga::http {

int status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_input: return 400;
    case ErrorKind::unauthenticated: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::not_found: return 404;
    case ErrorKind::conflict: return 409;
    case ErrorKind::too_large: return 413;
    case ErrorKind::unsupported_media: return 415;
    case ErrorKind::too_many_requests: return 429;
    case ErrorKind::unavailable: return 503;
    case ErrorKind::internal: return 500;
  }
  return 500;
}

static std::string_view title_for(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

Response typed_problem(int status, std::string_view type, std::string_view title, std::string_view detail) {
  auto r = problem(status, title, detail);
  auto body = boost::json::parse(r.body).as_object();
  body["type"] = type;
  r.body = boost::json::serialize(body);
  return r;
}

Response problem(int status, std::string_view title, std::string_view detail, std::string_view field) {
  boost::json::object body;
  body["type"] = "about:blank";
  body["title"] = title.empty() ? title_for(status) : title;
  body["status"] = status;
  body["detail"] = detail;
  if (!field.empty()) body["field"] = field;
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  r.set("content-type", "application/problem+json");
  if (status == 503 || status == 429) r.set("retry-after", "1");
  return r;
}

Response problem(const Error& error) {
  int status = status_for(error.kind);
  // Internal details stay in the log; the client learns only that it failed.
  std::string detail = status == 500 ? std::string("The server could not complete the request.") : error.message;
  return problem(status, title_for(status), detail, error.field);
}

}  // namespace jaga::http
