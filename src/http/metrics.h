// Prometheus metrics of the process: requests by route and status, a latency
// histogram per route, and counters other modules register (reports received).
// Thread-safe; rendering is in the Prometheus text exposition format 0.0.4.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace jaga::http {

class Metrics {
 public:
  void observe_request(const std::string& route, int status, double seconds);
  void increment(const std::string& name, const std::string& label_key = {}, const std::string& label_value = {});
  void set_gauge(const std::string& name, double value);
  std::string render() const;

 private:
  struct Histogram {
    std::array<uint64_t, 12> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;  // GUARDED_BY(mutex_)
  std::map<std::string, Histogram> latency_;                  // GUARDED_BY(mutex_)
  std::map<std::string, std::map<std::string, uint64_t>> counters_;  // name -> labels -> value
  std::map<std::string, double> gauges_;
};

}  // namespace jaga::http
