#!/usr/bin/env bash
# Run minova's whole test suite on this machine, from nothing.
#
# Installs (idempotently) what the tests need: the Debian packages of
# RabbitMQ, MariaDB and PostgreSQL, starts them if they are not running,
# creates the user, role and virtual host the functional tests connect as
# (all named 'minova_test', so that they never meet a deployment's 'minova',
# which is left as it is), sets the machine up as a libvirt/QEMU host
# (tools/libvirt-host-setup.sh), makes a virtualenv with minova and its
# libvirt and test dependencies (among them the 'keystone' package: the
# Keystone functional tests bootstrap and serve a real Keystone from it, on
# SQLite, nothing to install system-wide), then runs ruff, pytest and, last,
# tools/run-tempest.sh. Extra arguments go to pytest (e.g. tools/run-tests.sh
# tests/unit).
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
have systemd-analyze || packages+=(systemd)  # verifies etc/systemd/'s units
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
# The tests' own user, not guest: each test deployment adds a virtual host of
# its own and gives this user (MINOVA_TEST_RABBIT) rights on it
# (tests/functional/deployment.py); the 'minova_test' vhost is for the tests
# that need one without a deployment. '/' and guest stay a deployment's.
if as_root rabbitmqctl -s list_users | cut -f1 | grep -qx minova_test; then
  as_root rabbitmqctl -q change_password minova_test minova_test
else
  as_root rabbitmqctl -q add_user minova_test minova_test
fi
if ! as_root rabbitmqctl -s list_vhosts name | grep -qx minova_test; then
  as_root rabbitmqctl -q add_vhost minova_test
fi
as_root rabbitmqctl -q set_permissions -p minova_test minova_test '.*' '.*' '.*'

log "MariaDB"
if ! as_root mysqladmin ping >/dev/null 2>&1; then
  as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_until 120 mariadb as_root mysqladmin ping
fi
as_root mysql -uroot <tools/test-users-mariadb.sql
# What the tests do first: connect over TCP to 127.0.0.1. Refused here, it
# would be refused in every functional test.
if ! mysql --no-defaults -h127.0.0.1 -P3306 -uminova_test -pminova_test -e 'SELECT 1' >/dev/null; then
  echo "MariaDB refuses minova_test@127.0.0.1 (see tools/test-users-mariadb.sql)" >&2
  exit 1
fi

log "PostgreSQL"
pg_version=$(ls /etc/postgresql | sort -n | tail -1)
if ! as_root pg_ctlcluster "$pg_version" main status >/dev/null 2>&1; then
  as_root pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start
fi
wait_until 60 postgresql as_root su postgres -c "psql -qAt -c 'select 1'"
as_root su postgres -c "psql -q -v ON_ERROR_STOP=1" <tools/test-users-postgresql.sql

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
status=0
.venv/bin/pytest -p no:cacheprovider "$@" || status=$?

# Tempest's compute API tests against a real Keystone and minova
# (MINOVA_SKIP_TEMPEST=1 for a developer's partial run; never in CI).
if [ "${MINOVA_SKIP_TEMPEST:-}" != 1 ]; then
  log "tempest"
  tools/run-tempest.sh || { [ "$status" != 0 ] || status=$?; }
fi
exit "$status"
