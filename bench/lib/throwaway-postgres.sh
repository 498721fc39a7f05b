# A throwaway PostgreSQL cluster for the bench scripts (sourced, not run): loopback only, trust authentication,
# durability settings left at their defaults (fsync on, synchronous_commit on), everything under one directory.
#
#   start_throwaway_postgres DIR FIRST_PORT   sets pg_bin, pg_data, pg_port, pg_connection (Npgsql)
#   stop_throwaway_postgres [fast|immediate]  stops it (default fast); cleanup traps may call it again safely
#
# Source bench/lib/common.sh first (as_root, free_port, bench_name). The server binaries are installed with apt-get
# when missing.

# PostgreSQL refuses to run as root: as root, run it as the postgres account the package creates.
if [ "$(id -u)" -eq 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi

pg_bin=""
pg_data=""

start_throwaway_postgres() {
  local dir=$1 first_port=$2
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    echo "$bench_name: installing postgresql with apt-get" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chmod 755 "$(dirname "$dir")"; chown postgres: "$dir"; fi
  pg_data=$dir/data
  pg_port=$(free_port "$first_port")
  as_pg "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir.initdb.log" 2>&1 \
    || { cat "$dir.initdb.log" >&2; exit 1; }
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  pg_connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Timeout=5"
}

stop_throwaway_postgres() {
  if [ -n "$pg_data" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m "${1:-fast}" -w stop >/dev/null 2>&1 || true
    pg_data=""
  fi
}
