#!/usr/bin/env bash
# The long fuzzing campaign (docs/security.md): builds the server and the campaign in Release, starts the server on
# loopback on its embedded defaults (a temporary SQLite audit file), sends CASES mutated requests (default 100,000) to
# every POST endpoint, then stops the server and checks its log for unhandled exceptions.
#   bench/fuzz/campaign.sh [cases] [seed] [concurrency]
# Exit status: 0 when no answer was a 5xx, none carried a stack trace and the log has no unhandled exception.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
cases=${1:-100000}
seed=${2:-1}
concurrency=${3:-4}

work=$(mktemp -d "${TMPDIR:-/tmp}/herald-fuzz.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release -nologo -v q src/Herald.Server >/dev/null
dotnet build -c Release -nologo -v q bench/Herald.FuzzCampaign >/dev/null

# Started from the temporary directory, as an operator might, on the embedded defaults.
(cd "$work" && exec dotnet "$root/src/Herald.Server/bin/Release/net10.0/Herald.Server.dll" \
  --Herald:Port=0 --Herald:Audit:SqlitePath="$work/audit.db" >"$work/server.log" 2>&1) &
server_pid=$!

url=""
for _ in $(seq 1 120); do
  url=$(grep -oE 'listening on http://[^ ]+' "$work/server.log" | head -n 1 | sed 's/listening on //' || true)
  [ -n "$url" ] && break
  sleep 0.5
done
if [ -z "$url" ]; then
  echo "campaign.sh: the server did not start" >&2
  cat "$work/server.log" >&2
  exit 1
fi
echo "campaign.sh: Herald Release server at $url; $cases cases, seed $seed, $concurrency concurrent; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

status=0
dotnet "bench/Herald.FuzzCampaign/bin/Release/net10.0/Herald.FuzzCampaign.dll" "$url" "$root" "$cases" "$seed" "$concurrency" || status=$?

unhandled=$(grep -c "Unhandled" "$work/server.log" || true)
echo "unhandled exceptions in the server log: $unhandled"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$unhandled" -gt 0 ]; then
  grep -m 5 -A 2 "Unhandled" "$work/server.log"
  status=1
fi
exit "$status"
