#!/usr/bin/env bash
# Durability under load: `bench/durability/kill9.sh [sqlite|postgres|both] [runs]` (default: both, 3 runs each).
#
# Builds the Release server, starts it on loopback with the chosen audit database, sends CDS Hooks patient-view
# calls (seed case 1) from 16 concurrent connections, kills the server with SIGKILL at a random moment 5-10 s into the
# load, restarts it (the restart drains the spool), and checks that every answer the client received as 200, by the
# audit id in its X-Herald-Audit-Id header, is in the database: 0 acknowledged records lost. PostgreSQL runs as a
# throwaway cluster in a temporary directory (durability settings left at their defaults), like ./test.sh's.
# Needs curl, sqlite3 and the PostgreSQL server binaries (installed with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
bench_name=kill9
# shellcheck source=../lib/common.sh
. "$root/bench/lib/common.sh"
# shellcheck source=../lib/throwaway-postgres.sh
. "$root/bench/lib/throwaway-postgres.sh"

backends=${1:-both}
runs=${2:-3}
connections=16
requests_per_run=30000

need curl curl
need sqlite3 sqlite3

work=$(mktemp -d "${TMPDIR:-/tmp}/herald-kill9.XXXXXX")
server_pid=""
load_pid=""
cleanup() {
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null || true
  stop_throwaway_postgres immediate
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_release_server



# The server, with the backend's settings; waits until /health answers.
start_server() {
  local log=$1
  env Herald__Port="$port" Herald__Audit__SqlitePath="$work/sqlite/audit.db" Herald__Audit__SpoolDirectory="$work/$backend-spool" \
      Herald__Audit__ConnectionString="$connection" Herald__Audit__DrainInterval=00:00:01 \
      Logging__LogLevel__Default=Warning DOTNET_gcServer=0 \
      dotnet "$server_dll" >"$log" 2>&1 &
  server_pid=$!
  wait_for_health "$port" 200 "$log" "the server did not start"
}

health() { curl -fs "http://127.0.0.1:$port/health"; }

present_ids() {
  if [ "$backend" = sqlite ]; then
    sqlite3 "$work/sqlite/audit.db" "SELECT id FROM audit_record"
  else
    "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -Atc "SELECT id FROM audit_record"
  fi
}

request=$root/examples/fhir/seed-case-1.cds-hooks.json
port=$(free_port 18410)
results=$work/results.txt
: >"$results"
: >"$work/sizes.txt"

for backend in sqlite postgres; do
  [ "$backends" != both ] && [ "$backends" != "$backend" ] && continue
  connection=""
  if [ "$backend" = postgres ]; then start_throwaway_postgres "$work/pg" 56432; connection=$pg_connection; fi
  mkdir -p "$work/sqlite"

  # One curl process: the same call $requests_per_run times over $connections connections, each answer's status and
  # audit id on a line of its own as soon as it arrives (line-buffered, so a kill loses no line).
  config=$work/curl-$backend.conf
  {
    echo 'silent'
    echo 'parallel'
    echo "parallel-max = $connections"
    echo 'header = "Content-Type: application/json"'
    echo "data-binary = \"@$request\""
    echo 'write-out = "%{http_code} %header{x-herald-audit-id}\n"'
    for _ in $(seq 1 "$requests_per_run"); do
      echo "url = \"http://127.0.0.1:$port/cds-services/herald-patient-view\""
      echo 'output = "/dev/null"'
    done
  } >"$config"

  for run in $(seq 1 "$runs"); do
    start_server "$work/server-$backend-$run.log"
    acks=$work/acks-$backend-$run.txt
    stdbuf -oL curl -K "$config" >"$acks" 2>/dev/null &
    load_pid=$!
    delay=$(awk -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.2f", 5 + 5 * rand() }')
    sleep "$delay"
    kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
    sleep 0.5
    kill "$load_pid" 2>/dev/null || true; wait "$load_pid" 2>/dev/null || true; load_pid=""

    spooled=0
    [ -f "$work/$backend-spool/audit-spool.jsonl" ] && spooled=$(grep -c . "$work/$backend-spool/audit-spool.jsonl" || true)
    start_server "$work/server-$backend-restart-$run.log"
    for _ in $(seq 1 100); do
      [ "$(health | jq '.audit.waitingInSpool')" = 0 ] && break
      sleep 0.1
    done
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

    awk '$1 == 200 && $2 != "" { print $2 }' "$acks" | sort -u >"$work/acked.txt"
    present_ids | sort -u >"$work/present.txt"
    acked=$(wc -l <"$work/acked.txt")
    lost=$(comm -23 "$work/acked.txt" "$work/present.txt" | wc -l)
    refused=$(awk '$1 == 503' "$acks" | wc -l)
    printf '%-8s run %d: killed after %ss; %d answers acknowledged (200), %d refused (503), %d in the spool at the kill; %d lost\n' \
      "$backend" "$run" "$delay" "$acked" "$refused" "$spooled" "$lost" | tee -a "$results"
  done

  # What the records take in the database itself: tables, indexes, and (SQLite) the file after a clean stop.
  if [ "$backend" = sqlite ]; then
    records=$(sqlite3 "$work/sqlite/audit.db" "SELECT COUNT(*) FROM audit_record")
    bytes=$(stat -c %s "$work/sqlite/audit.db")
  else
    records=$("$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -Atc "SELECT COUNT(*) FROM audit_record")
    bytes=$("$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -Atc \
      "SELECT pg_total_relation_size('audit_record') + pg_total_relation_size('audit_card') + pg_total_relation_size('audit_feedback')")
  fi
  printf '%-8s database: %d records in %d bytes, %d bytes per record (tables and indexes)\n' \
    "$backend" "$records" "$bytes" $((bytes / (records > 0 ? records : 1))) | tee -a "$work/sizes.txt"

  if [ "$backend" = postgres ]; then stop_throwaway_postgres; fi
done

echo
echo "Summary ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $connections connections):"
cat "$results"
cat "$work/sizes.txt"
if grep -qv ' 0 lost$' "$results"; then
  echo "kill9: acknowledged records were LOST" >&2
  exit 1
fi
echo "kill9: 0 acknowledged records lost"
