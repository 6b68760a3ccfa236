#!/usr/bin/env bash
# Makes the images the container tests need available when no image registry can be reached:
# for each engine, the official image if it is present or can be pulled within a short bound,
# else a local stand-in built from Debian packages with an entrypoint honouring the official
# image's environment contract; likewise a stand-in for testcontainers' Ryuk reaper.
#
#   official image       stand-in (prefix/name:version)  Debian suite and package
#   postgres:16-alpine   postgres:15                     bookworm postgresql-15
#   postgres:17          postgres:17                     trixie   postgresql-17
#   postgres:18          postgres:18                     sid      postgresql-18
#   mariadb:10.11        mariadb:10.11                   bookworm mariadb-server (10.11)
#   mariadb:11.8         mariadb:11.8                    trixie   mariadb-server (11.8)
#   mysql:8.4            mysql:9.7 (also for mysql:9)    sid      mysql-server-core (Oracle MySQL)
#   testcontainers/ryuk  ryuk:<hash>                     bookworm python3
# No Debian suite before sid has an Oracle MySQL server (their default-mysql-server is MariaDB).
#
# How a stand-in is built: debootstrap a minbase root filesystem of its suite, install all the
# suite's packages in a chroot on the host (containers may not reach the mirror), `docker
# import` it once as migration-gate-local/rootfs:<hash>, then give each image a thin layer (its
# entrypoint, ENV, CMD, EXPOSE, labels) with `docker create` + `docker cp` + `docker commit`.
# One root filesystem per suite, built only when a missing stand-in needs it; the suites build
# in parallel (they mostly wait on the mirror and on dpkg's disk writes).
#
# Caching, keyed by sha256 of the recipe: a suite's root filesystem by install.sh and the
# debootstrap parameters; each image by that, this script and its own files (label
# org.migration-gate.recipe-sha256, tag <version>-<hash12>). An image whose hash tag exists is
# reused; a missing root filesystem image is re-imported from the tarball kept in the cache
# directory; only a changed install.sh runs apt again (and debootstrap only when its
# parameters change). Root filesystem images and tarballs of other recipes are removed; every
# suite's current ones stay, built this run or not.
#
# Prints, last, the images to use as KEY=VALUE lines, and writes them to an env file:
#   MIGRATION_GATE_TEST_POSTGRES_IMAGE  MIGRATION_GATE_TEST_POSTGRES17_IMAGE
#   MIGRATION_GATE_TEST_POSTGRES18_IMAGE  MIGRATION_GATE_TEST_MARIADB_IMAGE
#   MIGRATION_GATE_TEST_MARIADB11_IMAGE  MIGRATION_GATE_TEST_MYSQL_IMAGE  RYUK_CONTAINER_IMAGE
#
# Options:
#   --env-file PATH  where to write the KEY=VALUE lines (default test/docker/.images.env,
#                    which is gitignored; env MIGRATION_GATE_IMAGES_ENV_FILE; '' for none)
#   --no-pull        do not try the official images; use (or build) the stand-ins
# Environment: MIGRATION_GATE_IMAGE_CACHE (default /var/cache/migration-gate-images),
#   MIGRATION_GATE_IMAGE_PREFIX (default migration-gate-local), MIGRATION_GATE_PULL_TIMEOUT
#   (seconds, default 20), MIGRATION_GATE_DEBIAN_MIRROR, MIGRATION_GATE_DEBIAN_SECURITY_MIRROR.
#   Another prefix and cache directory, both, build a separate set (to time a cold build, or
#   try a recipe, without touching the images in use: the cleanup above is per cache directory
#   and prefix).
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

# The images, one per env-file key: the official image tried first and the stand-in built
# otherwise (name, version, Debian suite). The official ones are the defaults of
# src/core/parts/throwaway/container-throwaway.ts (postgres:16-alpine, mysql:8.4), the lines the
# other stand-ins replace, and the Ryuk this testcontainers version starts.
official_ryuk=$(grep -o 'testcontainers/ryuk:[0-9][0-9.]*[0-9]' \
  "$repo_root/node_modules/testcontainers/build/reaper/reaper.js" 2>/dev/null | head -n 1) ||
  official_ryuk=testcontainers/ryuk:0.14.0
images=(
  'MIGRATION_GATE_TEST_POSTGRES_IMAGE postgres:16-alpine postgres 15 bookworm'
  'MIGRATION_GATE_TEST_POSTGRES17_IMAGE postgres:17 postgres 17 trixie'
  'MIGRATION_GATE_TEST_POSTGRES18_IMAGE postgres:18 postgres 18 sid'
  'MIGRATION_GATE_TEST_MARIADB_IMAGE mariadb:10.11 mariadb 10.11 bookworm'
  'MIGRATION_GATE_TEST_MARIADB11_IMAGE mariadb:11.8 mariadb 11.8 trixie'
  'MIGRATION_GATE_TEST_MYSQL_IMAGE mysql:8.4 mysql 9.7 sid'
  # Named by its hash alone ("-": no version), see build_stand_in.
  "RYUK_CONTAINER_IMAGE $official_ryuk ryuk - bookworm"
)
suites=(bookworm trixie sid)

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
# A root filesystem build's scratch directory; a build runs in a subshell that traps this too.
work=''
cleanup_work() {
  if [[ -n $work ]]; then
    if mountpoint -q "$work/root/proc"; then umount "$work/root/proc" || umount -l "$work/root/proc"; fi
    mountpoint -q "$work/root/proc" || rm -rf "$work"
  fi
}
cleanup() {
  rm -rf "$pull_dir"
  cleanup_work
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
for line in "${images[@]}"; do
  read -r _ image _ <<<"$line"
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

# --- one root filesystem per Debian suite, shared by its stand-ins --------------------------

declare -A rootfs_hash=() rootfs_image=() rootfs_tar=() base_tar=()
for suite in "${suites[@]}"; do
  debootstrap_params="debootstrap --variant=minbase $suite $mirror"
  rootfs_hash[$suite]=$(hash_of "$debootstrap_params" "security=$security_mirror" \
    "$images_dir/rootfs/install.sh")
  rootfs_image[$suite]=$prefix/rootfs:${rootfs_hash[$suite]:0:12}
  rootfs_tar[$suite]=$cache_dir/rootfs-${rootfs_hash[$suite]}.tar
  base_tar[$suite]=$cache_dir/debootstrap-$(hash_of "$debootstrap_params").tar
done

# debootstrap, and a keyring with trixie's keys (they sign trixie and sid): bookworm's
# debian-archive-keyring has them since 2023.3+deb12u2, an older one is upgraded from the
# host's own sources. Run before the parallel builds: apt takes one lock.
ensure_debootstrap() {
  if command -v debootstrap >/dev/null &&
    [[ -f /usr/share/keyrings/debian-archive-trixie-automatic.gpg ]]; then
    return 0
  fi
  say 'installing debootstrap and debian-archive-keyring'
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    debootstrap debian-archive-keyring >/dev/null
}

build_rootfs_tar() { # suite
  local suite=$1 root started base=${base_tar[$1]} tarball=${rootfs_tar[$1]}
  local -a script=()
  [[ $(id -u) == 0 ]] || die 'building the root filesystem needs root (debootstrap, mount, chroot)'
  work=$(mktemp -d /var/tmp/migration-gate-rootfs.XXXXXX)
  root=$work/root
  mkdir "$root"
  if [[ -f $base ]]; then
    say "unpacking the cached debootstrap tree $base"
    tar -C "$root" --numeric-owner -xpf "$base"
  else
    # A debootstrap older than the suite has no script named after it: the "sid" script fits
    # every suite since bookworm (bookworm's own debootstrap links trixie and sid to it).
    if [[ ! -e /usr/share/debootstrap/scripts/$suite ]]; then
      script=(/usr/share/debootstrap/scripts/sid)
    fi
    started=$(now_ms)
    # debootstrap checks the Release signature but not its Valid-Until (past due on the
    # mirror's sid); apt in the chroot does, see install.sh.
    say "debootstrap --variant=minbase $suite (log in $work/debootstrap.log)"
    debootstrap --variant=minbase "$suite" "$root" "$mirror" "${script[@]}" \
      >"$work/debootstrap.log" 2>&1 ||
      { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap $suite failed"; }
    tar -C "$root" --numeric-owner -cf "$base.tmp" . && mv "$base.tmp" "$base"
    say "debootstrap $suite done in $(since "$started")"
  fi

  started=$(now_ms)
  say "installing the $suite packages in a chroot (log in $work/install.log)"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  cp "$images_dir/rootfs/install.sh" "$root/tmp/install.sh"
  mount -t proc proc "$root/proc"
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root SUITE="$suite" \
    MIRROR="$mirror" SECURITY_MIRROR="$security_mirror" /bin/sh /tmp/install.sh \
    >"$work/install.log" 2>&1 ||
    { tail -n 30 "$work/install.log" >&2; die "installing the $suite packages in the chroot failed"; }
  umount "$root/proc"
  rm -f "$root/tmp/install.sh"
  say "$suite packages installed in $(since "$started")"
  # Device nodes come from Docker at run time.
  tar -C "$root" --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
    -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  rm -rf "$work"
  work=''
}

ensure_rootfs() { # suite
  local suite=$1 started image=${rootfs_image[$1]} tarball=${rootfs_tar[$1]}
  have_image "$image" && return 0
  if [[ ! -f $tarball ]]; then
    build_rootfs_tar "$suite"
  fi
  started=$(now_ms)
  docker import --change "LABEL $hash_label=${rootfs_hash[$suite]}" "$tarball" "$image" >/dev/null
  say "imported $image from $tarball in $(since "$started")"
}

# --- stand-in images ------------------------------------------------------------------------

std_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# The thin layer's image settings, as in the official image: sets CHANGES and STOP_SIGNAL
# (docker commit cannot change the stop signal: it is set on the container committed).
image_settings() { # name version
  local name=$1 version=$2
  STOP_SIGNAL=''
  case $name in
    postgres)
      local pgdata=/var/lib/postgresql/data
      # From 18 on the official image keeps the cluster where pg_ctlcluster would.
      if ((version >= 18)); then pgdata=/var/lib/postgresql/$version/docker; fi
      CHANGES=("ENV PATH=/usr/lib/postgresql/$version/bin:$std_path" 'ENV LANG=C.UTF-8'
        "ENV PG_MAJOR=$version" "ENV PGDATA=$pgdata" 'ENTRYPOINT ["docker-entrypoint.sh"]'
        'CMD ["postgres"]' 'EXPOSE 5432')
      STOP_SIGNAL=SIGINT
      ;;
    mariadb)
      CHANGES=("ENV PATH=$std_path" 'ENV LANG=C.UTF-8' 'ENTRYPOINT ["docker-entrypoint.sh"]'
        'CMD ["mariadbd"]' 'EXPOSE 3306')
      ;;
    mysql)
      CHANGES=("ENV PATH=$std_path" 'ENV LANG=C.UTF-8' "ENV MYSQL_MAJOR=$version"
        'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["mysqld"]' 'EXPOSE 3306 33060')
      ;;
    ryuk)
      # The label marks it as a reaper: testcontainers reuses a running one, and reapers spare it.
      CHANGES=("ENV PATH=$std_path" 'ENV LANG=C.UTF-8' 'CMD ["/usr/local/bin/ryuk"]' 'EXPOSE 8080'
        'LABEL org.testcontainers.ryuk=true')
      ;;
    *) die "no image settings for $name" ;;
  esac
}

# name version suite: sets HASH, TAG (name:version-<hash12>) and PLAIN (name:version) of the
# stand-in as this recipe builds it (Ryuk, without version: name:<hash12> both).
stand_in_names() {
  local name=$1 version=$2 suite=$3
  local -a inputs=("$images_dir/$name"/*)
  [[ $name == ryuk ]] || inputs+=("$images_dir/common"/*)
  HASH=$(hash_of "rootfs=${rootfs_hash[$suite]}" "$here/build-images.sh" "${inputs[@]}")
  if [[ -n $version ]]; then
    TAG=$prefix/$name:$version-${HASH:0:12}
    PLAIN=$prefix/$name:$version
  else
    TAG=$prefix/$name:${HASH:0:12}
    PLAIN=$TAG
  fi
}

up_to_date() { # tag hash
  [[ $(docker image inspect --format "{{index .Config.Labels \"$hash_label\"}}" "$1" 2>/dev/null) == "$2" ]]
}

# name version suite stands_in_for: builds $prefix/name:version from the suite's root
# filesystem and images/<name>/ (plus images/common/ for the databases), sets BUILT_IMAGE.
build_stand_in() {
  local name=$1 version=$2 suite=$3 stands_in_for=$4
  local hash tag plain started stage cid
  stand_in_names "$name" "$version" "$suite"
  hash=$HASH tag=$TAG plain=$PLAIN
  if up_to_date "$tag" "$hash"; then
    docker tag "$tag" "$plain"
    say "$plain is up to date ($tag)"
    BUILT_IMAGE=$plain
    return 0
  fi

  ensure_rootfs "$suite"
  started=$(now_ms)
  image_settings "$name" "$version"
  stage=$(mktemp -d)
  chmod 755 "$stage"
  case $name in
    postgres | mariadb | mysql)
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
  cid=$(docker create ${STOP_SIGNAL:+--stop-signal "$STOP_SIGNAL"} "${rootfs_image[$suite]}" /bin/true)
  # Top-level entries only: a "." entry would reset the mode of the image's /.
  (cd "$stage" && tar --owner=0 --group=0 --numeric-owner -c -- *) | docker cp - "$cid:/"
  local -a changes=()
  local change
  for change in "${CHANGES[@]}" "LABEL $hash_label=$hash" \
    "LABEL org.migration-gate.stand-in-for=$stands_in_for"; do
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

# The stand-ins to build: official image unavailable and no image of this recipe yet.
started=$(now_ms)
declare -A needs_rootfs=()
for line in "${images[@]}"; do
  read -r key official name version suite <<<"$line"
  [[ ${use_official[$official]} != true ]] || continue
  [[ $version != - ]] || version=''
  stand_in_names "$name" "$version" "$suite"
  if ! up_to_date "$TAG" "$HASH" && ! have_image "${rootfs_image[$suite]}"; then
    needs_rootfs[$suite]=1
  fi
done

# Their suites' root filesystems, all at once: debootstrap and apt mostly wait on the mirror
# and on dpkg's disk writes, so on a cold machine three suites take little longer than one.
if ((${#needs_rootfs[@]} > 0)); then
  for suite in "${!needs_rootfs[@]}"; do
    if [[ ! -f ${rootfs_tar[$suite]} && ! -f ${base_tar[$suite]} ]]; then
      ensure_debootstrap
      break
    fi
  done
  declare -A rootfs_pids=()
  for suite in "${!needs_rootfs[@]}"; do
    (
      trap cleanup_work EXIT
      ensure_rootfs "$suite"
    ) &
    rootfs_pids[$suite]=$!
  done
  failed=''
  for suite in "${!rootfs_pids[@]}"; do
    wait "${rootfs_pids[$suite]}" || failed+=" $suite"
  done
  [[ -z $failed ]] || die "building the root filesystem failed for:$failed"
  say "root filesystems ready in $(since "$started")"
fi

lines=()
for line in "${images[@]}"; do
  read -r key official name version suite <<<"$line"
  if [[ ${use_official[$official]} == true ]]; then
    lines+=("$key=$official")
    continue
  fi
  [[ $version != - ]] || version=''
  stands_in_for=$official
  # MySQL 9.7 is the one Oracle MySQL Debian has: it serves for the tool's default mysql:8.4
  # and for mysql:9 alike.
  [[ $name != mysql ]] || stands_in_for=$official,mysql:9
  build_stand_in "$name" "$version" "$suite" "$stands_in_for"
  lines+=("$key=$BUILT_IMAGE")
done

# Root filesystems and cached tarballs of other recipes: each is hundreds of MB. The current
# ones of every suite stay, built this run or not. (docker rmi only untags an old root
# filesystem that images still build on; its layers go with the last of them.)
declare -A current=()
for suite in "${suites[@]}"; do
  current[${rootfs_image[$suite]}]=1 current[${rootfs_tar[$suite]}]=1 current[${base_tar[$suite]}]=1
done
while read -r old; do
  [[ -z ${current[$old]:-} ]] || continue
  if docker rmi "$old" >/dev/null 2>&1; then say "removed the outdated $old"; fi
done < <(docker image ls --format '{{.Repository}}:{{.Tag}}' "$prefix/rootfs")
for old in "$cache_dir"/rootfs-*.tar "$cache_dir"/debootstrap-*.tar; do
  [[ -e $old && -z ${current[$old]:-} ]] || continue
  rm -f "$old" && say "removed the outdated cache $old"
done
say "images ready in $(since "$started")"

if [[ -n $env_file ]]; then
  {
    echo "# Written by test/docker/build-images.sh on $(date -u +%FT%TZ)."
    printf '%s\n' "${lines[@]}"
  } >"$env_file.tmp"
  mv "$env_file.tmp" "$env_file"
  say "wrote $env_file"
fi
printf '%s\n' "${lines[@]}"
