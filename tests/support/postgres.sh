#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for tests (../shared/TESTBED.md): run as the postgres user (the
# binaries refuse root), socket and data under DIR, fsync off.
#   postgres.sh start DIR PORT   -> prints the socket directory; the owner login is "postgres",
#                                   password "postgres" over TCP (scram-sha-256), trust on the socket
#   postgres.sh stop DIR         -> pg_ctl stop -m fast
#   postgres.sh kill DIR         -> pg_ctl stop -m immediate (a crash, for the offline tests)
set -euo pipefail
cmd=${1:?start|stop|kill}
dir=$(realpath -m "${2:?directory}")
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/pg_ctl" ] || { echo "PostgreSQL 15 is not installed (apt-get install postgresql-15)" >&2; exit 3; }
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
  port=${3:?port}
  mkdir -p "$dir/sock"
  if [ ! -f "$dir/pg/PG_VERSION" ]; then
    printf 'postgres\n' >"$dir/pwfile"
    [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir/pg" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --pwfile="$dir/pwfile" -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
  as_postgres "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 60 \
    -o "-k $dir/sock -p $port -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null ||
    { cat "$dir/pg.log" >&2; exit 1; }
  echo "$dir/sock"
  ;;
stop | kill)
  mode=fast
  [ "$cmd" = kill ] && mode=immediate
  [ -f "$dir/pg/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$dir/pg" -m "$mode" -w -t 60 stop >/dev/null 2>&1 || true
  ;;
*) echo "usage: $0 start|stop|kill DIR [PORT]" >&2; exit 2 ;;
esac
