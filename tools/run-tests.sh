#!/usr/bin/env bash
# Run minova's whole test suite on this machine, from nothing.
#
# Installs (idempotently) what the tests need: the Debian packages of
# RabbitMQ, MariaDB and PostgreSQL, starts them if they are not running,
# creates the 'minova' database user the functional tests connect as, sets
# the machine up as a libvirt/QEMU host (tools/libvirt-host-setup.sh), makes
# a virtualenv with minova and its libvirt and test dependencies (among them
# the 'keystone' package: the Keystone functional tests bootstrap and serve a
# real Keystone from it, on SQLite, nothing to install system-wide), then
# runs ruff and pytest. Extra arguments go to pytest (e.g. tools/run-tests.sh tests/unit).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

wait_until() {  # wait_until SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "timed out waiting for $what" >&2; return 1; fi
    sleep 0.5
  done
}

packages=()
have rabbitmq-server || packages+=(rabbitmq-server)
have mariadbd || [ -x /usr/sbin/mariadbd ] || packages+=(mariadb-server)
have pg_ctlcluster || packages+=(postgresql)
python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=(python3-venv)
if [ "${#packages[@]}" -gt 0 ]; then
  log "installing ${packages[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}"
fi

log "RabbitMQ"
if ! as_root rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
  as_root rabbitmq-server -detached
  wait_until 120 rabbitmq as_root rabbitmq-diagnostics -q ping
fi

log "MariaDB"
if ! as_root mysqladmin ping >/dev/null 2>&1; then
  as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_until 120 mariadb as_root mysqladmin ping
fi
as_root mysql -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'minova'@'%' IDENTIFIED BY 'minova';
CREATE USER IF NOT EXISTS 'minova'@'localhost' IDENTIFIED BY 'minova';
GRANT ALL PRIVILEGES ON *.* TO 'minova'@'%';
GRANT ALL PRIVILEGES ON *.* TO 'minova'@'localhost';
FLUSH PRIVILEGES;
SQL

log "PostgreSQL"
pg_version=$(ls /etc/postgresql | sort -n | tail -1)
if ! as_root pg_ctlcluster "$pg_version" main status >/dev/null 2>&1; then
  as_root pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start
fi
wait_until 60 postgresql as_root su postgres -c "psql -qAt -c 'select 1'"
as_root su postgres -c "psql -q" <<'SQL'
DO $$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'minova') THEN
    CREATE ROLE minova LOGIN PASSWORD 'minova' CREATEDB;
  END IF;
END$$;
SQL

log "libvirt"
# QEMU, libvirtd (started if not running) and libvirt-dev for libvirt-python.
as_root bash tools/libvirt-host-setup.sh

log "virtualenv"
[ -x .venv/bin/python ] || python3 -m venv .venv
# libvirt-python has no wheels: it compiles against the distribution's
# libvirt-dev, so take the release that matches it.
libvirt_python="libvirt-python==$(pkg-config --modversion libvirt)"
.venv/bin/pip install -q --disable-pip-version-check -e '.[libvirt,test]' "$libvirt_python"

log "ruff"
.venv/bin/ruff check minova tests tools

log "pytest"
exec .venv/bin/pytest -p no:cacheprovider "$@"
