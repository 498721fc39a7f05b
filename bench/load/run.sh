#!/usr/bin/env bash
# Server load: `bench/load/run.sh [sqlite|postgres|both] [runs]` (default sqlite, 3 runs) and
# `bench/load/run.sh soak [minutes] [rate]` (default 10 minutes at 500 answers/s, SQLite audit).
#
# Builds the Release server, starts it on loopback in local-development mode (no token, as bench/durability/kill9.sh)
# with its audit database in a temporary directory, and drives it with wrk (installed with apt-get when missing):
#   health        GET /health                                   baseline: the framework's floor
#   bare          POST /bench/bare, patient-view's body          baseline: same request bytes in, the same answer bytes
#                 out (precomputed), no decision, no audit; mapped only because Herald:Bench:BareAnswerFile is set
#   patient-view  POST /cds-services/herald-patient-view         examples/fhir/seed-case-1.cds-hooks.json
#   order-sign    POST /cds-services/herald-order-sign           the same prefetch with two draft orders
#   rest-native   POST /api/recommendations (application/json)   examples/seed-case-1.json
#   rest-fhir     POST /api/recommendations (fhir+json)          examples/fhir/seed-case-1.bundle.json
# each at 1, 16 and 64 connections (CONNECTIONS), DURATION seconds each (default 10) after a warm-up of WARMUP seconds
# (default 20: the JIT's tiers settle) at 16 connections on each fresh server, and
# writes a Markdown table of medians over the runs: answers/s, p50, p99, errors (non-2xx and socket errors), the
# server's CPU milliseconds per answer (from /proc: less sensitive to other work on the machine than answers/s), and
# answers/s against the bare endpoint at the same connections in the same run, and the share of the machine's CPU time
# the hypervisor stole for other virtual machines during the point (steal, from /proc/stat). The client shares the machine.
# Soak: one server, consecutive one-minute wrk runs at a fixed total rate (bench/load/paced.lua), each minute's
# answers/s, p99, errors, the server's RSS (VmRSS from /proc) at its end, its CPU per answer, the steal, and the
# audit commits in the minute with how many took longer than 25 and 100 ms.
# PostgreSQL runs as a throwaway cluster in the temporary directory, like kill9.sh's.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
bench_name=load
# shellcheck source=../lib/common.sh
. "$root/bench/lib/common.sh"
# shellcheck source=../lib/throwaway-postgres.sh
. "$root/bench/lib/throwaway-postgres.sh"
scripts=$root/bench/load

mode=${1:-sqlite}
if [ "$mode" = soak ]; then minutes=${2:-10}; rate=${3:-500}; runs=1; else runs=${2:-3}; fi
duration=${DURATION:-10}
warmup=${WARMUP:-20}
connection_counts=${CONNECTIONS:-1 16 64}
scenarios=${SCENARIOS:-health bare patient-view order-sign rest-native rest-fhir}

need wrk wrk
need curl curl
need jq jq

work=$(mktemp -d "${TMPDIR:-/tmp}/herald-load.XXXXXX")
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  stop_throwaway_postgres immediate
  [ -n "${KEEP:-}" ] && { echo "load: kept $work" >&2; return; }
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_release_server



# The server as shipped (its own log levels, Workstation or Server GC as the project sets it), plus the bare
# endpoint when $1 names its answer file. Waits until /health answers.
start_server() {
  local bare=$1 log=$2
  env Herald__Port="$port" Herald__Audit__SqlitePath="$work/db/audit.db" Herald__Audit__SpoolDirectory="$work/db/spool" \
      Herald__Audit__ConnectionString="$connection" Herald__Bench__BareAnswerFile="$bare" \
      dotnet "$server_dll" >"$log" 2>&1 &
  server_pid=$!
  wait_for_health "$port" 300 "$log" "the server did not start"
}

stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

# Request bodies: the repository's examples of seed case 1; order-sign adds two draft orders coded in RxNorm
# (trastuzumab deruxtecan 2267582 and letrozole 72965, as tests/Herald.Server.Tests/Endpoints/OrderSignHttpTests.cs).
view_body=$root/examples/fhir/seed-case-1.cds-hooks.json
jq '.hook = "order-sign" | .hookInstance = "5f0d7a52-0f5e-4c8e-9a57-6c1d2b8e4f10" | .context.draftOrders = {
      resourceType: "Bundle", type: "collection",
      entry: [
        { resource: { resourceType: "MedicationRequest", id: "draft-t-dxd", status: "draft", intent: "order",
            medicationCodeableConcept: { text: "fam-trastuzumab deruxtecan", coding: [ { system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "2267582", display: "fam-trastuzumab deruxtecan" } ] },
            subject: { reference: "Patient/seed-case-1" }, authoredOn: "2020-10-26" } },
        { resource: { resourceType: "MedicationRequest", id: "draft-letrozole", status: "draft", intent: "order",
            medicationCodeableConcept: { text: "letrozole", coding: [ { system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "72965", display: "letrozole" } ] },
            subject: { reference: "Patient/seed-case-1" }, authoredOn: "2020-10-26" } } ] }' \
  "$view_body" >"$work/order-sign.json"

# scenario -> method, path, body file, media type
scenario() {
  case $1 in
    health) echo "GET /health - -" ;;
    bare) echo "POST /bench/bare $view_body application/json" ;;
    patient-view) echo "POST /cds-services/herald-patient-view $view_body application/json" ;;
    order-sign) echo "POST /cds-services/herald-order-sign $work/order-sign.json application/json" ;;
    rest-native) echo "POST /api/recommendations $root/examples/seed-case-1.json application/json" ;;
    rest-fhir) echo "POST /api/recommendations $root/examples/fhir/seed-case-1.bundle.json application/fhir+json" ;;
  esac
}

# One wrk run; prints its RESULT line. $1 scenario, $2 connections, $3 seconds, $4 the Lua script.
load() {
  local method path body type threads
  read -r method path body type <<<"$(scenario "$1")"
  [ "$body" = - ] && body=""
  threads=$(( $2 < 2 ? 1 : 2 ))
  HERALD_METHOD=$method HERALD_PATH=$path HERALD_BODY=$body HERALD_TYPE=$type HERALD_SCRIPTS=$scripts \
  HERALD_THREADS=$threads HERALD_RATE=${rate:-0} \
    wrk -t "$threads" -c "$2" -d "${3}s" --timeout 10s -s "$4" "http://127.0.0.1:$port" | grep '^RESULT'
}

field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"; }

# The answer the bare endpoint gives: patient-view's own bytes, from a server started for that alone.
prepare_bare_answer() {
  start_server "" "$work/server-prepare.log"
  curl -fs -H 'Content-Type: application/json' --data-binary "@$view_body" \
    "http://127.0.0.1:$port/cds-services/herald-patient-view" >"$work/bare-answer.json"
  stop_server
  rm -rf "$work/db"
}

loadavg() { cut -d' ' -f1 /proc/loadavg; }

# The machine's CPU time so far and the part of it stolen by the hypervisor (other virtual machines ran while this
# one had work): a point with steal in it was slowed by something outside this machine. Prints "total steal" in ticks.
machine_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $9; exit }' /proc/stat; }
steal_percent() { # $1 and $2: machine_ticks before and after
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); d = y[1] - x[1]
    printf "%.1f", (d > 0 ? 100 * (y[2] - x[2]) / d : 0) }'
}

# The server's CPU time so far (user + system) in clock ticks: CPU per answer does not depend on what else runs on the
# machine as much as answers per second do, so each point also says how many milliseconds of CPU an answer cost.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
cpu_per_answer() { # $1 ticks before, $2 ticks after, $3 the wrk RESULT line
  awk -v t="$(( $2 - $1 ))" -v hz="$(getconf CLK_TCK)" -v req="$(field requests "$3")" 'BEGIN { printf "%.3f", (req > 0 ? 1000 * t / hz / req : 0) }'
}

# Audit commits so far, and those slower than 25 ms and than 100 ms (the server's herald.audit.commit.duration
# histogram on /metrics, every outcome): an answer waits for its commit, so a slow flush of the disk shows here first.
commit_counts() {
  curl -fs "http://127.0.0.1:$port/metrics" | awk '/^herald_audit_commit_duration_seconds_bucket/ {
      match($0, /le="[^"]*"/); le = substr($0, RSTART + 4, RLENGTH - 5)
      if (le == "0.025") fast += $NF; if (le == "0.1") medium += $NF; if (le == "+Inf") all += $NF }
    END { print all + 0, all - fast, all - medium }'
}

port=$(free_port 18510)

if [ "$mode" = soak ]; then
  connection=""
  mkdir -p "$work/db"
  start_server "" "$work/server-soak.log"
  echo "load: soak, $minutes minutes at $rate answers/s (patient-view, SQLite audit, 32 connections)" >&2
  load patient-view 16 30 "$scripts/request.lua" >/dev/null # warm-up: the JIT reaches its optimised code
  results=$work/soak.txt
  {
    echo "Soak: patient-view, seed case 1, SQLite audit, $rate answers/s asked, 32 connections; $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
    echo
    echo "| minute | answers/s | p50 ms | p99 ms | errors | RSS MiB | server CPU ms/answer | steal % | audit commits | > 25 ms | > 100 ms | load avg |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  } >"$results"
  for minute in $(seq 1 "$minutes"); do
    before=$(server_ticks); machine_before=$(machine_ticks); read -r commits_before slow_before slower_before <<<"$(commit_counts)"
    line=$(load patient-view 32 60 "$scripts/paced.lua")
    cpu=$(cpu_per_answer "$before" "$(server_ticks)" "$line"); steal=$(steal_percent "$machine_before" "$(machine_ticks)")
    read -r commits_after slow_after slower_after <<<"$(commit_counts)"
    rss=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status")
    req=$(field requests "$line"); sec=$(field seconds "$line")
    awk -v m="$minute" -v req="$req" -v sec="$sec" -v p50="$(field p50_us "$line")" -v p99="$(field p99_us "$line")" \
        -v err=$(( $(field non2xx "$line") + $(field socket_errors "$line") )) -v rss="$rss" -v la="$(loadavg)" \
        -v cpu="$cpu" -v steal="$steal" -v commits=$(( commits_after - commits_before )) \
        -v slow=$(( slow_after - slow_before )) -v slower=$(( slower_after - slower_before )) \
        'BEGIN { printf "| %d | %.0f | %.2f | %.2f | %d | %s | %s | %s | %d | %d | %d | %s |\n", m, req / sec, p50 / 1000, p99 / 1000, err, rss, cpu, steal, commits, slow, slower, la }' \
      | tee -a "$results" >&2
  done
  stop_server
  echo; cat "$results"
  exit 0
fi

connection=""
prepare_bare_answer
raw=$work/raw.txt
: >"$raw"
for backend in sqlite postgres; do
  [ "$mode" != both ] && [ "$mode" != "$backend" ] && continue
  connection=""
  if [ "$backend" = postgres ]; then start_throwaway_postgres "$work/pg" 56532; connection=$pg_connection; fi
  for run in $(seq 1 "$runs"); do
    mkdir -p "$work/db"
    start_server "$work/bare-answer.json" "$work/server-$backend-$run.log"
    echo "load: $backend run $run of $runs (load average $(loadavg))" >&2
    for name in $scenarios; do
      # Warm-up on every fresh server: without it the measured points pay for the JIT. Tiered compilation goes through
      # instrumented code before the optimised code; on this 2-core machine patient-view took 15-20 s of load to reach
      # steady CPU per answer (measured: 8 s windows gave 1.8, 1.5, then 1.1 ms of CPU per answer from the third on).
      load "$name" 16 "$warmup" "$scripts/request.lua" >/dev/null
      for c in $connection_counts; do
        before=$(server_ticks); machine_before=$(machine_ticks)
        line=$(load "$name" "$c" "$duration" "$scripts/request.lua")
        line="$line cpu_ms=$(cpu_per_answer "$before" "$(server_ticks)" "$line") steal_pct=$(steal_percent "$machine_before" "$(machine_ticks)")"
        echo "$backend $run $name $c $(loadavg) $line" | tee -a "$raw" >&2
      done
    done
    stop_server
    rm -rf "$work/db"
  done
  if [ "$backend" = postgres ]; then stop_throwaway_postgres; fi
done

# Medians per backend, scenario and connections; the ratio is taken per run against that run's bare figure.
table=$work/table.md
{
  echo "Load: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r), wrk on the same machine; medians of $runs runs of ${duration} s"
  echo
  echo "| audit | scenario | connections | answers/s | p50 ms | p99 ms | errors | vs bare | server CPU ms/answer | steal % | load avg |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk '
    { split($0, f, " "); backend = f[1]; run = f[2]; name = f[3]; c = f[4]; load = f[5]
      for (i = 6; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      key = backend SUBSEP name SUBSEP c
      rps = v["requests"] / v["seconds"]
      rate[key, run] = rps; p50[key, run] = v["p50_us"] / 1000; p99[key, run] = v["p99_us"] / 1000
      err[key, run] = v["non2xx"] + v["socket_errors"]; la[key, run] = load; cpu[key, run] = v["cpu_ms"]
      steal[key, run] = v["steal_pct"] + 0
      if (!(key in seen)) { seen[key] = 1; order[++n] = key }
      runs[key]++ ; if (run > maxrun) maxrun = run
    }
    function median(arr, key,   i, m, vals, tmp, j) {
      m = 0; for (i = 1; i <= maxrun; i++) if ((key, i) in arr) vals[++m] = arr[key, i]
      for (i = 2; i <= m; i++) { tmp = vals[i]; for (j = i - 1; j >= 1 && vals[j] > tmp; j--) vals[j + 1] = vals[j]; vals[j + 1] = tmp }
      return m % 2 ? vals[(m + 1) / 2] : (vals[m / 2] + vals[m / 2 + 1]) / 2
    }
    END {
      for (k = 1; k <= n; k++) {
        key = order[k]; split(key, p, SUBSEP)
        bare = p[1] SUBSEP "bare" SUBSEP p[3]
        delete ratio; delete errs
        for (i = 1; i <= maxrun; i++) if ((key, i) in rate) {
          if ((bare, i) in rate) ratio[key, i] = rate[key, i] / rate[bare, i]
        }
        total = 0; for (i = 1; i <= maxrun; i++) if ((key, i) in err) total += err[key, i]
        r = ((key, 1) in ratio) ? sprintf("%.0f %%", 100 * median(ratio, key)) : "-"
        printf "| %s | %s | %s | %.0f | %.2f | %.2f | %d | %s | %.3f | %.1f | %s |\n", p[1], p[2], p[3], median(rate, key),
          median(p50, key), median(p99, key), total, r, median(cpu, key), median(steal, key), median(la, key)
      }
    }' "$raw"
} >"$table"
echo
cat "$table"
[ -n "${OUT:-}" ] && cp "$table" "$OUT" && cp "$raw" "${OUT%.md}.raw.txt"
exit 0
