-- wrk script of the benchmark: replays prepared requests round-robin, and prints a
-- machine-readable summary line at the end.
--   wrk ... -s bench/wrk.lua URL -- FILE
-- FILE has one request per line: method, path, bearer token, X-Forwarded-For, body,
-- separated by tabs (empty fields are left out of the request).

-- Globals, so bench/mixed.lua can share the list out between its threads.
prepared = {}
position = 0
local threads = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  local file = args[1]
  for line in io.lines(file) do
    local method, path, token, forwarded, body =
      line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    if method then
      local headers = {}
      if token ~= "" then headers["Authorization"] = "Bearer " .. token end
      if forwarded ~= "" then headers["X-Forwarded-For"] = forwarded end
      if body == "" then
        body = nil
      else
        headers["Content-Type"] = "application/json"
      end
      prepared[#prepared + 1] = wrk.format(method, path, headers, body)
    end
  end
  if #prepared == 0 then
    error("no requests in " .. tostring(file))
  end
  -- Each thread starts at another place in the list.
  position = ((thread_number or 0) * 7919) % #prepared
end

function request()
  position = position % #prepared + 1
  return prepared[position]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_SUMMARY {\"requests\": %d, \"duration_us\": %d, \"bytes\": %d, " ..
    "\"connect_errors\": %d, \"read_errors\": %d, \"write_errors\": %d, " ..
    "\"status_errors\": %d, \"timeouts\": %d, \"p50_us\": %d, \"p90_us\": %d, " ..
    "\"p99_us\": %d, \"max_us\": %d}\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
