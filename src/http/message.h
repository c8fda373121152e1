// Request and Response as handlers see them: plain values with no socket and
// no Beast types, so that handlers are functions from request to response and
// can be tested without a network. The server (server.cpp) converts.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jaga::http {

using Headers = std::vector<std::pair<std::string, std::string>>;  // names in lower case

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: path and query
  std::string path;    // without the query, not decoded
  std::map<std::string, std::string> query;   // decoded
  std::map<std::string, std::string> params;  // from the route pattern, decoded
  Headers headers;
  std::string body;
  std::string remote_address;
  std::string request_id;
  bool secure = false;  // arrived over TLS

  std::optional<std::string_view> header(std::string_view lower_name) const;
  std::string cookie(std::string_view name) const;
  std::string query_value(const std::string& name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::string file_path;  // when set, the body is streamed from this file
  bool close = false;     // close the connection after this response

  Response& set(std::string name, std::string value);
  static Response json(int status, std::string body);
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
};

// Handlers answer by calling Reply exactly once, from any thread.
using Reply = std::function<void(Response)>;
using Handler = std::function<void(Request&, Reply)>;

}  // namespace jaga::http
