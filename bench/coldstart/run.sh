#!/usr/bin/env bash
# Cold start of `herald recommend` on seed case 1, timed as a whole process, several runs, medians and ratios
# (docs/performance.md, "Cold start"). Three builds of the same commit, measured in the same run:
#   fast:  self-contained, one composite ReadyToRun image, the knowledge snapshot beside it (what the docs recommend)
#   plain: framework-dependent, JIT, knowledge read from the YAML (how `herald` started before) - the baseline
#   floor: the fast build printing its help (process start, no knowledge, no decision)
# Uses farm-bench where the machine has it, else hyperfine (Debian package). Publishing the composite image takes
# a few minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${RUNS:-9}
out=$(mktemp -d "${TMPDIR:-/tmp}/herald-coldstart.XXXXXX")
trap 'rm -rf "$out"' EXIT

echo "coldstart: publishing the fast build (self-contained, composite ReadyToRun)" >&2
dotnet publish src/Herald.Cli -c Release -r linux-x64 --self-contained -o "$out/fast" >/dev/null
echo "coldstart: publishing the plain build (framework-dependent, JIT)" >&2
dotnet publish src/Herald.Cli -c Release -o "$out/plain" -p:PublishReadyToRun=false >/dev/null
rm -f "$out/plain/herald-knowledge.snapshot.json" # the baseline reads the YAML, as before the snapshot

example=examples/seed-case-1.json
fast="$out/fast/herald recommend $example"
plain="dotnet $out/plain/herald.dll recommend $example"
floor="$out/fast/herald --help"

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v farm-bench >/dev/null 2>&1; then
  farm-bench -n "$runs" --vs "$plain" -- $fast
  farm-bench -n "$runs" --vs "$floor" -- $fast
else
  command -v hyperfine >/dev/null 2>&1 || { echo "coldstart: needs farm-bench or hyperfine (apt-get install hyperfine)" >&2; exit 1; }
  hyperfine --warmup 1 --runs "$runs" "$fast" "$plain" "$floor"
fi
