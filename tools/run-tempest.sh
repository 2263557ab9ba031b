#!/usr/bin/env bash
# Run OpenStack's own conformance suite, Tempest's compute API tests, against
# minova (tools/run-tests.sh calls it last, so CI runs it).
#
# Installs Tempest and Keystone from PyPI, each in its own virtualenv under
# ~/.cache/minova-tempest (or $MINOVA_TEMPEST_HOME: outside the checkout, so
# that a fresh clone, as CI's, finds them; reinstalled only when the pinned
# versions change), then tools/tempest/run.py brings up a real
# Keystone on MariaDB and minova (api, conductor, scheduler, two fake-driver
# computes) on the machine's RabbitMQ and MariaDB with names of their own,
# registers the compute and image endpoints in Keystone's catalog, runs
# `tempest run --regex '^tempest\.api\.compute\.'` with max_microversion =
# latest and again with the microversion options unset, and fails on any
# failure not listed in tools/tempest/expected-failures.txt. Each run's
# tempest.conf, output and logs are left under .tempest/run/.
#
# Expects what tools/run-tests.sh sets up: RabbitMQ and MariaDB running,
# minova's .venv. Arguments go to tools/tempest/run.py (e.g. --runs latest,
# --regex '^tempest\.api\.compute\.flavors').
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPEST_VERSION=47.0.0
KEYSTONE_VERSION=30.0.0
if [ -n "${MINOVA_TEMPEST_HOME:-}" ]; then home=$MINOVA_TEMPEST_HOME
elif [ -n "${XDG_CACHE_HOME:-}${HOME:-}" ]; then
  home=${XDG_CACHE_HOME:-$HOME/.cache}/minova-tempest
else home=$PWD/.tempest  # no home directory: kept with the checkout
fi

venv() {  # venv DIR STAMP PACKAGE...: a virtualenv with PACKAGEs, unless DIR has STAMP
  local dir=$1 stamp=$2; shift 2
  if [ "$(cat "$dir/.minova-stamp" 2>/dev/null)" != "$stamp" ]; then
    printf '\n== installing %s in %s\n' "$*" "$dir"
    rm -rf "$dir"
    python3 -m venv "$dir"
    # --no-compile: only what is imported gets compiled, when it is
    "$dir/bin/pip" install -q --disable-pip-version-check --no-compile "$@"
    echo "$stamp" >"$dir/.minova-stamp"
  fi
}

mkdir -p "$home"
# Both at once: most of an install is waiting for the index.
venv "$home/tempest-venv" "tempest==$TEMPEST_VERSION" "tempest==$TEMPEST_VERSION" &
tempest_install=$!
# PyMySQL: Keystone's database is MariaDB.
venv "$home/keystone-venv" "keystone==$KEYSTONE_VERSION" \
  "keystone==$KEYSTONE_VERSION" PyMySQL
wait "$tempest_install"

[ -x .venv/bin/minova-api ] || { echo "no .venv: run tools/run-tests.sh first" >&2; exit 2; }

# run.py tears the cloud down itself on every way out it sees; it runs in a
# process group of its own so that, should it die without doing so (SIGKILL),
# whatever it started goes with it.
setsid env PYTHONPATH="$PWD" .venv/bin/python tools/tempest/run.py --venvs "$home" \
  --workdir "$PWD/.tempest/run" "$@" &
runner=$!
stop_runner() { kill -TERM -- "-$runner" 2>/dev/null || true; wait "$runner" 2>/dev/null || true; }
trap stop_runner EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
status=0
wait "$runner" || status=$?
kill -TERM -- "-$runner" 2>/dev/null || true  # leftovers of a runner that died
trap - EXIT
exit "$status"
