# shellcheck shell=bash
# Functions the stand-in entrypoints (postgres, mariadb, mysql) share, sourced from
# /usr/local/lib/migration-gate/. The entrypoint defines log and die before sourcing this.

# VAR or VAR_FILE (a file holding the value, for Docker secrets), not both.
file_env() {
  local var=$1 default=${2:-} file_var="${1}_FILE" value
  if [[ -n ${!var:-} && -n ${!file_var:-} ]]; then die "both $var and $file_var are set"; fi
  value=$default
  if [[ -n ${!var:-} ]]; then
    value=${!var}
  elif [[ -n ${!file_var:-} ]]; then
    value=$(<"${!file_var}")
  fi
  export "$var=$value"
  unset "$file_var"
}

# Escapes a value for a single-quoted MySQL/MariaDB string literal (backslash, quote, newline).
sql_string() {
  local s=${1//\\/\\\\}
  s=${s//$'\n'/\\n}
  printf '%s' "${s//\'/\\\'}"
}

# Whether the server's arguments ask for help or the version, which must not initialise.
wants_help() {
  local arg
  for arg; do
    case $arg in -'?' | --help | --print-defaults | -V | --version) return 0 ;; esac
  done
  return 1
}

# Runs /docker-entrypoint-initdb.d in name order, as the official images do: *.sh executed (or
# sourced when not executable), *.sql and *.sql.gz fed on stdin to the command given here.
run_initdb_scripts() {
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    [[ -e $f ]] || continue
    case $f in
      *.sh)
        if [[ -x $f ]]; then
          log "running $f"
          "$f"
        else
          log "sourcing $f"
          # shellcheck disable=SC1090 # the user's own init script
          . "$f"
        fi
        ;;
      *.sql) log "running $f" && "$@" <"$f" ;;
      *.sql.gz) log "running $f" && gunzip -c "$f" | "$@" ;;
      *) log "ignoring $f" ;;
    esac
  done
}
