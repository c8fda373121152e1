// The website monitor's HTTP(S) requests, many at once on one thread with
// libcurl's multi interface. Each request yields an Exchange: status,
// headers, the start of the body, the phases' timings, the TLS version and
// cipher, and the certificate with curl's trust decision made by hand, so
// that a page behind a bad certificate is still read and its certificate
// reported rather than the request failing. Redirects are not followed
// here: the caller follows them, seeing each hop.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "monitor/observation.h"

namespace jaga::monitor {

struct Request {
  enum class Family { any, ipv4, ipv6 };
  std::string url;
  Family family = Family::any;
  bool legacy_tls_only = false;  // offer only TLS 1.0 and 1.1 and stop after the handshake
  long timeout_ms = 10000;
  size_t max_body = 2 * 1024 * 1024;
  std::string ca_file;  // trusted beside the system's authorities
};

class Prober {
 public:
  Prober();
  ~Prober();
  Prober(const Prober&) = delete;
  Prober& operator=(const Prober&) = delete;

  // Starts a request; `done` runs on the thread of run() and may add more.
  void add(Request request, std::function<void(Exchange)> done);
  // Runs until no request is in flight.
  void run();
  // Moves every request on, finishes those that are done, and waits for
  // the network at most `wait_ms` when none was. For a loop that also
  // starts requests.
  void step(int wait_ms);
  int in_flight() const;

  // One request in flight, and the multi handle: internal to probe.cpp.
  struct Transfer;
  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace jaga::monitor
