-- wrk script: GET one URL with a bearer token (JAGA_BENCH_TOKEN) and print
-- the latency percentiles a service level is written in (p50, p95, p99).
local token = os.getenv("JAGA_BENCH_TOKEN")

request = function()
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. token }, nil)
end

done = function(summary, latency, requests)
  io.write(string.format("requests: %d, not 2xx: %d, p50: %.1f ms, p95: %.1f ms, p99: %.1f ms\n",
    summary.requests, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
