-- wrk script for bench/replicas/run.sh: CDS Hooks patient-view calls, each with a token of its own (single use), and
-- each answer's status, X-Herald-Audit-Id and second written to a file per thread as it arrives, so the run can check
-- afterwards that every acknowledged answer's record is in PostgreSQL.
-- Arguments (after --): request body file, tokens file (one per line), output prefix, number of threads.

local count = 0

function setup(thread)
   count = count + 1
   thread:set("id", count)
end

function init(args)
   local body_file, tokens_file, prefix, threads = args[1], args[2], args[3], tonumber(args[4])
   local f = assert(io.open(body_file, "rb"))
   body = f:read("*a")
   f:close()
   -- Thread n takes tokens n, n + threads, n + 2 * threads, ...: no token is sent twice.
   tokens = {}
   local i = 0
   for line in io.lines(tokens_file) do
      if i % threads == id - 1 then
         tokens[#tokens + 1] = line
      end
      i = i + 1
   end
   next_token = 1
   out = assert(io.open(prefix .. id .. ".txt", "w"))
   out:setvbuf("line")
end

function request()
   local token = tokens[next_token]
   if token == nil then
      -- Out of tokens: stop rather than replay one (the run reports it).
      out:write("out-of-tokens - ", os.time(), "\n")
      wrk.thread:stop()
      token = "none"
   end
   next_token = next_token + 1
   return wrk.format("POST", "/cds-services/herald-patient-view",
      { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end

function response(status, headers, _)
   local audit = headers["X-Herald-Audit-Id"] or headers["x-herald-audit-id"] or "-"
   out:write(status, " ", audit, " ", os.time(), "\n")
end
