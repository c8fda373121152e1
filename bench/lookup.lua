-- wrk script: a resolver or a SOC tool asks whether values are listed
-- (GET /api/v1/lookup?value=...), with an API token. The values come from
-- the file named by JAGA_BENCH_VALUES, one URL-encoded value per line; the
-- token from JAGA_BENCH_TOKEN.
local values = {}
local next_index = 1
local token

init = function(args)
  local path = os.getenv("JAGA_BENCH_VALUES")
  token = os.getenv("JAGA_BENCH_TOKEN")
  if not path or not token then error("set JAGA_BENCH_VALUES and JAGA_BENCH_TOKEN") end
  for line in io.lines(path) do
    if #line > 0 then values[#values + 1] = line end
  end
  if #values == 0 then error("no values in " .. path) end
  next_index = math.random(#values)
end

request = function()
  local v = values[next_index]
  next_index = next_index % #values + 1
  return wrk.format("GET", "/api/v1/lookup?value=" .. v, { ["Authorization"] = "Bearer " .. token }, nil)
end

done = function(summary, latency, requests)
  io.write(string.format("lookups: %d, not 2xx: %d\n", summary.requests, summary.errors.status))
end
