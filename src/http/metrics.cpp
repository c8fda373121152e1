#include "http/metrics.h"

#include <array>
#include <cstdio>

namespace jaga::http {

static constexpr std::array<double, 12> bounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                  0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

void Metrics::observe_request(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  auto& h = latency_[route];
  for (size_t i = 0; i < bounds.size(); ++i)
    if (seconds <= bounds[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::increment(const std::string& name, const std::string& key, const std::string& value) {
  std::lock_guard lock(mutex_);
  ++counters_[name][key.empty() ? "" : key + "=\"" + value + "\""];
}

void Metrics::set_gauge(const std::string& name, double value) {
  std::lock_guard lock(mutex_);
  gauges_[name] = value;
}

static std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP jaga_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE jaga_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += "jaga_http_requests_total{route=\"" + key.first + "\",status=\"" + std::to_string(key.second) +
           "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP jaga_http_request_duration_seconds Time from request read to response queued.\n";
  out += "# TYPE jaga_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (size_t i = 0; i < bounds.size(); ++i) {
      out += "jaga_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"" + number(bounds[i]) +
             "\"} " + std::to_string(h.buckets[i]) + "\n";
    }
    out += "jaga_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out += "jaga_http_request_duration_seconds_sum{route=\"" + route + "\"} " + number(h.sum) + "\n";
    out += "jaga_http_request_duration_seconds_count{route=\"" + route + "\"} " + std::to_string(h.count) + "\n";
  }
  for (const auto& [name, series] : counters_) {
    out += "# TYPE " + name + " counter\n";
    for (const auto& [labels, value] : series)
      out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + std::to_string(value) + "\n";
  }
  for (const auto& [name, value] : gauges_) {
    out += "# TYPE " + name + " gauge\n";
    out += name + " " + number(value) + "\n";
  }
  return out;
}

}  // namespace jaga::http
