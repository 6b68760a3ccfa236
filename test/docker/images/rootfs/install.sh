#!/bin/sh
# Runs inside a chroot of a fresh `debootstrap --variant=minbase $SUITE` tree (build-images.sh
# mounts /proc and copies resolv.conf). Installs every package the stand-in images of that suite
# need into this one root filesystem: the images differ only by a thin layer (entrypoint, ENV,
# CMD), so a change to an entrypoint rebuilds in seconds and the engines of a suite share one
# image layer on disk. Packages are installed here, on the host's network, because containers
# may not reach the Debian mirror.
#   bookworm: postgresql-15, mariadb-server 10.11, python3 (the Ryuk stand-in)
#   trixie:   postgresql-17, mariadb-server 11.8
#   sid:      postgresql-18, Oracle MySQL 9.7 (mysql-server-core; bookworm and trixie have none)
set -eu

export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
suite=${SUITE:?SUITE is required}
mirror=${MIRROR:-http://deb.debian.org/debian}
security_mirror=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}

case $suite in
  bookworm) packages='postgresql-15 mariadb-server python3' ;;
  trixie) packages='postgresql-17 mariadb-server' ;;
  # mysql-server-core/-client-core, not mysql-server: that one pulls systemd's sysusers and a
  # postinst that initialises /var/lib/mysql, which the entrypoint must do from the container's
  # environment instead. mysql-common gives /etc/mysql and the clients' config.
  sid) packages='postgresql-18 mysql-server-core mysql-client-core mysql-common' ;;
  *)
    echo "install.sh: no package list for suite $suite" >&2
    exit 1
    ;;
esac

if [ "$suite" = sid ]; then
  # sid has no -updates or -security suite. The mirror's sid Release file is past its
  # Valid-Until date (a frozen mirror): apt would refuse it as expired, so that check is off in
  # this root (the signature is still checked).
  echo "deb $mirror sid main" >/etc/apt/sources.list
  echo 'Acquire::Check-Valid-Until "false";' >/etc/apt/apt.conf.d/99no-check-valid-until
else
  # Security updates too: the host's own servers come from the -security suite.
  cat >/etc/apt/sources.list <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main
EOF
fi

# Package scripts must not start daemons inside the chroot.
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d

apt_install() {
  apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "$@"
}

apt-get update -q
# postgresql-NN's postinst would create a "main" cluster; the entrypoint runs initdb itself, as
# the official image does, so switch that off before the server package is configured.
apt_install postgresql-common
sed -ri 's/^#?\s*(create_main_cluster)\s*=.*$/\1 = false/' /etc/postgresql-common/createcluster.conf
grep -q '^create_main_cluster = false' /etc/postgresql-common/createcluster.conf
# tzdata: Debian's Postgres reads the system zoneinfo; the MariaDB and MySQL entrypoints load it
# into the time zone tables like the official images.
# shellcheck disable=SC2086 # a word list
apt_install $packages tzdata

# Postgres: the official image makes new clusters listen on all addresses (initdb copies this
# sample); its init-time server still gets listen_addresses='' on the command line.
for sample in /usr/share/postgresql/*/postgresql.conf.sample; do
  sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$sample"
  grep -q "^listen_addresses = '\*'" "$sample"
done

if [ -d /etc/mysql/mariadb.conf.d ]; then
  # MariaDB: Debian binds 127.0.0.1, which a published port cannot reach; the official image
  # also skips reverse DNS lookups of clients (slow or hanging without DNS).
  sed -i 's/^\s*bind-address/#&/' /etc/mysql/mariadb.conf.d/50-server.cnf
  cat >/etc/mysql/mariadb.conf.d/05-skipcache.cnf <<'EOF'
[mariadb]
host-cache-size=0
skip-name-resolve
EOF
  # Also as there: files mounted into /etc/mysql/conf.d are read last, so they override.
  sed -i -e '\|^!includedir /etc/mysql/conf.d/$|d' \
    -e 's|^!includedir /etc/mysql/mariadb.conf.d/$|&\n!includedir /etc/mysql/conf.d/|' /etc/mysql/mariadb.cnf
  grep -A1 '^!includedir /etc/mysql/mariadb.conf.d/$' /etc/mysql/mariadb.cnf | grep -q '/etc/mysql/conf.d/'
fi

case " $packages " in *' mysql-server-core '*)
  # Oracle MySQL: without mysql-server nobody created the mysql account. The server's
  # compiled-in defaults already listen on all addresses and log to stderr, as the official
  # image's server does.
  groupadd --system mysql
  useradd --system --gid mysql --home-dir /var/lib/mysql --no-create-home \
    --shell /usr/sbin/nologin mysql
  # The official image's /etc/my.cnf, as /etc/mysql/my.cnf (a regular file instead of the
  # alternatives link to my.cnf.fallback): mounted files in conf.d are read last and override.
  rm -f /etc/mysql/my.cnf
  cat >/etc/mysql/my.cnf <<'EOF'
[mysqld]
host-cache-size=0
skip-name-resolve
datadir=/var/lib/mysql
socket=/var/run/mysqld/mysqld.sock
secure-file-priv=/var/lib/mysql-files
user=mysql
pid-file=/var/run/mysqld/mysqld.pid

[client]
socket=/var/run/mysqld/mysqld.sock

!includedir /etc/mysql/conf.d/
EOF
  # The server refuses to start while its --secure-file-priv directory is missing.
  install -d -o mysql -g mysql -m 750 /var/lib/mysql-files
  ;;
esac

# The package's postinst initialised a data directory with its own root account: the
# entrypoint must initialise from the container's environment instead.
rm -rf /var/lib/mysql/* /var/lib/postgresql/*
install -d -o postgres -g postgres -m 2777 /run/postgresql
if getent passwd mysql >/dev/null; then install -d -o mysql -g mysql -m 755 /run/mysqld /var/lib/mysql; fi

# Smaller image, faster `docker import`: apt caches, documentation, message translations (the
# servers run with LANG=C.UTF-8) and locale sources (no locale is generated) are not needed.
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old \
  /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/i18n/* /var/log/*.log /var/log/apt/*
find /usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
rm -f /usr/sbin/policy-rc.d
# Docker provides these per container; the host's values must not leak into the image.
: >/etc/resolv.conf
: >/etc/machine-id 2>/dev/null || true
