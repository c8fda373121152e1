-- wrk script: a reporter checks the status of a report
-- (GET /api/v1/reports/{code} with X-Report-Secret). The codes and secrets
-- come from the file named by JAGA_BENCH_CODES, one "code secret" per line.
local pairs_list = {}
local next_index = 1

local function load_codes()
  local path = os.getenv("JAGA_BENCH_CODES")
  if not path then error("set JAGA_BENCH_CODES to the file of 'code secret' lines") end
  for line in io.lines(path) do
    local code, secret = line:match("^(%S+)%s+(%S+)$")
    if code then pairs_list[#pairs_list + 1] = { code, secret } end
  end
  if #pairs_list == 0 then error("no codes in " .. path) end
end

init = function(args)
  load_codes()
  next_index = math.random(#pairs_list)
end

request = function()
  local p = pairs_list[next_index]
  next_index = next_index % #pairs_list + 1
  return wrk.format("GET", "/api/v1/reports/" .. p[1], { ["X-Report-Secret"] = p[2] }, nil)
end

done = function(summary, latency, requests)
  io.write(string.format("lookups: %d, not 2xx: %d\n", summary.requests, summary.errors.status))
end
