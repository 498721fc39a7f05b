# Shared by the bench scripts (sourced, not run). The caller sets bench_name (the prefix of its messages) and root.
#
#   as_root CMD...          run as root, or through sudo
#   need CMD PACKAGE        install PACKAGE with apt-get unless CMD (a name on PATH, or a path) is there
#   free_port FIRST         the first free loopback port from FIRST, skipping those in $reserved_ports
#   build_release_server    builds src/Herald.Server in Release into $work/build.log; sets server_dll
#   wait_for_health P T L M waits up to T tenths of a second for /health on port P; else prints M and log(s) L, exits 1

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
need() {
  if [ -x "$1" ] || command -v "$1" >/dev/null 2>&1; then return; fi
  echo "$bench_name: installing $2 with apt-get" >&2
  if [ "$apt_updated" -eq 0 ]; then as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
}

reserved_ports=""
free_port() {
  local candidate
  for candidate in $(seq "$1" $(($1 + 50))); do
    case " $reserved_ports " in *" $candidate "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return; fi
  done
  echo "$bench_name: no free port from $1" >&2; exit 1
}

build_release_server() {
  echo "$bench_name: building the Release server" >&2
  dotnet build -c Release -v q -nologo "$root/src/Herald.Server" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
  server_dll=$root/src/Herald.Server/bin/Release/net10.0/Herald.Server.dll
}

wait_for_health() {
  local port=$1 tenths=$2 log=$3 message=$4
  for _ in $(seq 1 "$tenths"); do
    if curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; then return; fi
    sleep 0.1
  done
  echo "$bench_name: $message; its log:" >&2
  # shellcheck disable=SC2086 # a log may be a glob
  cat $log >&2 2>/dev/null || true
  exit 1
}
