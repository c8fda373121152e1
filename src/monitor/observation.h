// What the website monitor saw of one HTTP exchange, free of libcurl's
// types, so that the rules that judge it (baseline.h, check.h) are pure.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace jaga::monitor {

// Milliseconds. dns, connect and tls are the phases' own durations;
// first_byte and total are counted from the start of the request.
struct Timings {
  double dns = 0, connect = 0, tls = 0, first_byte = 0, total = 0;
};

struct Certificate {
  bool present = false;
  bool valid = false;   // the chain is trusted and names the host
  std::string error;    // why it is not valid, as the TLS library says
  std::string subject, issuer;
  std::string not_after;  // RFC 3339
  std::optional<int> days_left;
};

struct Exchange {
  std::string url;
  bool answered = false;  // an HTTP response arrived
  std::string error;      // why not, or why the TLS check failed
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case, in order
  std::string body;
  bool body_cut = false;  // longer than the monitor reads
  Timings timings;
  std::string ip;  // the address it connected to
  std::string tls_version, cipher;
  Certificate certificate;

  // The first value of a header (name in lower case), or "".
  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (n == name) return v;
    return "";
  }
};

}  // namespace jaga::monitor
