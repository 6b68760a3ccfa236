#!/usr/bin/env bash
# Entrypoint of the local stand-in for the official mysql image (8.4, 9), on Oracle MySQL 9.7
# from Debian sid (mysql-server-core). Honours the official environment contract
# (MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD, MYSQL_RANDOM_ROOT_PASSWORD, MYSQL_ROOT_HOST,
# MYSQL_DATABASE, MYSQL_USER, MYSQL_PASSWORD, MYSQL_ONETIME_PASSWORD, MYSQL_INITDB_SKIP_TZINFO,
# the _FILE variants) and /docker-entrypoint-initdb.d, and its start-up sequence: `mysqld
# --initialize-insecure`, then a server started with --skip-networking (it logs "ready for
# connections ... port: 0") creates root@'%', the database and the user and runs the init
# scripts, so nothing outside the container can connect (or see port 3306 bound) before they
# exist; then the real server starts and logs "ready for connections ... port: 3306".
set -Eeuo pipefail

log() { printf '%s [Note] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$*"; }
warn() { printf '%s [Warn] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$*" >&2; }
die() {
  printf '%s [ERROR] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$*" >&2
  exit 1
}

# file_env, sql_string, wants_help, run_initdb_scripts.
# shellcheck source=SCRIPTDIR/../common/entrypoint-functions.sh
. /usr/local/lib/migration-gate/entrypoint-functions.sh

if [[ ${1:-} == -* ]]; then
  set -- mysqld "$@"
fi

if [[ ${1:-} != mysqld ]] || wants_help "$@"; then
  exec "$@"
fi

# The server's settings as it resolves them from its configuration files and these arguments,
# so a file mounted into /etc/mysql/conf.d counts too; this also fails early on a broken one.
errors=$(mktemp)
help=$("$@" --verbose --help 2>"$errors") || die "mysqld cannot read its configuration: $(<"$errors")"
rm -f "$errors"
setting() { awk -v name="$1" '$1 == name && /^[^ \t]/ { sub(/^[^ \t]+[ \t]+/, ""); print; exit }' <<<"$help"; }
DATADIR=$(setting datadir)
SOCKET=$(setting socket)
FILES_DIR=$(setting secure-file-priv)

# As root: own the data, socket and --secure-file-priv directories (the server refuses to start
# while the last is missing), then re-run this script as mysql.
if [[ $(id -u) == 0 ]]; then
  dirs=("$DATADIR" "${SOCKET%/*}")
  if [[ -n $FILES_DIR && $FILES_DIR != NULL ]]; then dirs+=("$FILES_DIR"); fi
  mkdir -p "${dirs[@]}"
  chown -R mysql:mysql "${dirs[@]}"
  exec setpriv --reuid=mysql --regid=mysql --init-groups "${BASH_SOURCE[0]}" "$@"
fi

# Runs SQL from stdin as root over the socket; ROOT_PWD is root's password once it is set. As in
# the official image the password goes in an option file on a pipe: MYSQL_PWD still works in
# 9.7 but is deprecated, and on the command line every process in the container could read it.
sql() {
  mysql --defaults-extra-file=<(client_options) --protocol=socket -uroot -hlocalhost \
    --socket="$SOCKET" --comments "$@"
}
client_options() {
  [[ -n ${ROOT_PWD:-} ]] || return 0
  # Option-file values take backslash escapes; quoted, so leading or trailing spaces stay.
  local pw=${ROOT_PWD//\\/\\\\}
  printf '[client]\npassword="%s"\n' "${pw//\"/\\\"}"
}

init_database() {
  file_env MYSQL_ROOT_HOST '%'
  file_env MYSQL_DATABASE
  file_env MYSQL_USER
  file_env MYSQL_PASSWORD
  file_env MYSQL_ROOT_PASSWORD
  if [[ -z $MYSQL_ROOT_PASSWORD && -z ${MYSQL_ALLOW_EMPTY_PASSWORD:-} &&
    -z ${MYSQL_RANDOM_ROOT_PASSWORD:-} ]]; then
    die "Database is uninitialized and password option is not specified: set one of" \
      "MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD"
  fi
  # As in the official image: CREATE USER root would fail and leave a half-initialised database.
  if [[ $MYSQL_USER == root ]]; then
    die 'MYSQL_USER="root": MYSQL_USER and MYSQL_PASSWORD are for a regular user; set the' \
      'root password with MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD or MYSQL_RANDOM_ROOT_PASSWORD'
  fi
  if [[ -n $MYSQL_USER && -z $MYSQL_PASSWORD ]]; then
    warn 'MYSQL_USER specified, but missing MYSQL_PASSWORD; MYSQL_USER will not be created'
  elif [[ -z $MYSQL_USER && -n $MYSQL_PASSWORD ]]; then
    warn 'MYSQL_PASSWORD specified, but missing MYSQL_USER; MYSQL_PASSWORD will be ignored'
  fi

  log 'Initializing database files'
  "$@" --initialize-insecure --default-time-zone=SYSTEM
  log 'Database files initialized'

  # The init-time server: no TCP listener at all (X Plugin's port 33060 stays shut too).
  log 'Starting temporary server'
  "$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" &
  local pid=$! i
  for ((i = 0; i < 300; i++)); do
    if sql --database=mysql <<<'SELECT 1' &>/dev/null; then break; fi
    kill -0 "$pid" 2>/dev/null || die 'the temporary server exited during start-up'
    sleep 0.1
  done
  ((i < 300)) || die 'unable to start the temporary server within 30 s'
  log 'Temporary server started.'

  if [[ -z ${MYSQL_INITDB_SKIP_TZINFO:-} ]]; then
    # The sed is the official image's, for https://bugs.mysql.com/bug.php?id=20545.
    mysql_tzinfo_to_sql /usr/share/zoneinfo 2>/dev/null |
      sed 's/Local time zone must be set--see zic manual page/FCTY/' | sql --database=mysql
  fi
  if [[ -n ${MYSQL_RANDOM_ROOT_PASSWORD:-} ]]; then
    MYSQL_ROOT_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    export MYSQL_ROOT_PASSWORD
    log "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
  fi

  local root_pw root_create='' create_db='' create_user='' grant_user=''
  root_pw=$(sql_string "$MYSQL_ROOT_PASSWORD")
  # Like the official image, root may connect from anywhere (MYSQL_ROOT_HOST, default '%').
  if [[ -n $MYSQL_ROOT_HOST && $MYSQL_ROOT_HOST != localhost ]]; then
    root_create="CREATE USER 'root'@'$MYSQL_ROOT_HOST' IDENTIFIED BY '$root_pw';
      GRANT ALL ON *.* TO 'root'@'$MYSQL_ROOT_HOST' WITH GRANT OPTION;"
  fi
  if [[ -n $MYSQL_DATABASE ]]; then
    log "Creating database $MYSQL_DATABASE"
    create_db="CREATE DATABASE IF NOT EXISTS \`${MYSQL_DATABASE//\`/\`\`}\`;"
  fi
  if [[ -n $MYSQL_USER && -n $MYSQL_PASSWORD ]]; then
    log "Creating user $MYSQL_USER"
    create_user="CREATE USER '$MYSQL_USER'@'%' IDENTIFIED BY '$(sql_string "$MYSQL_PASSWORD")';"
    if [[ -n $MYSQL_DATABASE ]]; then
      # `_` is a wildcard in a database grant: escape it so the grant names this one database.
      local grant_db=${MYSQL_DATABASE//\`/\`\`}
      grant_user="GRANT ALL ON \`${grant_db//_/\\_}\`.* TO '$MYSQL_USER'@'%';"
    fi
  fi

  sql --database=mysql <<EOSQL
SET autocommit = 1;
SET @@SESSION.SQL_LOG_BIN = 0;
SET @@SESSION.SQL_MODE = REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
ALTER USER 'root'@'localhost' IDENTIFIED BY '$root_pw';
GRANT ALL ON *.* TO 'root'@'localhost' WITH GRANT OPTION;
FLUSH PRIVILEGES;
$root_create
DROP DATABASE IF EXISTS test;
$create_db
$create_user
$grant_user
EOSQL
  ROOT_PWD=$MYSQL_ROOT_PASSWORD
  local -a db=()
  if [[ -n $MYSQL_DATABASE ]]; then db=(--database="$MYSQL_DATABASE"); fi
  run_initdb_scripts sql "${db[@]}"
  if [[ -n ${MYSQL_ONETIME_PASSWORD:-} ]]; then
    sql --database=mysql <<<"ALTER USER 'root'@'%' PASSWORD EXPIRE;"
  fi

  log 'Stopping temporary server'
  kill "$pid"
  wait "$pid"
  log 'Temporary server stopped'
  log 'MySQL init process done. Ready for start up.'
}

log "Entrypoint script for MySQL Server $("$1" --version | awk '{ print $3 }') started."
if [[ ! -d $DATADIR/mysql ]]; then
  init_database "$@"
fi

exec "$@"
