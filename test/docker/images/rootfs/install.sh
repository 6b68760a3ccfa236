#!/bin/sh
# Runs inside a chroot of a fresh `debootstrap --variant=minbase bookworm` tree (build-images.sh
# mounts /proc and copies resolv.conf). Installs every package the stand-in images need into
# this one root filesystem: the images differ only by a thin layer (entrypoint, ENV, CMD), so a
# change to an entrypoint rebuilds in seconds and the engines share one image layer on disk.
# Packages are installed here, on the host's network, because containers may not reach the
# Debian mirror.
set -eu

export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
mirror=${MIRROR:-http://deb.debian.org/debian}
security_mirror=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}

# Security updates too: the host's own servers come from bookworm-security.
cat >/etc/apt/sources.list <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security_mirror bookworm-security main
EOF

# Package scripts must not start daemons inside the chroot.
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d

apt_install() {
  apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "$@"
}

apt-get update -q
# postgresql-15's postinst would create a "main" cluster; the entrypoint runs initdb itself, as
# the official image does, so switch that off before the server package is configured.
apt_install postgresql-common
sed -ri 's/^#?\s*(create_main_cluster)\s*=.*$/\1 = false/' /etc/postgresql-common/createcluster.conf
grep -q '^create_main_cluster = false' /etc/postgresql-common/createcluster.conf
# tzdata: Debian's Postgres reads the system zoneinfo; the MariaDB entrypoint loads it into the
# time zone tables like the official image. python3 runs the Ryuk stand-in.
apt_install postgresql-15 mariadb-server tzdata python3

# Postgres: the official image makes new clusters listen on all addresses (initdb copies this
# sample); its init-time server still gets listen_addresses='' on the command line.
sample=/usr/share/postgresql/15/postgresql.conf.sample
sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$sample"
grep -q "^listen_addresses = '\*'" "$sample"

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

# The package's postinst initialised a data directory with its own root account: the
# entrypoint must initialise from the container's environment instead.
rm -rf /var/lib/mysql/* /var/lib/postgresql/*
install -d -o postgres -g postgres -m 2777 /run/postgresql
install -d -o mysql -g mysql -m 755 /run/mysqld

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
