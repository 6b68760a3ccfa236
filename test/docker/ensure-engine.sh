#!/usr/bin/env bash
# Makes a Docker engine answer on this machine: the container tests (testcontainers) need one,
# and a new machine here has the docker CLI but no running engine. Does nothing when `docker
# info` already answers. Otherwise (as root) installs Debian's docker.io if dockerd is missing,
# starts dockerd in the background, detached from this shell so it outlives the CI step, and
# waits a bounded time for it to answer.
#
# Environment:
#   MIGRATION_GATE_DOCKERD_FLAGS  flags for dockerd; when set, only these are tried
#   MIGRATION_GATE_DOCKERD_LOG    dockerd's log file (default /var/log/dockerd.log)
#   MIGRATION_GATE_DOCKERD_WAIT   seconds to wait for each start attempt (default 60)
#   MIGRATION_GATE_DOCKERD_PIDFILE  dockerd's pid file (default /var/run/docker.pid)
set -euo pipefail

log_file=${MIGRATION_GATE_DOCKERD_LOG:-/var/log/dockerd.log}
wait_seconds=${MIGRATION_GATE_DOCKERD_WAIT:-60}
pid_file=${MIGRATION_GATE_DOCKERD_PIDFILE:-/var/run/docker.pid}

say() { printf 'ensure-engine: %s\n' "$*"; }
die() {
  printf 'ensure-engine: error: %s\n' "$*" >&2
  exit 1
}

# A wedged daemon can leave `docker info` hanging: bound it.
answers() { timeout 10 docker info >/dev/null 2>&1; }

server_version() { timeout 10 docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'; }

if answers; then
  say "a Docker engine already answers (server $(server_version)); nothing to do"
  exit 0
fi

[[ $(id -u) == 0 ]] || die 'no Docker engine answers, and starting one needs root'

if ! command -v dockerd >/dev/null; then
  say 'dockerd is missing: installing Debian'"'"'s docker.io'
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  # No recommends: they add apparmor, git, etc.; dockerd, containerd, runc, tini and iptables
  # are hard dependencies.
  apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 docker.io >/dev/null
  command -v dockerd >/dev/null || die 'docker.io is installed but dockerd is still not on PATH'
fi
command -v docker >/dev/null || die 'no docker CLI on PATH (docker.io ships one in /usr/bin)'

# A daemon of someone else's that is still starting: wait for it rather than start a second.
if [[ -s $pid_file ]]; then
  other=$(<"$pid_file")
  if kill -0 "$other" 2>/dev/null; then
    say "dockerd (pid $other) is running but not answering yet; waiting up to ${wait_seconds}s"
    for _ in $(seq "$wait_seconds"); do
      if answers; then
        say "Docker engine answers (server $(server_version))"
        exit 0
      fi
      sleep 1
    done
    die "dockerd (pid $other) runs but did not answer within ${wait_seconds}s; see $log_file"
  fi
  # Left by a daemon that died: dockerd refuses to start while it exists.
  rm -f "$pid_file"
fi

# Flag sets tried in order. Plain dockerd (overlay2, iptables) works on this kind of machine;
# the fallbacks are for kernels or sandboxes without iptables NAT or overlayfs. Port
# publishing still works without iptables, through docker-proxy. `--ip=127.0.0.1` makes every
# published port loopback-only by default, also those of containers we do not configure
# ourselves (testcontainers' Ryuk): nothing on the machine's network reaches a test database.
attempts=('--ip=127.0.0.1' '--ip=127.0.0.1 --iptables=false' '--ip=127.0.0.1 --iptables=false --storage-driver=vfs')
if [[ -n ${MIGRATION_GATE_DOCKERD_FLAGS+set} ]]; then
  attempts=("$MIGRATION_GATE_DOCKERD_FLAGS")
fi

mkdir -p "$(dirname "$log_file")"
for flags in "${attempts[@]}"; do
  read -r -a flag_words <<<"$flags"
  offset=$(stat -c %s "$log_file" 2>/dev/null || echo 0)
  printf '\n=== ensure-engine %s: dockerd %s\n' "$(date -u +%FT%TZ)" "$flags" >>"$log_file"
  say "starting dockerd ${flags:-(default flags)}, log in $log_file"
  started=$(date +%s)
  # setsid: its own session, so a CI runner ending this step's process group leaves it running.
  setsid dockerd --pidfile "$pid_file" "${flag_words[@]}" >>"$log_file" 2>&1 </dev/null &
  pid=$!
  outcome=timeout
  while (($(date +%s) - started < wait_seconds)); do
    if answers; then
      outcome=up
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      outcome=exited
      break
    fi
    sleep 0.5
  done
  if [[ $outcome == up ]]; then
    say "Docker engine answers after $(($(date +%s) - started))s (server $(server_version), dockerd pid $pid, flags: ${flags:-none})"
    exit 0
  fi
  if [[ $outcome == timeout ]]; then
    say "dockerd ${flags:-(default flags)} did not answer within ${wait_seconds}s; stopping it"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  else
    say "dockerd ${flags:-(default flags)} exited during start-up"
  fi
  printf 'ensure-engine: last lines of %s:\n' "$log_file" >&2
  # Without dockerd's gRPC chatter, which would push the reason out of view.
  tail -c +"$((offset + 1))" "$log_file" | grep -v 'module=grpc' | tail -n 25 | sed 's/^/    /' >&2
  rm -f "$pid_file"
done

die "no Docker engine could be started (tried: $(printf '"%s" ' "${attempts[@]}")); see $log_file"
