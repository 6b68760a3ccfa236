#!/usr/bin/env bash
# Entrypoint of the local stand-ins for the official mariadb images, on Debian's mariadb-server
# (10.11 in bookworm, 11.8 in trixie). Honours the official environment contract, MARIADB_* with
# the MYSQL_* names as fallbacks (ROOT_PASSWORD, ROOT_PASSWORD_HASH, ALLOW_EMPTY_ROOT_PASSWORD /
# ALLOW_EMPTY_PASSWORD, RANDOM_ROOT_PASSWORD, ROOT_HOST, DATABASE, USER, PASSWORD, PASSWORD_HASH,
# INITDB_SKIP_TZINFO, the _FILE variants) and /docker-entrypoint-initdb.d, and its start-up
# sequence: the data directory is initialised by a server started with --skip-networking, so
# nothing outside the container can connect (or see port 3306 bound) before root, the user and
# the database exist; then the real server starts listening on all addresses.
set -Eeuo pipefail
shopt -s nullglob

log() { printf '%s [Note] [Entrypoint]: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S+00:00')" "$*"; }
die() {
  printf '%s [ERROR] [Entrypoint]: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S+00:00')" "$*" >&2
  exit 1
}

# file_env, sql_string, wants_help, run_initdb_scripts.
# shellcheck source=SCRIPTDIR/../common/entrypoint-functions.sh
. /usr/local/lib/migration-gate/entrypoint-functions.sh

# MARIADB_x wins over MYSQL_x; afterwards both hold the value, so init scripts may use either.
mariadb_file_env() {
  local default=${2:-} mysql_var="MYSQL_$1" maria_var="MARIADB_$1"
  file_env "$mysql_var" "$default"
  file_env "$maria_var" "${!mysql_var}"
  export "$mysql_var=${!maria_var}"
}

if [[ ${1:-} == -* ]]; then
  set -- mariadbd "$@"
fi

if [[ ${1:-} != mariadbd && ${1:-} != mysqld ]] || wants_help "$@"; then
  exec "$@"
fi

# Where this server keeps its data and socket: Debian's defaults unless given as arguments.
DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock
for arg in "$@"; do
  case $arg in
    --datadir=*) DATADIR=${arg#*=} ;;
    --socket=*) SOCKET=${arg#*=} ;;
  esac
done

# As root: own the data and socket directories, then re-run this script as mysql.
if [[ $(id -u) == 0 ]]; then
  mkdir -p "$DATADIR" "${SOCKET%/*}"
  chown -R mysql:mysql "$DATADIR" "${SOCKET%/*}"
  exec setpriv --reuid=mysql --regid=mysql --init-groups "${BASH_SOURCE[0]}" "$@"
fi

# Runs SQL from stdin as root over the socket; MYSQL_PWD is root's password once it is set.
sql() {
  MYSQL_PWD=${ROOT_PWD:-} mariadb --protocol=socket -uroot -hlocalhost --socket="$SOCKET" "$@"
}

init_database() {
  mariadb_file_env ROOT_HOST '%'
  mariadb_file_env DATABASE
  mariadb_file_env USER
  mariadb_file_env PASSWORD
  mariadb_file_env ROOT_PASSWORD
  file_env MARIADB_ROOT_PASSWORD_HASH
  file_env MARIADB_PASSWORD_HASH
  : "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:=${MYSQL_ALLOW_EMPTY_PASSWORD:-}}"
  : "${MARIADB_RANDOM_ROOT_PASSWORD:=${MYSQL_RANDOM_ROOT_PASSWORD:-}}"
  : "${MARIADB_INITDB_SKIP_TZINFO:=${MYSQL_INITDB_SKIP_TZINFO:-}}"
  if [[ -z $MARIADB_ROOT_PASSWORD && -z $MARIADB_ROOT_PASSWORD_HASH &&
    -z $MARIADB_ALLOW_EMPTY_ROOT_PASSWORD && -z $MARIADB_RANDOM_ROOT_PASSWORD ]]; then
    die "Database is uninitialized and password option is not specified: set one of" \
      "MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" \
      "and MARIADB_RANDOM_ROOT_PASSWORD"
  fi
  if [[ -n $MARIADB_RANDOM_ROOT_PASSWORD ]]; then
    MARIADB_ROOT_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    export MARIADB_ROOT_PASSWORD MYSQL_ROOT_PASSWORD=$MARIADB_ROOT_PASSWORD
    log "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
  fi

  log 'Initializing database files'
  mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal \
    "${@:2}" --skip-test-db --old-mode=UTF8_IS_UTF8MB3 --default-time-zone=SYSTEM \
    --enforce-storage-engine= --skip-log-bin --expire-logs-days=0 \
    --loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0 \
    >/dev/null

  # The init-time server: no TCP listener at all.
  log 'Starting temporary server'
  "$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" --wsrep_on=OFF \
    --expire-logs-days=0 --loose-innodb_buffer_pool_load_at_startup=0 &
  local pid=$! i
  for ((i = 0; i < 300; i++)); do
    if sql --database=mysql <<<'SELECT 1' &>/dev/null; then break; fi
    kill -0 "$pid" 2>/dev/null || die 'the temporary server exited during start-up'
    sleep 0.1
  done
  ((i < 300)) || die 'unable to start the temporary server within 30 s'

  if [[ -z $MARIADB_INITDB_SKIP_TZINFO ]]; then
    # --skip-write-binlog also makes the Aria inserts faster (LOCK TABLES).
    mariadb-tzinfo-to-sql --skip-write-binlog /usr/share/zoneinfo 2>/dev/null | sql --database=mysql
  fi

  local root_pw root_create='' root_local='' create_db='' create_user='' grant_user=''
  root_pw=$(sql_string "$MARIADB_ROOT_PASSWORD")
  if [[ -z $MARIADB_ROOT_PASSWORD_HASH ]]; then
    root_local="SET PASSWORD FOR 'root'@'localhost' = PASSWORD('$root_pw');"
  fi
  if [[ -n $MARIADB_ROOT_HOST && $MARIADB_ROOT_HOST != localhost ]]; then
    local identified="IDENTIFIED BY '$root_pw'"
    if [[ -n $MARIADB_ROOT_PASSWORD_HASH ]]; then
      identified="IDENTIFIED BY PASSWORD '$MARIADB_ROOT_PASSWORD_HASH'"
    fi
    root_create="CREATE USER 'root'@'$MARIADB_ROOT_HOST' $identified;
      GRANT ALL ON *.* TO 'root'@'$MARIADB_ROOT_HOST' WITH GRANT OPTION;
      GRANT PROXY ON ''@'%' TO 'root'@'$MARIADB_ROOT_HOST' WITH GRANT OPTION;"
  fi
  if [[ -n $MARIADB_DATABASE ]]; then
    log "Creating database $MARIADB_DATABASE"
    create_db="CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE//\`/\`\`}\`;"
  fi
  if [[ -n $MARIADB_USER && (-n $MARIADB_PASSWORD || -n $MARIADB_PASSWORD_HASH) ]]; then
    log "Creating user $MARIADB_USER"
    if [[ -n $MARIADB_PASSWORD_HASH ]]; then
      create_user="CREATE USER '$MARIADB_USER'@'%' IDENTIFIED BY PASSWORD '$MARIADB_PASSWORD_HASH';"
    else
      create_user="CREATE USER '$MARIADB_USER'@'%' IDENTIFIED BY '$(sql_string "$MARIADB_PASSWORD")';"
    fi
    if [[ -n $MARIADB_DATABASE ]]; then
      # `_` is a wildcard in a database grant: escape it so the grant names this one database.
      local grant_db=${MARIADB_DATABASE//\`/\`\`}
      grant_user="GRANT ALL ON \`${grant_db//_/\\_}\`.* TO '$MARIADB_USER'@'%';"
    fi
  fi

  sql --database=mysql --binary-mode <<EOSQL
SET @@SESSION.SQL_LOG_BIN = 0;
SET @@SESSION.SQL_MODE = REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname, '\'');
$root_local
$root_create
$create_db
$create_user
$grant_user
EOSQL
  ROOT_PWD=$MARIADB_ROOT_PASSWORD
  local -a db=()
  if [[ -n $MARIADB_DATABASE ]]; then db=(--database="$MARIADB_DATABASE"); fi
  run_initdb_scripts sql "${db[@]}"
  if [[ -n $MARIADB_ROOT_PASSWORD_HASH ]]; then
    sql --binary-mode <<<"SET PASSWORD FOR 'root'@'localhost' = '$MARIADB_ROOT_PASSWORD_HASH';"
  fi

  log 'Stopping temporary server'
  kill "$pid"
  wait "$pid"
  log 'MariaDB init process done. Ready for start up.'
}

if [[ ! -d $DATADIR/mysql ]]; then
  init_database "$@"
fi

exec "$@"
