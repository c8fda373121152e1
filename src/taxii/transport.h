// How the sync client talks HTTP: one request, one answer, no TAXII in it.
// The sync logic (sync.h) takes a Transport so that its handling of odd
// servers is tested against servers of our own, and the real one is curl.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "util/result.h"

namespace jaga::taxii {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string username, password;  // HTTP Basic when set
  int timeout_seconds = 60;
};

struct HttpAnswer {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string header(std::string_view lower_name) const;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // An error only when no answer came (refused, timed out, TLS); an HTTP
  // error status is an answer.
  virtual Result<HttpAnswer> send(const HttpRequest& request) = 0;
};

// libcurl, HTTP and HTTPS only, certificates checked.
std::unique_ptr<Transport> make_curl_transport();

}  // namespace jaga::taxii
