#!/usr/bin/env bash
# The one entry point CI calls before the container tests: a Docker engine that answers, then
# the database and Ryuk images (official when reachable, local stand-ins otherwise). Arguments
# go to build-images.sh (e.g. --env-file PATH, --no-pull). Its last lines are the images to use,
# as KEY=VALUE lines, also written to test/docker/.images.env by default.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
started=$(date +%s%3N)

"$here/ensure-engine.sh"
"$here/build-images.sh" "$@"

ms=$(($(date +%s%3N) - started))
printf 'prepare: Docker and images ready in %d.%ds\n' $((ms / 1000)) $((ms % 1000 / 100)) >&2
