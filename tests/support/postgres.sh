#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for tests (../shared/TESTBED.md): run as the postgres user (the
# binaries refuse root), socket and data under DIR, fsync off.
#   postgres.sh start DIR PORT   -> prints the socket directory; the owner login is "postgres",
#                                   password "postgres" over TCP (scram-sha-256), trust on the socket
#   postgres.sh stop DIR         -> pg_ctl stop -m fast
#   postgres.sh kill DIR         -> pg_ctl stop -m immediate (a crash, for the offline tests)
#   postgres.sh ssl DIR CA CERT KEY LOGIN
#                                -> TLS on with the server certificate CERT/KEY, and LOGIN signs in
#                                   over TCP with a client certificate that CA signed (cert auth)
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
ssl)
  ca=${3:?ca} cert=${4:?cert} key=${5:?key} login=${6:?login}
  cp "$ca" "$dir/pg/opsdeck-ca.pem"
  cp "$cert" "$dir/pg/opsdeck-server.pem"
  cp "$key" "$dir/pg/opsdeck-server.key"
  chmod 0600 "$dir/pg/opsdeck-server.key"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"/pg/opsdeck-*
  printf "ssl = on\nssl_cert_file = 'opsdeck-server.pem'\nssl_key_file = 'opsdeck-server.key'\nssl_ca_file = 'opsdeck-ca.pem'\n" \
    >>"$dir/pg/postgresql.conf"
  sed -i "1i hostssl all $login 127.0.0.1/32 cert" "$dir/pg/pg_hba.conf"
  as_postgres "$bin/pg_ctl" -D "$dir/pg" reload >/dev/null
  ;;
stop | kill)
  mode=fast
  [ "$cmd" = kill ] && mode=immediate
  [ -f "$dir/pg/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$dir/pg" -m "$mode" -w -t 60 stop >/dev/null 2>&1 || true
  ;;
*) echo "usage: $0 start|stop|kill|ssl DIR [PORT | CA CERT KEY LOGIN]" >&2; exit 2 ;;
esac
