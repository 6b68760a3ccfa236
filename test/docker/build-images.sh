#!/usr/bin/env bash
# Makes the images the container tests need available when no image registry can be reached:
# for each engine, the official image if it is present or can be pulled within a short bound,
# else a local stand-in built from Debian bookworm's packages (postgresql-15, mariadb-server
# 10.11) with an entrypoint honouring the official image's environment contract; likewise a
# stand-in for testcontainers' Ryuk reaper. Debian bookworm has no MySQL server package
# (default-mysql-server depends on mariadb-server), so there is no MySQL stand-in.
#
# How a stand-in is built: debootstrap a minbase root filesystem, install all the packages in a
# chroot on the host (containers may not reach the mirror), `docker import` it once as
# migration-gate-local/rootfs:<hash>, then give each image a thin layer (its entrypoint, ENV,
# CMD, EXPOSE, labels) with `docker create` + `docker cp` + `docker commit`.
#
# Caching, keyed by sha256 of the recipe: the root filesystem by install.sh and the debootstrap
# parameters; each image by that, this script and its own files (label
# org.migration-gate.recipe-sha256, tag <version>-<hash12>). An image whose hash tag exists is
# reused; a missing root filesystem image is re-imported from the tarball kept in the cache
# directory; only a changed install.sh runs apt again (and debootstrap only when its
# parameters change).
#
# Prints, last, the images to use as KEY=VALUE lines, and writes them to an env file:
#   MIGRATION_GATE_TEST_POSTGRES_IMAGE  MIGRATION_GATE_TEST_MARIADB_IMAGE  RYUK_CONTAINER_IMAGE
#
# Options:
#   --env-file PATH  where to write the KEY=VALUE lines (default test/docker/.images.env,
#                    which is gitignored; env MIGRATION_GATE_IMAGES_ENV_FILE; '' for none)
#   --no-pull        do not try the official images; use (or build) the stand-ins
# Environment: MIGRATION_GATE_IMAGE_CACHE (default /var/cache/migration-gate-images),
#   MIGRATION_GATE_IMAGE_PREFIX (default migration-gate-local), MIGRATION_GATE_PULL_TIMEOUT
#   (seconds, default 20), MIGRATION_GATE_DEBIAN_MIRROR, MIGRATION_GATE_DEBIAN_SECURITY_MIRROR.
set -euo pipefail
# Glob order feeds the recipe hash: make it independent of the caller's locale.
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../.." && pwd)
images_dir=$here/images

cache_dir=${MIGRATION_GATE_IMAGE_CACHE:-/var/cache/migration-gate-images}
env_file=${MIGRATION_GATE_IMAGES_ENV_FILE-$here/.images.env}
pull_timeout=${MIGRATION_GATE_PULL_TIMEOUT:-20}
mirror=${MIGRATION_GATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${MIGRATION_GATE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
suite=bookworm
# Another prefix builds a separate set, e.g. to time a cold build without touching images in use.
prefix=${MIGRATION_GATE_IMAGE_PREFIX:-migration-gate-local}
hash_label=org.migration-gate.recipe-sha256
pull=true

while (($# > 0)); do
  case $1 in
    --env-file)
      env_file=${2?--env-file needs a path}
      shift 2
      ;;
    --no-pull)
      pull=false
      shift
      ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "build-images: unknown argument $1 (see --help)" >&2
      exit 2
      ;;
  esac
done

say() { printf 'build-images: %s\n' "$*"; }
die() {
  printf 'build-images: error: %s\n' "$*" >&2
  exit 1
}
now_ms() { date +%s%3N; }
since() { # start_ms -> "1.2s"
  local ms=$(($(now_ms) - $1))
  printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100))
}

timeout 10 docker info >/dev/null 2>&1 || die 'no Docker engine answers: run test/docker/ensure-engine.sh first'

# The official images: the defaults of src/core/parts/throwaway/container-throwaway.ts (Postgres),
# the MariaDB line the stand-in replaces, and the Ryuk this testcontainers version starts.
official_postgres=postgres:16-alpine
official_mariadb=mariadb:10.11
official_ryuk=$(grep -o 'testcontainers/ryuk:[0-9][0-9.]*[0-9]' \
  "$repo_root/node_modules/testcontainers/build/reaper/reaper.js" 2>/dev/null | head -n 1) ||
  official_ryuk=testcontainers/ryuk:0.14.0

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# sha256 over labelled inputs: a string, or files (their paths relative to this directory and
# their bytes, so a rename counts too).
hash_of() {
  local item
  for item in "$@"; do
    if [[ -f $item ]]; then
      printf '%s\0' "${item#"$here"/}"
      cat "$item"
    else
      printf '%s\0' "$item"
    fi
    printf '\0'
  done | sha256sum | cut -c1-64
}

# --- official images: present locally, or pulled within $pull_timeout seconds --------------

pull_dir=$(mktemp -d)
work=''
cleanup() {
  rm -rf "$pull_dir"
  if [[ -n $work ]]; then
    if mountpoint -q "$work/root/proc"; then umount "$work/root/proc" || umount -l "$work/root/proc"; fi
    mountpoint -q "$work/root/proc" || rm -rf "$work"
  fi
}
trap cleanup EXIT

try_official() { # image -> 0 if it can be used; writes why not to $pull_dir/<image>
  local image=$1 why="$pull_dir/${1//[\/:]/_}"
  if have_image "$image"; then return 0; fi
  if [[ $pull != true ]]; then
    echo 'not tried (--no-pull)' >"$why"
    return 1
  fi
  if timeout "$pull_timeout" docker pull -q "$image" >"$why" 2>&1; then return 0; fi
  [[ -s $why ]] || echo "no answer within ${pull_timeout}s" >"$why"
  return 1
}

started=$(now_ms)
declare -A use_official=()
declare -A pull_pids=()
for image in "$official_postgres" "$official_mariadb" "$official_ryuk"; do
  # In parallel: where a registry hangs rather than fails, each pull costs the full bound.
  try_official "$image" &
  pull_pids[$image]=$!
done
for image in "${!pull_pids[@]}"; do
  if wait "${pull_pids[$image]}"; then
    use_official[$image]=true
    say "official image $image is available"
  else
    use_official[$image]=false
    say "official image $image unavailable: $(tail -n 1 "$pull_dir/${image//[\/:]/_}")"
  fi
done
say "official images checked in $(since "$started")"

# --- the root filesystem shared by all stand-ins ------------------------------------------

debootstrap_params="debootstrap --variant=minbase $suite $mirror"
rootfs_hash=$(hash_of "$debootstrap_params" "security=$security_mirror" "$images_dir/rootfs/install.sh")
rootfs_image=$prefix/rootfs:${rootfs_hash:0:12}
rootfs_tar=$cache_dir/rootfs-$rootfs_hash.tar
base_tar=$cache_dir/debootstrap-$(hash_of "$debootstrap_params").tar

build_rootfs_tar() {
  local root started
  [[ $(id -u) == 0 ]] || die 'building the root filesystem needs root (debootstrap, mount, chroot)'
  work=$(mktemp -d /var/tmp/migration-gate-rootfs.XXXXXX)
  root=$work/root
  mkdir "$root"
  if [[ -f $base_tar ]]; then
    say "unpacking the cached debootstrap tree $base_tar"
    tar -C "$root" --numeric-owner -xpf "$base_tar"
  else
    command -v debootstrap >/dev/null || {
      say 'installing debootstrap'
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null
    }
    started=$(now_ms)
    say "debootstrap --variant=minbase $suite (log in $work/debootstrap.log)"
    debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
      { tail -n 20 "$work/debootstrap.log" >&2; die 'debootstrap failed'; }
    tar -C "$root" --numeric-owner -cf "$base_tar.tmp" . && mv "$base_tar.tmp" "$base_tar"
    say "debootstrap done in $(since "$started")"
  fi

  started=$(now_ms)
  say "installing packages in a chroot (log in $work/install.log)"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  cp "$images_dir/rootfs/install.sh" "$root/tmp/install.sh"
  mount -t proc proc "$root/proc"
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    MIRROR="$mirror" SECURITY_MIRROR="$security_mirror" /bin/sh /tmp/install.sh >"$work/install.log" 2>&1 ||
    { tail -n 30 "$work/install.log" >&2; die 'installing packages in the chroot failed'; }
  umount "$root/proc"
  rm -f "$root/tmp/install.sh"
  say "packages installed in $(since "$started")"
  # Device nodes come from Docker at run time.
  tar -C "$root" --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
    -cf "$rootfs_tar.tmp" .
  mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$work"
  work=''
}

ensure_rootfs() {
  have_image "$rootfs_image" && return 0
  local started
  if [[ ! -f $rootfs_tar ]]; then
    build_rootfs_tar
  fi
  started=$(now_ms)
  docker import --change "LABEL $hash_label=$rootfs_hash" "$rootfs_tar" "$rootfs_image" >/dev/null
  say "imported $rootfs_image from $rootfs_tar in $(since "$started")"
}

# --- stand-in images ------------------------------------------------------------------------

std_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# name version stands_in_for stop_signal -- docker commit --change instructions...
# Stages images/<name>/ (and images/common/ for the databases) into its place in the image, per
# name below.
build_stand_in() {
  local name=$1 version=$2 stands_in_for=$3 stop_signal=$4
  shift 5
  local hash tag plain started stage cid
  local -a inputs=("$images_dir/$name"/*)
  [[ $name == ryuk ]] || inputs+=("$images_dir/common"/*)
  hash=$(hash_of "rootfs=$rootfs_hash" "$here/build-images.sh" "${inputs[@]}")
  if [[ -n $version ]]; then
    tag=$prefix/$name:$version-${hash:0:12}
    plain=$prefix/$name:$version
  else
    tag=$prefix/$name:${hash:0:12}
    plain=$tag
  fi
  if [[ $(docker image inspect --format "{{index .Config.Labels \"$hash_label\"}}" "$tag" 2>/dev/null) == "$hash" ]]; then
    docker tag "$tag" "$plain"
    say "$plain is up to date ($tag)"
    BUILT_IMAGE=$plain
    return 0
  fi

  ensure_rootfs
  started=$(now_ms)
  stage=$(mktemp -d)
  chmod 755 "$stage"
  case $name in
    postgres | mariadb)
      install -d -m 755 "$stage/usr" "$stage/usr/local" "$stage/usr/local/bin" \
        "$stage/usr/local/lib" "$stage/usr/local/lib/migration-gate" "$stage/docker-entrypoint-initdb.d"
      install -m 755 "$images_dir/$name/docker-entrypoint.sh" "$stage/usr/local/bin/"
      install -m 644 "$images_dir/common/entrypoint-functions.sh" "$stage/usr/local/lib/migration-gate/"
      ;;
    ryuk)
      install -d -m 755 "$stage/usr" "$stage/usr/local" "$stage/usr/local/bin"
      install -m 755 "$images_dir/ryuk/ryuk.py" "$stage/usr/local/bin/ryuk"
      ;;
  esac
  cid=$(docker create ${stop_signal:+--stop-signal "$stop_signal"} "$rootfs_image" /bin/true)
  # Top-level entries only: a "." entry would reset the mode of the image's /.
  (cd "$stage" && tar --owner=0 --group=0 --numeric-owner -c -- *) | docker cp - "$cid:/"
  local -a changes=()
  local change
  for change in "$@" "LABEL $hash_label=$hash" "LABEL org.migration-gate.stand-in-for=$stands_in_for"; do
    changes+=(--change "$change")
  done
  docker commit "${changes[@]}" "$cid" "$tag" >/dev/null
  docker rm "$cid" >/dev/null
  rm -rf "$stage"
  docker tag "$tag" "$plain"
  say "built $plain ($tag) in $(since "$started")"
  BUILT_IMAGE=$plain

  # Older builds of a database image: remove them unless a container still uses one. Not so
  # for Ryuk, named by its hash alone: a test run still going may start a reaper from the name
  # it read before this build.
  [[ -n $version ]] || return 0
  local old
  while read -r old; do
    [[ $old == "$prefix/$name:$version-"* && $old != "$tag" ]] || continue
    if docker rmi "$old" >/dev/null 2>&1; then say "removed the outdated $old"; fi
  done < <(docker image ls --format '{{.Repository}}:{{.Tag}}' "$prefix/$name")
}

mkdir -p "$cache_dir"
# One build at a time: two runs would debootstrap into and import the same names.
exec 9>"$cache_dir/.lock"
flock 9

declare -A chosen=()
started=$(now_ms)
if [[ ${use_official[$official_postgres]} == true ]]; then
  chosen[postgres]=$official_postgres
else
  build_stand_in postgres 15 "$official_postgres" SIGINT -- \
    "ENV PATH=/usr/lib/postgresql/15/bin:$std_path" 'ENV LANG=C.UTF-8' 'ENV PG_MAJOR=15' \
    'ENV PGDATA=/var/lib/postgresql/data' 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    'CMD ["postgres"]' 'EXPOSE 5432'
  chosen[postgres]=$BUILT_IMAGE
fi
if [[ ${use_official[$official_mariadb]} == true ]]; then
  chosen[mariadb]=$official_mariadb
else
  build_stand_in mariadb 10.11 "$official_mariadb" '' -- \
    "ENV PATH=$std_path" 'ENV LANG=C.UTF-8' 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    'CMD ["mariadbd"]' 'EXPOSE 3306'
  chosen[mariadb]=$BUILT_IMAGE
fi
if [[ ${use_official[$official_ryuk]} == true ]]; then
  chosen[ryuk]=$official_ryuk
else
  # The label marks it as a reaper: testcontainers reuses a running one, and reapers spare it.
  build_stand_in ryuk '' "$official_ryuk" '' -- \
    "ENV PATH=$std_path" 'ENV LANG=C.UTF-8' 'CMD ["/usr/local/bin/ryuk"]' 'EXPOSE 8080' \
    'LABEL org.testcontainers.ryuk=true'
  chosen[ryuk]=$BUILT_IMAGE
fi

# Root filesystems and cached tarballs of other recipes: each is hundreds of MB. An old root
# filesystem still under an image in use stays.
while read -r old; do
  [[ $old == "$rootfs_image" ]] && continue
  if docker rmi "$old" >/dev/null 2>&1; then say "removed the outdated $old"; fi
done < <(docker image ls --format '{{.Repository}}:{{.Tag}}' "$prefix/rootfs")
for old in "$cache_dir"/rootfs-*.tar "$cache_dir"/debootstrap-*.tar; do
  [[ -e $old && $old != "$rootfs_tar" && $old != "$base_tar" ]] || continue
  rm -f "$old" && say "removed the outdated cache $old"
done
say "images ready in $(since "$started")"

lines=(
  "MIGRATION_GATE_TEST_POSTGRES_IMAGE=${chosen[postgres]}"
  "MIGRATION_GATE_TEST_MARIADB_IMAGE=${chosen[mariadb]}"
  "RYUK_CONTAINER_IMAGE=${chosen[ryuk]}"
)
if [[ -n $env_file ]]; then
  {
    echo "# Written by test/docker/build-images.sh on $(date -u +%FT%TZ); no MySQL: Debian has none."
    printf '%s\n' "${lines[@]}"
  } >"$env_file.tmp"
  mv "$env_file.tmp" "$env_file"
  say "wrote $env_file"
fi
printf '%s\n' "${lines[@]}"
