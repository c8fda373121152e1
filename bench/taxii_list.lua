-- wrk script: a partner pages through a collection (GET .../objects/ with
-- added_after and limit), signed in with HTTP Basic. The added_after values
-- come from the file named by JAGA_BENCH_CURSORS (one URL-encoded timestamp
-- per line); the collection's objects path from JAGA_BENCH_PATH, the
-- Authorization header's value from JAGA_BENCH_AUTH, the page size from
-- JAGA_BENCH_LIMIT.
local cursors = {}
local next_index = 1
local path, auth, limit

init = function(args)
  local file = os.getenv("JAGA_BENCH_CURSORS")
  path = os.getenv("JAGA_BENCH_PATH")
  auth = os.getenv("JAGA_BENCH_AUTH")
  limit = os.getenv("JAGA_BENCH_LIMIT") or "10"
  if not file or not path or not auth then error("set JAGA_BENCH_CURSORS, JAGA_BENCH_PATH and JAGA_BENCH_AUTH") end
  for line in io.lines(file) do
    if #line > 0 then cursors[#cursors + 1] = line end
  end
  if #cursors == 0 then error("no cursors in " .. file) end
  next_index = math.random(#cursors)
end

request = function()
  local c = cursors[next_index]
  next_index = next_index % #cursors + 1
  return wrk.format("GET", path .. "?limit=" .. limit .. "&added_after=" .. c,
                    { ["Authorization"] = auth, ["Accept"] = "application/taxii+json;version=2.1" }, nil)
end

done = function(summary, latency, requests)
  io.write(string.format("pages: %d, not 2xx: %d\n", summary.requests, summary.errors.status))
end
