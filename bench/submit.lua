-- wrk script: files a citizen report on every request (POST /api/v1/reports).
-- Each request carries a different description so that no two are identical.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Sec-Fetch-Site"] = "same-origin"

local counter = 0

function setup(thread)
  thread:set("thread_id", counter)
  counter = counter + 1
end

local n = 0
request = function()
  n = n + 1
  local body = string.format(
    '{"category":"fraud:phishing","language":"id","description":"Saya menerima SMS dari 0812%07d berisi tautan hxxps://bank-login[.]example%d.com/verify?id=%d untuk memperbarui data rekening."}',
    n % 10000000, (thread_id or 0), n)
  return wrk.format(nil, "/api/v1/reports", nil, body)
end

local failures = 0
response = function(status, headers, body)
  if status ~= 201 then failures = failures + 1 end
end

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("submissions: %d, not 201: %d, socket errors: %d\n",
    summary.requests, non2xx, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
