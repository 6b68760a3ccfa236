#!/usr/bin/env bash
# Proves the Ryuk image reaps: a Node process starts a database container through
# testcontainers (which first starts the reaper from RYUK_CONTAINER_IMAGE), is killed with
# SIGKILL so it cannot clean up, and within the reaper's reconnection timeout (10 s) plus a
# margin every container of that session, the reaper's own included, must be gone.
# Images come from the environment or test/docker/.images.env (see build-images.sh).
#
# Environment: VERIFY_REAPER_BOUND (seconds to wait after the kill, default 30).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../.." && pwd)
bound=${VERIFY_REAPER_BOUND:-30}
session_label=org.testcontainers.session-id

say() { printf 'verify-reaper: %s\n' "$*"; }
die() {
  printf 'verify-reaper: FAILED: %s\n' "$*" >&2
  exit 1
}

if [[ -z ${RYUK_CONTAINER_IMAGE:-} || -z ${MIGRATION_GATE_TEST_POSTGRES_IMAGE:-} ]] && [[ -f $here/.images.env ]]; then
  set -a
  # shellcheck source=/dev/null # written by build-images.sh
  . "$here/.images.env"
  set +a
fi
: "${RYUK_CONTAINER_IMAGE:?set it, or run test/docker/build-images.sh}"
: "${MIGRATION_GATE_TEST_POSTGRES_IMAGE:?set it, or run test/docker/build-images.sh}"
export RYUK_CONTAINER_IMAGE MIGRATION_GATE_TEST_POSTGRES_IMAGE
# A reaper of its own: not one another test run started (and keeps alive), nor reused by one.
export TESTCONTAINERS_RYUK_TEST_LABEL=true
unset TESTCONTAINERS_RYUK_DISABLED

out=$(mktemp)
reaper_log=$(mktemp)
node_pid=''
logs_pid=''
cleanup() {
  if [[ -n $node_pid ]]; then kill -9 "$node_pid" 2>/dev/null || true; fi
  if [[ -n $logs_pid ]]; then kill "$logs_pid" 2>/dev/null || true; fi
  rm -f "$out" "$reaper_log"
}
trap cleanup EXIT

say "starting $MIGRATION_GATE_TEST_POSTGRES_IMAGE with reaper $RYUK_CONTAINER_IMAGE"
cd "$repo_root"
# shellcheck disable=SC2016 # JavaScript, not shell: the template literal is for node
node_modules/.bin/node --input-type=module -e '
  import { PostgreSqlContainer } from "@testcontainers/postgresql";
  const container = await new PostgreSqlContainer(process.env.MIGRATION_GATE_TEST_POSTGRES_IMAGE).start();
  console.log(`READY ${container.getLabels()["org.testcontainers.session-id"]} ${container.getId()}`);
  setInterval(() => {}, 60_000); // stay alive until killed
' >"$out" 2>&1 &
node_pid=$!

for _ in $(seq 240); do
  grep -q '^READY ' "$out" && break
  kill -0 "$node_pid" 2>/dev/null || { cat "$out" >&2; die 'the node process exited before its container was ready'; }
  sleep 0.5
done
grep -q '^READY ' "$out" || { cat "$out" >&2; die 'the container was not ready within 120 s'; }
read -r _ session container < <(grep '^READY ' "$out")
say "session $session, database container ${container:0:12}; containers of the session:"
docker ps -a --filter "label=$session_label=$session" --format '  {{.ID}} {{.Image}} {{.Status}} {{.Names}}'

# The reaper removes itself (AutoRemove) when done: follow its log to show what it did.
docker logs -f "testcontainers-ryuk-$session" >"$reaper_log" 2>&1 &
logs_pid=$!

kill -9 "$node_pid"
wait "$node_pid" 2>/dev/null || true
node_pid=''
killed=$(date +%s%3N)
say 'node killed with SIGKILL; waiting for the reaper'

left=''
while (($(date +%s%3N) - killed < bound * 1000)); do
  left=$(docker ps -aq --filter "label=$session_label=$session")
  [[ -z $left ]] && break
  sleep 0.5
done
ms=$(($(date +%s%3N) - killed))
if [[ -n $left ]]; then
  docker ps -a --filter "label=$session_label=$session" >&2
  die "containers of session $session still exist ${bound}s after the kill"
fi
say "all containers of session $session gone $((ms / 1000)).$((ms % 1000 / 100))s after the kill (database and reaper)"
wait "$logs_pid" 2>/dev/null || true
logs_pid=''
say 'the reaper'"'"'s log:'
sed 's/^/  /' "$reaper_log"
