-- As request.lua, at a fixed rate: HERALD_RATE requests per second in all, shared evenly by wrk's threads. Each
-- thread keeps a schedule of send times 1/rate apart and delays each request until its slot (wrk2 is not packaged),
-- so the rate holds while an answer takes less than connections/rate; a late request is sent at once (more than a
-- second behind, the schedule starts again from now rather than burst).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } herald_timespec;
  int clock_gettime(int clock, herald_timespec *t);
]]
local ts = ffi.new("herald_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

dofile(os.getenv("HERALD_SCRIPTS") .. "/request.lua")

local threads = tonumber(os.getenv("HERALD_THREADS") or "1")
local interval_ms = 1000 * threads / tonumber(os.getenv("HERALD_RATE") or "500")
local next_slot = nil

function delay()
  local now = now_ms()
  if next_slot == nil or next_slot < now - 1000 then
    next_slot = now -- start, or more than a second behind: do not burst to catch up
  end
  local wait = next_slot - now
  next_slot = next_slot + interval_ms
  if wait < 0 then return 0 end
  return math.floor(wait)
end
