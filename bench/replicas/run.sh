#!/usr/bin/env bash
# Replicas behind nginx: `bench/replicas/run.sh [runs] [replicas]` (default: 3 runs of 3 replicas).
#
# Starts a throwaway PostgreSQL on loopback (durability settings at their defaults), builds the Release server, starts
# the replicas on loopback ports over that one database in JWT mode (one test EHR's key, bench/Herald.TokenMint), and
# nginx on loopback in front of them (bench/replicas/nginx.conf). Each run sends CDS Hooks patient-view calls (seed
# case 1) through nginx from wrk (16 connections, 20 s, every call with a token of its own: bench/replicas/load.lua),
# kills one replica, chosen at random, with SIGKILL 6-10 s into the load, and checks:
#   - 0 acknowledged records lost: every 200's X-Herald-Audit-Id is in PostgreSQL (after the killed replica is started
#     again, which drains its spool);
#   - the load carries on through the other replicas: answers in every second after the kill;
#   - no call fails but those in flight at the killed replica (502 from nginx after the kill, at most one per
#     connection), and wrk reports no socket error (no call left unanswered within 10 s);
#   - a token used at one replica is refused at the others and through nginx (401 replayed-jti);
#   - feedback sent to one replica attaches to the record another replica wrote.
# Installs nginx, wrk, curl and jq with apt-get when missing, and the PostgreSQL server binaries. Nothing listens
# beyond 127.0.0.1. (On a machine where installing a package starts its service, Debian's own nginx site may start on
# port 80; this script never uses it.)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
bench_name=replicas
# shellcheck source=../lib/common.sh
. "$root/bench/lib/common.sh"
# shellcheck source=../lib/throwaway-postgres.sh
. "$root/bench/lib/throwaway-postgres.sh"

runs=${1:-3}
replicas=${2:-3}
connections=16
threads=2
duration=20
tokens_per_run=25000
issuer=https://ehr.bench.example
service=herald-patient-view
request=$root/examples/fhir/seed-case-1.cds-hooks.json

need curl curl
need jq jq
need wrk wrk
need /usr/sbin/nginx nginx
nginx_bin=/usr/sbin/nginx

work=$(mktemp -d "${TMPDIR:-/tmp}/herald-replicas.XXXXXX")
chmod 755 "$work" # nginx's workers and PostgreSQL run as other accounts when this runs as root
declare -a pids=() ports=()
load_pid=""
nginx_pid=""
cleanup() {
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
  for pid in "${pids[@]}"; do [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; done
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  stop_throwaway_postgres immediate
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


echo "replicas: building the Release server and the token minter" >&2
dotnet build -c Release -v q -nologo src/Herald.Server >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet build -c Release -v q -nologo bench/Herald.TokenMint >>"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
server_dll=$root/src/Herald.Server/bin/Release/net10.0/Herald.Server.dll
mint_dll=$root/bench/Herald.TokenMint/bin/Release/net10.0/Herald.TokenMint.dll

start_throwaway_postgres "$work/pg" 56532
sql() { "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -Atc "$1"; }

reserved_ports=$pg_port
for i in $(seq 1 "$replicas"); do ports[i]=$(free_port 18611); reserved_ports="$reserved_ports ${ports[i]}"; done
nginx_port=$(free_port 18600)
public=http://127.0.0.1:$nginx_port

# nginx: the repository's configuration with this run's directory and port, and one server line per replica.
mkdir -p "$work/nginx-tmp"
for i in $(seq 1 "$replicas"); do echo "server 127.0.0.1:${ports[i]} max_fails=1 fail_timeout=5s;"; done >"$work/replicas.conf"
sed -e "s|@WORK@|$work|g" -e "s|@PORT@|$nginx_port|g" "$root/bench/replicas/nginx.conf" >"$work/nginx.conf"
"$nginx_bin" -t -q -p "$work" -c "$work/nginx.conf" 2>"$work/nginx-test.log" || { cat "$work/nginx-test.log" >&2; exit 1; }
"$nginx_bin" -p "$work" -c "$work/nginx.conf" 2>>"$work/nginx-error.log" &
nginx_pid=$!

# Replica i over the shared database, trusting this run's key; waits until /health answers.
start_replica() {
  local i=$1 log=$2
  mkdir -p "$work/replica-$i"
  env Herald__Port="${ports[i]}" Herald__PublicBaseUrl="$public" \
      Herald__Audit__ConnectionString="$pg_connection" Herald__Audit__DrainInterval=00:00:01 \
      Herald__Audit__SqlitePath="$work/replica-$i/unused.db" Herald__Audit__SpoolDirectory="$work/replica-$i/spool" \
      Herald__Auth__Mode=jwt Herald__Auth__Issuers__0__Issuer="$issuer" Herald__Auth__Issuers__0__JwksFile="$run_dir/jwks.json" \
      Logging__LogLevel__Default=Warning DOTNET_gcServer=0 \
      dotnet "$server_dll" >"$log" 2>&1 &
  pids[i]=$!
}
wait_healthy() {
  local i=$1
  wait_for_health "${ports[i]}" 300 "$work/replica-$i/*.log" "replica $i did not start"
}
health() { curl -fs "http://127.0.0.1:${ports[$1]}/health"; }

# One call with token $2 to base URL $1, under a hookInstance of its own (card ids derive from it, so feedback finds
# this call's record): prints the status; the answer and its headers go to $3.body and $3.headers.
call() {
  jq --arg instance "$(cat /proc/sys/kernel/random/uuid)" '.hookInstance = $instance' "$request" >"$3.json"
  curl -s -o "$3.body" -D "$3.headers" -w '%{http_code}' -X POST "$1/cds-services/$service" \
    -H 'Content-Type: application/json' -H "Authorization: Bearer $2" --data-binary "@$3.json"
}
code_of() { jq -r '.code // empty' "$1.body" 2>/dev/null || true; }

results=$work/results.txt
: >"$results"
failed=0
for run in $(seq 1 "$runs"); do
  run_dir=$work/run-$run
  mkdir -p "$run_dir"
  load_average=$(cut -d' ' -f1-3 /proc/loadavg)
  dotnet "$mint_dll" "$run_dir" "$issuer" "$public/cds-services/$service" $((tokens_per_run + 3)) 900 2>>"$run_dir/mint.log"
  head -n "$tokens_per_run" "$run_dir/tokens.txt" >"$run_dir/load-tokens.txt"
  mapfile -t spare < <(tail -n 3 "$run_dir/tokens.txt")

  # Started together: on the first run the empty database is migrated by whichever takes the lock first.
  for i in $(seq 1 "$replicas"); do start_replica "$i" "$work/replica-$i/run-$run.log"; done
  for i in $(seq 1 "$replicas"); do wait_healthy "$i"; done
  [ "$run" -eq 1 ] && migrations=$(sql "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version")
  : >"$work/nginx-access.log"

  started=$(date +%s.%N)
  wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s -s "$root/bench/replicas/load.lua" "$public" \
    -- "$request" "$run_dir/load-tokens.txt" "$run_dir/answers-" "$threads" >"$run_dir/wrk.txt" 2>&1 &
  load_pid=$!
  delay=$(awk -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.1f", 6 + 4 * rand() }')
  victim=$((RANDOM % replicas + 1))
  sleep "$delay"
  killed_at=$(date +%s.%N)
  kill -9 "${pids[victim]}"; wait "${pids[victim]}" 2>/dev/null || true; pids[victim]=""
  wait "$load_pid" || true; load_pid=""
  ended=$(date +%s.%N)
  sleep 1.5 # nginx flushes its access log every second

  # The killed replica again: its start drains whatever it had spooled.
  start_replica "$victim" "$work/replica-$victim/restart-$run.log"
  wait_healthy "$victim"
  for _ in $(seq 1 100); do [ "$(health "$victim" | jq '.audit.waitingInSpool')" = 0 ] && break; sleep 0.1; done

  cat "$run_dir"/answers-*.txt >"$run_dir/answers.txt"
  awk '$1 == 200 && $2 != "-" { print $2 }' "$run_dir/answers.txt" | sort -u >"$run_dir/acked.txt"
  sql "SELECT id FROM audit_record" | sort -u >"$run_dir/present.txt"
  acked=$(wc -l <"$run_dir/acked.txt")
  lost=$(comm -23 "$run_dir/acked.txt" "$run_dir/present.txt" | wc -l)
  statuses=$(awk '$1 != "out-of-tokens" { print $1 }' "$run_dir/answers.txt" | sort | uniq -c | awk '{ printf "%s%s x %s", sep, $2, $1; sep = ", " }')
  out_of_tokens=$(grep -c '^out-of-tokens' "$run_dir/answers.txt" || true)
  unauthorized=$(awk '$1 == 401' "$run_dir/answers.txt" | wc -l)
  # The only failures allowed are the calls in flight at the killed replica: 502 from nginx (a POST already sent is
  # not passed on), after the kill, at most one per connection (wrk keeps one call in flight on each).
  cut_off=$(awk '$1 == 502' "$run_dir/answers.txt" | wc -l)
  unexpected=$(awk -v k="$killed_at" '$1 != 200 && $1 != "out-of-tokens" && !($1 == 502 && $3 >= int(k))' "$run_dir/answers.txt" | wc -l)
  answered_per_second=$(awk -v d="$duration" '$1 == 200 { n++ } END { printf "%.0f", n / d }' "$run_dir/answers.txt")
  socket_errors=$(grep -o 'Socket errors:.*' "$run_dir/wrk.txt" || echo "Socket errors: none")

  # Answers per second before and after the kill, and the fewest in any whole second after it.
  read -r before after fewest < <(awk -v s="$started" -v k="$killed_at" -v e="$ended" '
    $1 == 200 { if ($3 < int(k)) b++; else if ($3 > int(k)) { a++; per[$3]++ } }
    END {
      min = -1
      for (t = int(k) + 1; t < int(e); t++) { n = per[t] + 0; if (min < 0 || n < min) min = n }
      printf "%.0f %.0f %d\n", b / (int(k) - s), a / (e - int(k) - 1), min }' "$run_dir/answers.txt")

  # Through nginx after the kill: calls whose first replica refused the connection and that nginx passed on.
  passed_on=$(awk -F'|' -v k="$killed_at" '$1 > k && $4 ~ /,/' "$work/nginx-access.log" | wc -l)
  served_after=$(awk -F'|' -v k="$killed_at" '$1 > k + 1 && $2 == 200 { m = split($3, a, ", "); n[a[m]]++ }
    END { for (r in n) { printf "%s%s %d", sep, r, n[r]; sep = ", " } }' "$work/nginx-access.log")

  # A token used at one replica, then at another replica and through nginx; another through nginx, then at each replica.
  a=$(( (victim % replicas) + 1 )); b=$(( (a % replicas) + 1 ))
  refused=0; expected=0
  first=$(call "http://127.0.0.1:${ports[a]}" "${spare[0]}" "$run_dir/replay-first")
  for target in "http://127.0.0.1:${ports[b]}" "$public"; do
    expected=$((expected + 1))
    [ "$(call "$target" "${spare[0]}" "$run_dir/replay")" = 401 ] && [ "$(code_of "$run_dir/replay")" = replayed-jti ] && refused=$((refused + 1))
  done
  through=$(call "$public" "${spare[1]}" "$run_dir/replay-through")
  for i in $(seq 1 "$replicas"); do
    expected=$((expected + 1))
    [ "$(call "http://127.0.0.1:${ports[i]}" "${spare[1]}" "$run_dir/replay")" = 401 ] && [ "$(code_of "$run_dir/replay")" = replayed-jti ] && refused=$((refused + 1))
  done

  # Feedback at replica b on a card replica a answered: it must attach to replica a's record.
  audit_id=$(awk 'tolower($1) == "x-herald-audit-id:" { print $2 }' "$run_dir/replay-first.headers" | tr -d '\r')
  card=$(jq -r '.cards[0].uuid' "$run_dir/replay-first.body")
  jq -n --arg card "$card" '{feedback: [{card: $card, outcome: "overridden", overrideReason: {userComment: "bench"}, outcomeTimestamp: "2026-01-01T00:00:00Z"}]}' >"$run_dir/feedback.json"
  feedback_status=$(curl -s -o "$run_dir/feedback.body" -w '%{http_code}' -X POST "http://127.0.0.1:${ports[b]}/cds-services/$service/feedback" \
    -H 'Content-Type: application/json' -H "Authorization: Bearer ${spare[2]}" --data-binary "@$run_dir/feedback.json")
  attached=$(sql "SELECT count(*) FROM audit_feedback WHERE audit_id = '$audit_id' AND card_id = '$card'")

  for i in $(seq 1 "$replicas"); do kill "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; pids[i]=""; done

  printf 'run %d (load average %s): killed replica %d of %d after %ss; %d answers acknowledged (200), %d of them found in PostgreSQL; statuses %s (%d unexpected); %s; answers/s %s over the run, %s before the kill, %s after (fewest in a second after: %s); %d calls passed on by nginx after the kill; 200s per replica after the kill: %s; %d lost; replays refused %d of %d (first use %s, through nginx %s); feedback at replica %d on replica %d'"'"'s card: %s, attached %s\n' \
    "$run" "$load_average" "$victim" "$replicas" "$delay" "$acked" $((acked - lost)) "$statuses" "$unexpected" "$socket_errors" "$answered_per_second" "$before" "$after" "$fewest" \
    "$passed_on" "$served_after" "$lost" "$refused" "$expected" "$first" "$through" "$b" "$a" "$feedback_status" "$attached" | tee -a "$results"

  if [ "$lost" -ne 0 ] || [ "$refused" -ne "$expected" ] || [ "$first" != 200 ] || [ "$through" != 200 ] \
     || [ "$feedback_status" != 200 ] || [ "$attached" != 1 ] || [ "$fewest" -lt 1 ] || [ "$out_of_tokens" -ne 0 ] || [ "$unauthorized" -ne 0 ] \
     || [ "$unexpected" -ne 0 ] || [ "$cut_off" -gt "$connections" ] || [ "$socket_errors" != "Socket errors: none" ]; then
    echo "replicas: run $run FAILED a check (out of tokens: $out_of_tokens, 401 under load: $unauthorized, other than 200 or a 502 after the kill: $unexpected, 502s: $cut_off for $connections connections)" >&2
    failed=1
  fi
done

echo
echo "Summary ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $replicas replicas, $connections connections, ${duration}s per run):"
echo "schema versions after the replicas' first, simultaneous start: $migrations"
echo "jti_replay rows: $(sql 'SELECT count(*) FROM jti_replay'); audit records: $(sql 'SELECT count(*) FROM audit_record')"
cat "$results"
if [ "$failed" -ne 0 ]; then
  echo "replicas: a check FAILED" >&2
  exit 1
fi
echo "replicas: 0 acknowledged records lost; load carried on; every replay refused; feedback shared"
