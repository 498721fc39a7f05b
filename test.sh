#!/usr/bin/env bash
# Herald's test command: `./test.sh [dotnet test options]`, e.g. ./test.sh --filter "FullyQualifiedName~Audit".
# The audit contract suite runs against a real PostgreSQL as well as SQLite. This script installs the
# PostgreSQL server if its binaries are missing (apt-get), and Debian's Chromium for the browser tests (also
# apt-get), starts a private throwaway cluster on 127.0.0.1 only, in a temporary directory, runs
# `dotnet test` on the solution with HERALD_TEST_POSTGRES pointing at it, then stops the cluster and
# deletes it, and exits with the tests' status.
set -euo pipefail
cd "$(dirname "$0")"

first_port=${HERALD_TEST_POSTGRES_PORT:-55432}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
pg_bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    apt_updated=1
  fi
}

bin=$(pg_bin_dir || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "test.sh: PostgreSQL server binaries not found; installing them with apt-get" >&2
  apt_update_once
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
  bin=$(pg_bin_dir || true)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "test.sh: apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb was found" >&2
    exit 1
  fi
fi

# The browser tests (tests/Herald.Web.Tests) drive Debian's Chromium headless; Playwright's own download is never used.
if [ ! -x /usr/bin/chromium ]; then
  echo "test.sh: /usr/bin/chromium not found; installing Debian's chromium with apt-get" >&2
  apt_update_once
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  if [ ! -x /usr/bin/chromium ]; then
    echo "test.sh: apt-get installed chromium but /usr/bin/chromium was not found" >&2
    exit 1
  fi
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/herald-test-pg.XXXXXX")
data=$workdir/data

# PostgreSQL refuses to run as root: as root, run it as the postgres account the package creates.
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "test.sh: running as root, but there is no 'postgres' account to run the server as" >&2
    exit 1
  fi
  chown postgres: "$workdir"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

started=0
cleanup() {
  if [ "$started" -eq 1 ]; then
    as_pg "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Always a fresh cluster. The first free port from 55432 up, so a second run at the same time (or a
# cluster a killed run left behind) never shares a database with this one.
port=""
for candidate in $(seq "$first_port" $((first_port + 20))); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
if [ -z "$port" ]; then
  echo "test.sh: no free port in $first_port-$((first_port + 20)) for the test PostgreSQL" >&2
  exit 1
fi

if ! as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C >"$workdir/initdb.log" 2>&1; then
  cat "$workdir/initdb.log" >&2
  exit 1
fi

# Loopback only, its socket in the temporary directory; durability off, as the data is thrown away.
if ! as_pg "$bin/pg_ctl" -D "$data" -l "$workdir/server.log" -w -t 60 \
     -o "-c listen_addresses=127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
     start >/dev/null; then
  cat "$workdir/server.log" >&2
  exit 1
fi
started=1

for _ in $(seq 1 60); do
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.5
done
if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  echo "test.sh: the test PostgreSQL did not accept connections on 127.0.0.1:$port" >&2
  cat "$workdir/server.log" >&2
  exit 1
fi
echo "test.sh: throwaway PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

export HERALD_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Timeout=15"

status=0
dotnet test "$@" || status=$?
exit "$status"
