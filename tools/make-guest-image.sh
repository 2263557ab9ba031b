#!/usr/bin/env bash
# Build minova's tiny test guest from Debian packages only:
#
#   tools/make-guest-image.sh DIR
#
#   DIR/vmlinuz     the Debian cloud kernel (linux-image-cloud-amd64's dependency)
#   DIR/initrd.img  busybox-static plus the evdev and button modules of that kernel;
#                   its /init mounts proc/sys/dev, starts acpid (the power button
#                   powers the guest off, so ACPI shutdown and reboot work), prints
#                   MINOVA-GUEST-READY on /dev/ttyS0 and stays up
#   DIR/disk.raw    a 1 MiB raw disk: the "root disk" of the AMI-style image
#
# Boot it with the kernel command line "console=ttyS0" and at least 80 MiB of
# memory (128 MiB is what the tests use). Needs no network but the Debian
# package mirrors. Idempotent: when DIR already has all three files and they
# are newer than this script, it does nothing. Concurrent runs on the same DIR
# are serialised with a lock.
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
script=$(readlink -f "$0")
mkdir -p "$1"
out=$(cd "$1" && pwd)
outputs=("$out/vmlinuz" "$out/initrd.img" "$out/disk.raw")
marker=MINOVA-GUEST-READY

say() { printf 'make-guest-image: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

up_to_date() {
  local f
  for f in "${outputs[@]}"; do [ -s "$f" ] && [ "$f" -nt "$script" ] || return 1; done
}

print_paths() { printf '%s\n' "${outputs[@]}"; }

exec 9>"$out/.lock"
flock 9
if up_to_date; then
  say "up to date in $out"
  print_paths
  exit 0
fi

# --- tools -------------------------------------------------------------------
missing=()
for pkg in busybox-static cpio xz-utils; do installed "$pkg" || missing+=("$pkg"); done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

# --- kernel ------------------------------------------------------------------
kernel_package() {
  apt-cache depends linux-image-cloud-amd64 2>/dev/null \
    | awk '$1 == "Depends:" && $2 ~ /^linux-image-.*-cloud-amd64$/ { print $2; exit }'
}
kpkg=$(kernel_package)
if [ -z "$kpkg" ]; then
  as_root apt-get update -q
  kpkg=$(kernel_package)
fi
[ -n "$kpkg" ] || { say "cannot find the package linux-image-cloud-amd64 depends on"; exit 1; }
say "kernel package: $kpkg"

mkdir "$work/deb"
# apt's sandbox user must be able to write the download directory.
if [ "$(id -u)" = 0 ] && getent passwd _apt >/dev/null; then chown _apt "$work/deb"; fi
(cd "$work/deb" && apt-get download -q "$kpkg" >&2)
dpkg-deb -x "$work"/deb/"$kpkg"_*.deb "$work/kernel"
kver=$(basename "$(find "$work/kernel/lib/modules" -mindepth 1 -maxdepth 1 -type d | head -1)")
moddir="$work/kernel/lib/modules/$kver"
[ -f "$work/kernel/boot/vmlinuz-$kver" ] || { say "no boot/vmlinuz-$kver in $kpkg"; exit 1; }

# --- initramfs -----------------------------------------------------------------
root="$work/initramfs"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc/acpi,lib/modules}
cp /bin/busybox "$root/bin/busybox"

# Modules: find one by name (a module's name uses '_' where its file may use '-').
module_file() {
  local name=${1//-/_} f base
  while IFS= read -r f; do
    base=$(basename "$f"); base=${base%%.ko*}
    if [ "${base//-/_}" = "$name" ]; then printf '%s\n' "$f"; return 0; fi
  done < <(find "$moddir" -name '*.ko*')
  return 1
}

# Copy a module, uncompressed (busybox insmod loads plain .ko), and note its
# load order: dependencies (from its .modinfo "depends=") first.
load_order=()
add_module() {
  local name=${1//-/_} src plain dep deps
  for dep in "${load_order[@]}"; do [ "$dep" = "$name" ] && return 0; done
  src=$(module_file "$name") || { say "module $name not in $kpkg"; exit 1; }
  plain="$root/lib/modules/$name.ko"
  case "$src" in
    *.ko.xz) xz -dc "$src" >"$plain" ;;
    *.ko.zst) zstd -qdc "$src" >"$plain" ;;
    *.ko.gz) gzip -dc "$src" >"$plain" ;;
    *.ko) cp "$src" "$plain" ;;
    *) say "unknown module format: $src"; exit 1 ;;
  esac
  deps=$(tr '\0' '\n' <"$plain" | sed -n 's/^depends=//p' | head -1)
  for dep in ${deps//,/ }; do add_module "$dep"; done
  load_order+=("$name")
}
add_module evdev
add_module button
say "modules: ${load_order[*]}"

# busybox acpid: on the power button event, run /etc/acpi/power.
cat >"$root/etc/acpid.conf" <<'EOF'
PWRF power
PWRB power
EOF
cat >"$root/etc/acpi/power" <<'EOF'
#!/bin/busybox sh
echo "minova guest: power button, powering off" >/dev/ttyS0
/bin/busybox sync
exec /bin/busybox poweroff -f
EOF
chmod 755 "$root/etc/acpi/power"

cat >"$root/init" <<EOF
#!/bin/busybox sh
# minova's tiny test guest (tools/make-guest-image.sh).
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
export PATH=/bin
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
for m in ${load_order[*]}; do insmod /lib/modules/\$m.ko || echo "minova guest: insmod \$m failed"; done
acpid -f -c /etc/acpi -a /etc/acpid.conf -l /tmp/acpid.log &
acpid_pid=\$!
# ACPI events that come before acpid has opened the input devices are lost:
# announce readiness only once it has them open (or after 5 s).
tries=0
while [ \$tries -lt 100 ] && ! ls -l /proc/\$acpid_pid/fd 2>/dev/null | grep -q /dev/input/event; do
  usleep 50000
  tries=\$((tries + 1))
done
echo "$marker" >/dev/ttyS0
while :; do sleep 3600; done
EOF
chmod 755 "$root/init"

(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) \
  | gzip -9n >"$work/initrd.img"

# --- root disk -----------------------------------------------------------------
truncate -s 1M "$work/disk.raw"

# --- install into DIR ------------------------------------------------------------
cp "$work/kernel/boot/vmlinuz-$kver" "$work/vmlinuz"
for f in vmlinuz initrd.img disk.raw; do
  touch "$work/$f"
  mv -f "$work/$f" "$out/$f.new"
  mv -f "$out/$f.new" "$out/$f"
done
say "built from $kpkg ($kver) in $out"
print_paths
