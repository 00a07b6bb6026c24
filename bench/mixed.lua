-- wrk script of the mixed run: the requests of bench/wrk.lua, each thread taking its own
-- share of the list once (thread k takes lines k, k + THREADS, ...), so a prepared step
-- (sign this check, verify that listing) is sent once; a list shorter than the run starts
-- over, and the steps sent again are answered 409 and counted. It also counts the
-- answers by status code.
--   wrk -t THREADS ... -s bench/mixed.lua URL -- FILE THREADS

dofile("bench/wrk.lua")

local load_requests = init
local plain_setup = setup
local plain_done = done
local all_threads = {}
statuses = {}

function setup(thread)
  plain_setup(thread)
  all_threads[#all_threads + 1] = thread
end

function init(args)
  load_requests(args)
  local count = tonumber(args[2])
  local mine = {}
  for n = (thread_number or 0) + 1, #prepared, count do
    mine[#mine + 1] = prepared[n]
  end
  if #mine == 0 then
    error("no requests for thread " .. tostring(thread_number))
  end
  prepared = mine
  position = 0
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  plain_done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(all_threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(totals) do
    parts[#parts + 1] = string.format("\"%d\": %d", status, count)
  end
  io.write("WRK_STATUSES {" .. table.concat(parts, ", ") .. "}\n")
end
