#!/usr/bin/env bash
# AFL over Herald's JSON readers (optional; docs/security.md): Debian's afl++ drives bench/Herald.AflFuzz, whose Herald
# assemblies SharpFuzz instruments. Installs afl++ (apt-get) and the sharpfuzz tool (NuGet) when missing.
#   bench/fuzz/afl.sh [seconds=600]
# Prints AFL's totals; exit status 1 when AFL kept a crash (an exception escaping a reader), with the inputs under
# $AFL_OUT (default: a temporary directory, kept on a crash).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-600}

if ! command -v afl-fuzz >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y afl++; else sudo apt-get install -y afl++; fi
fi
tools=$(pwd)/bench/fuzz/.tools
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

dotnet build -c Release -nologo -v q bench/Herald.AflFuzz >/dev/null
out_dir=bench/Herald.AflFuzz/bin/Release/net10.0
for assembly in Herald.Contracts Herald.Fhir Herald.Server; do
  "$tools/sharpfuzz" "$out_dir/$assembly.dll" >/dev/null
done

work=${AFL_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/herald-afl.XXXXXX")}
mkdir -p "$work/in"
# Seeds: the shipped examples (native, FHIR, CDS Hooks); AFL works best from small files, so each is kept whole.
cp examples/*.json examples/fhir/*.json "$work/in/"

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
afl-fuzz -i "$work/in" -o "$work/out" -t 10000 -m none -V "$seconds" -- dotnet "$out_dir/Herald.AflFuzz.dll" >"$work/afl.log" 2>&1 || true

stats=$work/out/default/fuzzer_stats
if [ ! -f "$stats" ]; then
  echo "afl.sh: AFL did not run; its log:" >&2
  tail -n 30 "$work/afl.log" >&2
  exit 2
fi
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg)' "$stats"
crashes=$(grep -E '^saved_crashes' "$stats" | awk '{print $3}')
if [ "${crashes:-0}" -gt 0 ]; then
  echo "afl.sh: $crashes crash(es) kept in $work/out/default/crashes" >&2
  exit 1
fi
[ -n "${AFL_OUT:-}" ] || rm -rf "$work"
