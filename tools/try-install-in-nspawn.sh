#!/usr/bin/env bash
# Try tools/install.sh on a real systemd: boot a Debian 12 tree in
# systemd-nspawn, install minova in it with --role all, boot a server through
# the API, check every service runs as the minova user, stop them, uninstall.
# Run as root on a Debian host; prints each step, exits 0 when all passed.
#
#   tools/try-install-in-nspawn.sh [--tree DIR] [--mirror URL]
#
# The tree (default /var/tmp/minova-nspawn/bookworm.tree, ~1 GiB) is made
# once with debootstrap and kept: systemd, MariaDB and RabbitMQ from
# Debian's packages. The container has no network of its own
# (--private-network: its MariaDB and RabbitMQ listen on its own loopback,
# never the host's), so what install.sh would fetch from PyPI is built into
# wheels on the host first (/var/cache/minova-wheels inside the tree) and
# installed with PIP_NO_INDEX. The checkout is bind-mounted read-only at /src.
# On this kind of machine (itself a container, no systemd as PID 1, no
# D-Bus) nspawn needs --register=no and --keep-unit: there is no
# systemd-machined to register with, nor a systemd to make a scope.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
tree=/var/tmp/minova-nspawn/bookworm.tree
mirror=http://deb.debian.org/debian
while [ $# -gt 0 ]; do
  case $1 in
    --tree) tree=$2; shift 2 ;;
    --mirror) mirror=$2; shift 2 ;;
    *) echo "usage: $0 [--tree DIR] [--mirror URL]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }

step() { printf '\n== %s\n' "$*"; }
wheels=$tree/var/cache/minova-wheels
nspawn=(systemd-nspawn -q --register=no --keep-unit -D "$tree")

for tool in systemd-nspawn:systemd-container debootstrap:debootstrap; do
  command -v "${tool%%:*}" >/dev/null || {
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${tool##*:}"; }
done

if [ ! -e "$tree/.minova-base" ]; then
  step "debootstrap bookworm into $tree"
  rm -rf -- "$tree"
  mkdir -p "$(dirname "$tree")"
  debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,dbus,python3,python3-venv,ca-certificates,curl,iproute2,procps \
    bookworm "$tree" "$mirror"
  touch "$tree/.minova-base"
fi
if [ ! -e "$tree/.minova-packages" ]; then
  step "MariaDB and RabbitMQ into the tree (not started: policy-rc.d says no)"
  printf '#!/bin/sh\nexit 101\n' >"$tree/usr/sbin/policy-rc.d"
  chmod +x "$tree/usr/sbin/policy-rc.d"
  "${nspawn[@]}" -E DEBIAN_FRONTEND=noninteractive sh -c \
    'apt-get update -q && apt-get install -y -q --no-install-recommends mariadb-server rabbitmq-server && apt-get clean'
  rm -f "$tree/usr/sbin/policy-rc.d"
  touch "$tree/.minova-packages"
fi

step "wheels of minova and its dependencies, built on the host"
wheelenv=$(dirname "$tree")/wheelenv
[ -x "$wheelenv/bin/pip" ] || /usr/bin/python3 -m venv "$wheelenv"
build=$(mktemp -d)
booted=
cleanup() {
  rm -rf -- "$build"
  if [ -n "$booted" ] && kill -0 "$booted" 2>/dev/null; then
    kill -TERM "$booted"   # nspawn asks the container's systemd to halt
    wait "$booted" || true
  fi
}
trap cleanup EXIT
tar -C "$src" --exclude=./.git --exclude=./.venv --exclude=./build --exclude='*.egg-info' \
    --exclude=__pycache__ -cf - . | tar -C "$build" -xf -
mkdir -p "$wheels"
rm -f "$wheels"/minova-*.whl
"$wheelenv/bin/pip" wheel -q --disable-pip-version-check --find-links "$wheels" \
    -w "$wheels" "$build" "setuptools>=68" wheel 2>&1 | grep -v '^WARNING: Location' || true
ls "$wheels"/minova-*.whl >/dev/null

step "boot the tree (systemd as PID 1, private network)"
log=$(dirname "$tree")/boot.log
"${nspawn[@]}" --private-network --bind-ro="$src:/src" --boot >"$log" 2>&1 &
booted=$!
leader=
deadline=$((SECONDS + 60))
until leader=$(pgrep -P "$booted" | head -1) && [ -n "$leader" ]; do
  [ "$SECONDS" -lt "$deadline" ] || { cat "$log"; exit 1; }
  sleep 0.2
done
inside() { nsenter -t "$leader" -a "$@"; }
state=
until case $state in running|degraded) true ;; *) false ;; esac; do
  [ "$SECONDS" -lt "$deadline" ] || { cat "$log"; exit 1; }
  sleep 0.5
  state=$(inside systemctl is-system-running 2>/dev/null || true)
done
echo "systemd in the container: $state"
inside systemctl is-active mariadb rabbitmq-server

if inside test -e /opt/minova/minova-install.record; then
  step "a previous try left an install: uninstall it first"
  inside /src/tools/install.sh --uninstall --drop-database --purge
fi

step "tools/install.sh --role all inside"
inside env PIP_NO_INDEX=1 PIP_FIND_LINKS=/var/cache/minova-wheels /src/tools/install.sh \
    --role all --create-local-database --transport-url 'rabbit://guest:guest@127.0.0.1:5672/' \
    --virt-driver fake
inside systemctl is-active minova-api minova-conductor minova-scheduler minova-compute

step "boot a server through the API"
inside bash -s <<'EOF'
set -euo pipefail
API=http://127.0.0.1:8774/v2.1
T='X-Auth-Token: demo:demo'
A='X-Auth-Token: admin:admin'
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
poll() {  # poll SECONDS WHAT COMMAND...: until COMMAND succeeds
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "timed out waiting for $what" >&2; return 1; }
    sleep 0.5
  done
}
poll 60 "the api" curl -sf -o /dev/null "$API"
hypervisors() { [ "$(curl -s -H "$A" "$API/os-hypervisors" | json 'len(d["hypervisors"])')" -ge 1 ]; }
poll 60 "the compute host" hypervisors
image=$(curl -s -H "$T" "$API/images" | json 'd["images"][0]["id"]')
body=$(python3 -c 'import json,sys; print(json.dumps({"server": {"name": "vm1", "flavorRef": "1", "imageRef": sys.argv[1]}}))' "$image")
server=$(curl -s -H "$T" -H 'Content-Type: application/json' "$API/servers" -d "$body" | json 'd["server"]["id"]')
settled() { status=$(curl -s -H "$T" "$API/servers/$server" | json 'd["server"]["status"]'); [ "$status" != BUILD ]; }
poll 60 "the server to leave BUILD" settled
echo "server $server: $status"
[ "$status" = ACTIVE ]
users=$(ps -o user= -C minova-api,minova-conducto,minova-schedule,minova-compute | sort -u)
echo "services run as: $users"
[ "$users" = minova ]
EOF

step "systemctl reload and stop"
inside systemctl reload minova-api
inside systemctl stop minova-api minova-conductor minova-scheduler minova-compute
for unit in minova-api minova-conductor minova-scheduler minova-compute; do
  result=$(inside systemctl show -P Result "$unit")
  echo "$unit stopped: $result"
  [ "$result" = success ]
done

step "tools/install.sh --uninstall --drop-database --purge"
inside /src/tools/install.sh --uninstall --drop-database --purge
if inside sh -c 'ls /etc/systemd/system/minova-* /opt/minova /etc/minova /var/lib/minova 2>/dev/null; getent passwd minova' | grep .; then
  echo "left behind after --uninstall (above)" >&2
  exit 1
fi
step "all passed"
