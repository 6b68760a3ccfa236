#!/usr/bin/env bash
# Entrypoint of the local stand-ins for the official postgres images, on Debian's postgresql-NN
# (15 in bookworm, 17 in trixie, 18 in sid; the image's PATH and PGDATA say which). Honours the
# official environment contract (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, their _FILE
# variants, POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD, PGDATA and
# /docker-entrypoint-initdb.d) and its start-up sequence: a new cluster is initialised by a
# server that listens on the Unix socket only, so nothing outside the container can connect (or
# see a ready port) before the users and the database exist; then the real server starts.
# It lives at the official path because @testcontainers/postgresql's SSL mode execs it there.
set -Eeuo pipefail

log() { printf '%s [entrypoint] %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" "$*"; }
die() {
  log "error: $*" >&2
  exit 1
}

# file_env, run_initdb_scripts.
# shellcheck source=SCRIPTDIR/../common/entrypoint-functions.sh
. /usr/local/lib/migration-gate/entrypoint-functions.sh

# Like the official image: `docker run image -c key=value` means `postgres -c key=value`.
if [[ ${1:-} == -* ]]; then
  set -- postgres "$@"
fi

if [[ ${1:-} != postgres ]]; then
  exec "$@"
fi

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

# As root: own the data and socket directories, then re-run this script as postgres.
if [[ $(id -u) == 0 ]]; then
  mkdir -p "$PGDATA" /run/postgresql
  chown -R postgres:postgres "$PGDATA" /run/postgresql
  chmod 700 "$PGDATA"
  chmod 2777 /run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

psql_init() {
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --no-password \
    --dbname "$POSTGRES_DB" "$@"
}

init_cluster() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  local auth=${POSTGRES_HOST_AUTH_METHOD:-}
  if [[ -z $POSTGRES_PASSWORD && $auth != trust ]]; then
    die "the database is uninitialized and the superuser password is not specified: set" \
      "POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust to allow all connections" \
      "without a password, never in production)"
  fi

  local -a initdb_args=(--username="$POSTGRES_USER")
  if [[ -n ${POSTGRES_INITDB_WALDIR:-} ]]; then
    initdb_args+=(--waldir="$POSTGRES_INITDB_WALDIR")
  fi
  # shellcheck disable=SC2206 # POSTGRES_INITDB_ARGS is a word list, as in the official image
  initdb_args+=($POSTGRES_INITDB_ARGS)
  if [[ -n $POSTGRES_PASSWORD ]]; then
    # The <(...) must be on this command line: bash closes it once the command is done.
    initdb "${initdb_args[@]}" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD")
  else
    initdb "${initdb_args[@]}"
  fi

  # Remote clients: password auth unless told otherwise; local socket stays trust (initdb).
  if [[ -z $auth ]]; then
    auth=$(postgres -C password_encryption "${@:2}")
  fi
  printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"

  # The init-time server: Unix socket only, so no TCP client sees it.
  PGUSER=$POSTGRES_USER pg_ctl -D "$PGDATA" \
    -o "$(printf '%q ' "${@:2}" -c listen_addresses='' -p "${PGPORT:-5432}")" -w start

  if [[ $POSTGRES_DB != postgres ]]; then
    local exists
    exists=$(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --no-password \
      --dbname postgres --tuples-only --no-align --set db="$POSTGRES_DB" \
      <<<"SELECT 1 FROM pg_database WHERE datname = :'db'")
    if [[ -z $exists ]]; then
      psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --no-password \
        --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
    fi
  fi
  run_initdb_scripts psql_init

  PGUSER=$POSTGRES_USER pg_ctl -D "$PGDATA" -m fast -w stop
  log 'PostgreSQL init process complete; ready for start up.'
}

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  init_cluster "$@"
else
  log 'PostgreSQL database directory appears to contain a database; skipping initialization'
fi

# The image's STOPSIGNAL is SIGINT (fast shutdown), as in the official image.
exec "$@"
