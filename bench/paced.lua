-- wrk script of the paced run: the requests of bench/wrk.lua at a fixed offered rate.
--   wrk -c CONNECTIONS ... -s bench/paced.lua URL -- FILE RATE CONNECTIONS
-- Each connection waits about CONNECTIONS / RATE seconds (jittered by ±50 %) after each
-- answer, so the connections together offer RATE requests/s while answers are quick; the
-- run reports the rate actually reached.

dofile("bench/wrk.lua")

local interval_ms = 0
local load_requests = init

function init(args)
  load_requests(args)
  interval_ms = tonumber(args[3]) * 1000 / tonumber(args[2])
end

function delay()
  return math.random(math.floor(interval_ms / 2), math.floor(interval_ms * 3 / 2))
end
