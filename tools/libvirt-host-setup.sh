#!/usr/bin/env bash
# Make this machine a libvirt/QEMU host for minova's libvirt tests. Idempotent;
# run as root (it re-runs itself with sudo otherwise).
#
#  * installs what is missing of QEMU, libvirt and what building libvirt-python
#    and the tiny test guest need (apt-get update first when installing);
#  * writes the qemu.conf settings this kind of machine needs (a marked block;
#    the same keys elsewhere in the file are commented out), only if the
#    settings in force differ from them;
#  * lets the kvm group use /dev/kvm when it exists (what udev does on a normal
#    host; without it libvirt re-probes QEMU on every domain start: ~44 s each);
#  * turns off autostart of libvirt's "default" NAT network (needs dnsmasq and
#    iptables, which the tests do not use);
#  * starts virtlogd and libvirtd if none is running. Without systemd,
#    libvirtd runs under tools/subreaper.py, which reaps the QEMU processes as
#    soon as they exit (destroy takes 0.2 s instead of 1.2-1.8 s). A daemon
#    that is already running (libvirtd or virtqemud) is left alone. The one
#    exception: this run had to change qemu.conf, which a daemon reads only
#    when it starts, and the daemon can be restarted as it was started
#    (systemd's unit, or one this script started under the reaper). Any other
#    running daemon is never stopped: the script says that it needs a restart;
#  * waits until `virsh -c qemu:///system version` answers.
#
# Prints what it did. Exit status 0 means qemu:///system is answering.
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then exec sudo -n bash "$0" "$@"; fi
  echo "libvirt-host-setup: must run as root" >&2
  exit 1
fi

here=$(cd "$(dirname "$0")" && pwd)
uri=qemu:///system
qemu_conf=/etc/libvirt/qemu.conf
reaper_pidfile=/run/minova-subreaper.pid
reaper_log=/var/log/libvirt/minova-subreaper.log
python=/usr/bin/python3; [ -x "$python" ] || python=python3

# One run at a time (pytest-xdist workers may each run it). Daemons started
# below must not inherit the lock's descriptor, or they would hold it forever.
exec 9>/run/minova-libvirt-host-setup.lock
flock 9

say() { printf 'libvirt-host-setup: %s\n' "$*"; }
did=()
note() { did+=("$*"); say "$*"; }

wait_until() {  # wait_until SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then say "timed out after $1 s waiting for $what" >&2; return 1; fi
    sleep 0.2
  done
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
pid_alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
systemd_running() { [ -d /run/systemd/system ]; }
virsh_answers() { virsh -c "$uri" version >/dev/null 2>&1; }

# --- packages --------------------------------------------------------------
wanted=(qemu-system-x86 qemu-utils libvirt-daemon-system libvirt-dev pkg-config
        busybox-static cpio xz-utils gcc)
missing=()
for pkg in "${wanted[@]}"; do installed "$pkg" || missing+=("$pkg"); done
# libvirt-python compiles against the headers of the Python that builds it.
if [ -x /usr/bin/python3 ] && ! /usr/bin/python3 -c \
    'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
    2>/dev/null; then
  missing+=(python3-dev)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  note "installing ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
else
  say "packages already installed"
fi

# --- qemu.conf -------------------------------------------------------------
begin='# BEGIN minova settings (tools/libvirt-host-setup.sh)'
end='# END minova settings'
keys='user|group|dynamic_ownership|remember_owner|security_driver|namespaces'
settings='user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
namespaces = [ ]'
# The settings of our keys in force in a qemu.conf: each active assignment,
# blanks and comments removed, sorted. The file is left as it is when these
# are already ours, wherever and however they are written (by an earlier run
# or by the host's administrator): rewriting it would count as a change and
# restart the daemon.
in_force() {
  awk -v keys="^[[:space:]]*($keys)[[:space:]]*=" '
    $0 ~ keys { sub(/#.*/, ""); gsub(/[[:space:]]/, ""); print }' "$1" | sort
}
new_conf=$(mktemp)
trap 'rm -f "$new_conf"' EXIT
{
  # Everything but our block, with any active setting of our keys commented
  # out (a list written over several lines, up to its closing bracket).
  awk -v begin="$begin" -v end="$end" -v keys="^[[:space:]]*($keys)[[:space:]]*=" '
    $0 == begin { skip = 1; next }
    $0 == end { skip = 0; next }
    skip { next }
    in_list { print "#minova# " $0; if ($0 ~ /\]/) in_list = 0; next }
    $0 ~ keys { print "#minova# " $0; if ($0 ~ /\[/ && $0 !~ /\]/) in_list = 1; next }
    { print }' "$qemu_conf"
  cat <<EOF
$begin
# QEMU runs as root with no DAC relabelling, no security driver and no private
# mount namespace: what works inside a container, and what the tests expect.
$settings
$end
EOF
} >"$new_conf"
conf_changed=0
if [ "$(in_force "$qemu_conf")" = "$(printf '%s\n' "$settings" | in_force /dev/stdin)" ]; then
  say "qemu.conf already has the settings, left as it is"
else
  before=$(in_force "$qemu_conf" | tr '\n' ' ')
  cat "$new_conf" >"$qemu_conf"
  conf_changed=1
  note "wrote the minova settings into $qemu_conf (in force before: ${before:-the defaults})"
fi

# --- /dev/kvm ----------------------------------------------------------------
if [ -c /dev/kvm ]; then
  getent group kvm >/dev/null || groupadd --system kvm
  if [ "$(stat -c '%G %a' /dev/kvm)" != "kvm 660" ]; then
    chgrp kvm /dev/kvm
    chmod 660 /dev/kvm
    note "made /dev/kvm root:kvm 0660"
  else
    say "/dev/kvm already root:kvm 0660"
  fi
else
  say "no /dev/kvm (guests will run under TCG)"
fi

# --- default network: no autostart ------------------------------------------
if [ -e /etc/libvirt/qemu/networks/autostart/default.xml ] \
    || [ -L /etc/libvirt/qemu/networks/autostart/default.xml ]; then
  rm -f /etc/libvirt/qemu/networks/autostart/default.xml
  note "turned off autostart of the default network"
fi

# --- daemons ----------------------------------------------------------------
start_libvirtd_under_reaper() {
  mkdir -p "$(dirname "$reaper_log")"
  "$python" "$here/subreaper.py" --detach --pidfile "$reaper_pidfile" --log "$reaper_log" \
    -- libvirtd -d </dev/null >/dev/null 2>&1 9>&-
  # libvirtd -d returns once it is ready, but it is the reaper that waits for it.
  wait_until 30 "libvirtd to write its pid file" pid_alive /run/libvirtd.pid
}

# The running daemon that serves qemu:///system, if any: the monolithic
# libvirtd, or virtqemud of the modular daemons (never start a second one).
daemon_pid() {
  if pid_alive /run/libvirtd.pid; then cat /run/libvirtd.pid; return; fi
  pgrep -x libvirtd | head -1 | grep . || pgrep -x virtqemud | head -1 | grep .
}
# Whether pid $1 is a libvirtd this script started (a child of its reaper),
# which it can restart as it started it.
ours() { pid_alive "$reaper_pidfile" && [ "$(ps -o ppid= -p "$1" | tr -d ' ')" = "$(cat "$reaper_pidfile")" ]; }

if systemd_running; then
  # systemd restarts its unit as it started it: the daemon applies qemu.conf.
  if [ "$conf_changed" = 1 ] && systemctl -q is-active libvirtd.service; then
    systemctl restart libvirtd.service 9>&-
    note "restarted libvirtd (systemd) to apply the qemu.conf just written"
  elif ! virsh_answers; then
    systemctl start virtlogd.socket libvirtd.service 9>&-
    note "started libvirtd (systemd)"
  else
    say "libvirtd already running (systemd), left alone"
  fi
else
  if pid_alive /run/virtlogd.pid || pgrep -x virtlogd >/dev/null; then
    say "virtlogd already running"
  else
    virtlogd -d </dev/null >/dev/null 2>&1 9>&-
    note "started virtlogd"
  fi
  pid=$(daemon_pid || true)
  if [ -n "$pid" ] && [ "$conf_changed" = 1 ] && ours "$pid"; then
    # Ours, and it has not read the qemu.conf just written: start it again,
    # the same way.
    kill -TERM "$pid"
    wait_until 30 "libvirtd (pid $pid) to stop" bash -c "! kill -0 $pid"
    start_libvirtd_under_reaper
    note "restarted libvirtd (pid $pid, started by this script) to apply qemu.conf: now pid $(cat /run/libvirtd.pid)"
  elif [ -n "$pid" ] && [ "$conf_changed" = 1 ]; then
    # Someone else's: we do not know how to start it again as it was started
    # (its options, its environment), and it may be serving guests. Left
    # running; the settings apply from its next start.
    note "left $(ps -o comm= -p "$pid") (pid $pid, not started by this script) running: it applies the qemu.conf just written only once restarted"
  elif [ -n "$pid" ] || virsh_answers; then
    say "libvirt daemon already running (pid ${pid:-?}), left alone"
  else
    start_libvirtd_under_reaper
    note "started libvirtd (pid $(cat /run/libvirtd.pid)) under tools/subreaper.py (pid $(cat "$reaper_pidfile" 2>/dev/null || echo '?'))"
  fi
fi

if ! wait_until 60 "$uri to answer" virsh_answers; then
  virsh -c "$uri" version || true
  tail -n 30 /var/log/libvirt/libvirtd.log 2>/dev/null || true
  tail -n 30 "$reaper_log" 2>/dev/null || true
  exit 1
fi

# A daemon that was already running may still autostart the default network.
if virsh -c "$uri" net-list --autostart --name 2>/dev/null | grep -qx default; then
  virsh -c "$uri" net-autostart default --disable >/dev/null
  note "turned off autostart of the default network"
fi

say "$uri answers: $(virsh -c "$uri" version 2>/dev/null | grep -i 'running hypervisor' | sed 's/^ *//')"
if [ "${#did[@]}" -eq 0 ]; then
  say "nothing to do: the host was already set up"
fi
