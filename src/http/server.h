// The HTTP(S) server: Boost.Beast on Asio, one io_context run by `threads`
// threads. Keep-alive, one request at a time per connection (pipelined
// requests wait in the buffer, so they are answered in order), limits on
// header and body size, read timeouts, optional TLS, a request id and a JSON
// access-log line for every request, and a graceful stop on SIGTERM/SIGINT:
// stop accepting, finish the requests in flight, close idle connections.
//
// This is the only translation unit that includes Beast; handlers see
// http::Request and http::Response.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"
#include "util/result.h"

namespace jaga::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 2;
  std::string tls_certificate;  // PEM chain; TLS is on when both paths are set
  std::string tls_private_key;
  size_t header_limit = 16 * 1024;
  std::chrono::seconds header_timeout{15};
  std::chrono::seconds body_timeout{120};
  std::chrono::seconds stop_grace{10};
  size_t max_connections = 10000;
  bool access_log = true;
  // Applied to every response, errors included (security headers).
  std::function<void(const Request&, Response&)> decorate;
};

class Server {
 public:
  Server(ServerOptions options, const Router& router, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; fails with a message naming the address when it cannot.
  Status listen();
  uint16_t port() const;  // the bound port (useful with port 0)
  // Serves until SIGTERM or SIGINT (or stop()), then stops gracefully. Blocks.
  void run();
  void stop();  // thread-safe

  struct Impl;  // defined in server.cpp

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace jaga::http
