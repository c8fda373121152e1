-- wrk script: drives prometheus-blackbox-exporter's /probe over a list of
-- targets, one after another. The targets come from the file named by
-- JAGA_BENCH_TARGETS (one URL per line), the module from JAGA_BENCH_MODULE.
local targets = {}
local next_index = 1
local module

init = function(args)
  local file = os.getenv("JAGA_BENCH_TARGETS")
  module = os.getenv("JAGA_BENCH_MODULE") or "http_2xx"
  if not file then error("set JAGA_BENCH_TARGETS") end
  for line in io.lines(file) do
    if #line > 0 then targets[#targets + 1] = line end
  end
  if #targets == 0 then error("no targets in " .. file) end
  next_index = math.random(#targets)
end

request = function()
  local t = targets[next_index]
  next_index = next_index % #targets + 1
  return wrk.format("GET", "/probe?module=" .. module .. "&target=" .. t, nil, nil)
end

done = function(summary, latency, requests)
  io.write(string.format("probes: %d, not 2xx: %d\n", summary.requests, summary.errors.status))
end
