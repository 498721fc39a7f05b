-- One request, repeated: bench/load/run.sh sets HERALD_METHOD, HERALD_PATH, HERALD_BODY (a file) and HERALD_TYPE.
-- done() prints one RESULT line that run.sh reads: requests, seconds, p50 and p99 in microseconds, non-2xx answers,
-- and socket errors (connect, read, write, timeout).
wrk.method = os.getenv("HERALD_METHOD") or "GET"
wrk.path = os.getenv("HERALD_PATH") or "/health"
local body_file = os.getenv("HERALD_BODY")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = os.getenv("HERALD_TYPE") or "application/json"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.3f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
