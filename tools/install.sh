#!/usr/bin/env bash
# Install minova on a Debian host, from the checkout this script is in, as
# systemd services. Run as root; idempotent (a second run with the same
# choices changes nothing; with other choices it applies them).
#
#   controller:  tools/install.sh --role controller --create-local-database \
#                    --transport-url rabbit://minova:PASS@10.0.0.10:5672/ --my-ip 10.0.0.10
#   compute:     tools/install.sh --role compute --virt-driver libvirt \
#                    --transport-url rabbit://minova:PASS@10.0.0.10:5672/ \
#                    --image-endpoint http://10.0.0.10:8774/image
#   remove:      tools/install.sh --uninstall [--drop-database] [--purge]
#
# What it does:
#  * installs the Debian packages it needs that are missing (python3-venv;
#    for --virt-driver libvirt QEMU, libvirt and what building libvirt-python
#    takes; for --create-local-database mariadb-server);
#  * makes a virtualenv in /opt/minova and pip-installs this source tree into
#    it (and, for a libvirt compute, the libvirt-python release matching the
#    system's libvirt);
#  * creates the system user and group 'minova' (a compute's user also joins
#    the libvirt and kvm groups: that is how it reaches qemu:///system and
#    /dev/kvm without being root);
#  * makes /var/lib/minova (state_path) and /var/log/minova (log_dir),
#    owned by that user;
#  * writes /etc/minova/minova.conf (root:minova 0640: it holds passwords)
#    from the options below, merged into the file if there is one;
#  * with --create-local-database, creates the MariaDB database 'minova' and
#    user 'minova' with a generated password, privileges on minova.* only;
#  * on a controller, runs 'minova-manage db sync' and 'minova-manage
#    bootstrap' (standard flavors, the stand-in image) as that user;
#  * installs the role's systemd units in /etc/systemd/system, then
#    daemon-reload, enable and (re)start them; not when systemd is not
#    PID 1 (a container) or with --no-start.
#
# --uninstall removes what the install made, as recorded in
# /opt/minova/minova-install.record: the units (stopped and disabled first),
# /opt/minova, /etc/minova if the install created it, the user and group if
# it created them; the database only with --drop-database; /var/lib/minova
# and /var/log/minova (guest disks, images, logs) only with --purge.
#
# --prefix, --etc-dir, --unit-dir, --state-dir, --log-dir, --user, --db-name
# and --db-user choose other places and names (the tests install into a
# temporary directory with them). Secrets never pass through a shell command:
# the config is written by tools/install/config_file.py and the database
# made by tools/install/local_database.py, given everything as arguments.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")

role=
database_url=
create_local_database=0
transport_url=
my_ip=
host_name=
image_endpoint=
virt_driver=
virt_type=
prefix=/opt/minova
etc_dir=/etc/minova
unit_dir=/etc/systemd/system
state_dir=/var/lib/minova
log_dir=/var/log/minova
user=minova
db_name=minova
db_user=minova
no_start=0
uninstall=0
drop_database=0
purge=0

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
  cat <<'EOF'
Options:
  --role controller|compute|all   which services this host runs (install)
  --database-url URL              [database] connection (controller, all)
  --create-local-database         make a MariaDB database and user here instead
  --transport-url URL             RabbitMQ URL (every role)
  --my-ip IP                      address of this host ([DEFAULT] my_ip: a compute
                                  reports it as its hypervisor's host_ip); on a
                                  controller the api listens on it too
  --host NAME                     this host's service name (default: hostname)
  --image-endpoint URL            image service compute hosts download from
                                  (compute; default for all: http://MY_IP:8774/image)
  --virt-driver fake|libvirt      compute's virt driver (default: libvirt)
  --virt-type kvm|qemu            libvirt domain type (default: kvm if /dev/kvm exists)
  --no-start                      install the units, do not enable or start them
  --uninstall [--drop-database] [--purge]
  --prefix DIR --etc-dir DIR --unit-dir DIR --state-dir DIR --log-dir DIR
  --user NAME --db-name NAME --db-user NAME
EOF
}

die() { printf 'install.sh: %s\n' "$*" >&2; exit 2; }
say() { printf 'install.sh: %s\n' "$*"; }

while [ $# -gt 0 ]; do
  opt=$1; shift
  case $opt in
    --create-local-database) create_local_database=1; continue ;;
    --no-start) no_start=1; continue ;;
    --uninstall) uninstall=1; continue ;;
    --drop-database) drop_database=1; continue ;;
    --purge) purge=1; continue ;;
    -h|--help) usage; exit 0 ;;
  esac
  [ $# -gt 0 ] || die "$opt needs a value"
  value=$1; shift
  case $opt in
    --role) role=$value ;;
    --database-url) database_url=$value ;;
    --transport-url) transport_url=$value ;;
    --my-ip) my_ip=$value ;;
    --host) host_name=$value ;;
    --image-endpoint) image_endpoint=$value ;;
    --virt-driver) virt_driver=$value ;;
    --virt-type) virt_type=$value ;;
    --prefix) prefix=$value ;;
    --etc-dir) etc_dir=$value ;;
    --unit-dir) unit_dir=$value ;;
    --state-dir) state_dir=$value ;;
    --log-dir) log_dir=$value ;;
    --user) user=$value ;;
    --db-name) db_name=$value ;;
    --db-user) db_user=$value ;;
    *) die "unknown option $opt (--help lists them)" ;;
  esac
done

for path_var in prefix etc_dir unit_dir state_dir log_dir; do
  case ${!path_var} in /?*) ;; *) die "--${path_var//_/-} must be an absolute path" ;; esac
done
[[ $user =~ ^[a-z_][a-z0-9_-]{0,30}$ ]] || die "--user: a lower-case system user name"
[ "$(id -u)" = 0 ] || die "run as root"

record=$prefix/minova-install.record
conf=$etc_dir/minova.conf
py=$prefix/bin/python
systemd_running() { [ -d /run/systemd/system ]; }

# The record: one KEY=VALUE a line, read back without sourcing it.
record_get() {
  [ -f "$record" ] || return 1
  local key value
  while IFS='=' read -r key value; do
    if [ "$key" = "$1" ]; then printf '%s\n' "$value"; return 0; fi
  done <"$record"
  return 1
}
record_set() {
  record_get "$1" >/dev/null 2>&1 || printf '%s=%s\n' "$1" "$2" >>"$record"
}

# ---------------------------------------------------------------- uninstall
if [ "$uninstall" = 1 ]; then
  if [ ! -f "$record" ]; then
    say "nothing installed at $prefix (no $record): nothing to remove"
    exit 0
  fi
  read -r -a units <<<"$(record_get units || true)"
  if systemd_running && [ "${#units[@]}" -gt 0 ]; then
    systemctl disable --now "${units[@]}" || true
  fi
  for unit in "${units[@]}"; do
    rm -f "$unit_dir/$unit"
  done
  [ "${#units[@]}" -eq 0 ] || say "removed units ${units[*]} from $unit_dir"
  if systemd_running; then systemctl daemon-reload; fi
  if [ "$drop_database" = 1 ]; then
    if made_db=$(record_get database); then
      read -r made_name made_user <<<"$made_db"
      "$py" "$here/install/local_database.py" drop --name "$made_name" --user "$made_user"
    else
      say "--drop-database: the install made no database (it was given --database-url): kept"
    fi
  fi
  created_etc=$(record_get created_etc_dir || true)
  created_user=$(record_get created_user || true)
  created_state=$(record_get created_state_dirs || true)
  rm -rf -- "$prefix"
  say "removed $prefix"
  if [ "$created_etc" = 1 ]; then
    rm -rf -- "$etc_dir"
    say "removed $etc_dir"
  elif [ -e "$etc_dir" ]; then
    say "kept $etc_dir: it was there before the install"
  fi
  if [ "$purge" = 1 ] && [ "$created_state" = 1 ]; then
    rm -rf -- "$state_dir" "$log_dir"
    say "removed $state_dir and $log_dir"
  elif [ -e "$state_dir" ] || [ -e "$log_dir" ]; then
    say "kept $state_dir and $log_dir (guest disks, images, logs): --purge removes them"
  fi
  if [ "$created_user" = 1 ] && getent passwd "$user" >/dev/null; then
    userdel "$user"
    getent group "$user" >/dev/null && groupdel "$user"
    say "removed user and group $user"
  fi
  exit 0
fi

# ---------------------------------------------------------------- choices
case $role in
  controller) services=(api conductor scheduler) ;;
  compute) services=(compute) ;;
  all) services=(api conductor scheduler compute) ;;
  "") die "--role controller|compute|all is required" ;;
  *) die "--role: controller, compute or all, not $role" ;;
esac
is_controller=0; is_compute=0
[ "$role" = compute ] || is_controller=1
[ "$role" = controller ] || is_compute=1
[ -n "$transport_url" ] || die "--transport-url is required (rabbit://USER:PASS@HOST:5672/)"
if [ "$is_controller" = 1 ]; then
  if [ -n "$database_url" ] && [ "$create_local_database" = 1 ]; then
    die "--database-url or --create-local-database, not both"
  fi
  if [ -z "$database_url" ] && [ "$create_local_database" = 0 ] \
      && ! "$py" "$here/install/config_file.py" "$conf" get database connection >/dev/null 2>&1; then
    die "a controller needs --database-url URL or --create-local-database"
  fi
elif [ -n "$database_url" ] || [ "$create_local_database" = 1 ]; then
  die "a compute host has no database (only the conductor opens it)"
fi
if [ "$is_compute" = 1 ]; then
  virt_driver=${virt_driver:-libvirt}
  case $virt_driver in fake|libvirt) ;; *) die "--virt-driver: fake or libvirt" ;; esac
  if [ -z "$image_endpoint" ]; then
    [ "$role" = all ] || die "a compute host needs --image-endpoint http://API_HOST:8774/image"
    image_endpoint=http://${my_ip:-127.0.0.1}:8774/image
  fi
  if [ "$virt_driver" = libvirt ] && [ -z "$virt_type" ]; then
    if [ -c /dev/kvm ]; then virt_type=kvm; else virt_type=qemu; fi
  fi
  case ${virt_type:-kvm} in kvm|qemu) ;; *) die "--virt-type: kvm or qemu" ;; esac
elif [ -n "$image_endpoint$virt_driver$virt_type" ]; then
  die "--image-endpoint, --virt-driver and --virt-type are for compute hosts"
fi
host_name=${host_name:-$(hostname)}

# ---------------------------------------------------------------- packages
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
wanted=(python3-venv)
[ "$create_local_database" = 0 ] || wanted+=(mariadb-server)
if [ "$is_compute" = 1 ] && [ "$virt_driver" = libvirt ]; then
  wanted+=(libvirt-daemon-system qemu-system-x86 qemu-utils libvirt-dev pkg-config gcc python3-dev)
fi
missing=()
for pkg in "${wanted[@]}"; do installed "$pkg" || missing+=("$pkg"); done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# ---------------------------------------------------------------- virtualenv
if [ ! -x "$py" ]; then
  mkdir -p "$prefix"
  /usr/bin/python3 -m venv "$prefix"
  say "made the virtualenv $prefix"
fi
touch "$record"
# pip builds in the tree it is given: build from a copy, leaving the checkout as it is.
build=$(mktemp -d)
trap 'rm -rf -- "$build"' EXIT
tar -C "$src" --exclude=./.git --exclude=./.venv --exclude=./build --exclude='*.egg-info' \
    --exclude=__pycache__ -cf - . | tar -C "$build" -xf -
pip_args=("$build")
if [ "$is_compute" = 1 ] && [ "$virt_driver" = libvirt ]; then
  # libvirt-python has no wheels: it compiles against the system's libvirt-dev.
  pip_args+=("libvirt-python==$(pkg-config --modversion libvirt)")
fi
"$prefix/bin/pip" install -q --disable-pip-version-check "${pip_args[@]}"
say "installed minova $("$prefix/bin/minova-manage" --version 2>&1) into $prefix"

# ---------------------------------------------------------------- user
if ! getent passwd "$user" >/dev/null; then
  useradd --system --user-group --home-dir "$state_dir" --no-create-home \
          --shell /usr/sbin/nologin --comment "minova services" "$user"
  record_set created_user 1
  say "created the system user and group $user"
fi
if [ "$is_compute" = 1 ]; then
  for group in libvirt kvm; do
    if getent group "$group" >/dev/null; then
      if ! id -nG "$user" | tr ' ' '\n' | grep -qx "$group"; then
        usermod -a -G "$group" "$user"
        say "added $user to the $group group"
      fi
    elif [ "$virt_driver" = libvirt ]; then
      say "warning: no $group group on this host: $user cannot use it"
    fi
  done
fi

runuser -u "$user" -- test -x "$prefix/bin/python" \
  || die "user $user cannot reach $prefix/bin/python: a directory above it is closed to it"

# ---------------------------------------------------------------- directories
if [ ! -d "$etc_dir" ]; then
  record_set created_etc_dir 1
fi
install -d -m 0750 -o root -g "$user" "$etc_dir"
if [ ! -d "$state_dir" ] || [ ! -d "$log_dir" ]; then
  record_set created_state_dirs 1
fi
# state_dir 0755 like StateDirectory=: QEMU (another user) must reach the guests under it.
install -d -m 0755 -o "$user" -g "$user" "$state_dir"
install -d -m 0750 -o "$user" -g "$user" "$log_dir"

# ---------------------------------------------------------------- minova.conf
settings=(
  DEFAULT transport_url "$transport_url"
  DEFAULT host "$host_name"
  DEFAULT state_path "$state_dir"
  DEFAULT log_dir "$log_dir"
)
[ -z "$my_ip" ] || settings+=(DEFAULT my_ip "$my_ip")
if [ "$is_controller" = 1 ]; then
  [ -z "$my_ip" ] || settings+=(DEFAULT osapi_compute_listen "$my_ip")
  [ -z "$database_url" ] || settings+=(database connection "$database_url")
fi
if [ "$is_compute" = 1 ]; then
  settings+=(glance api_servers "$image_endpoint")
  if [ "$virt_driver" = libvirt ]; then
    settings+=(DEFAULT compute_driver libvirt.LibvirtDriver
               libvirt connection_uri qemu:///system
               libvirt virt_type "$virt_type")
  else
    settings+=(DEFAULT compute_driver fake.FakeDriver)
  fi
fi
"$py" "$here/install/config_file.py" "$conf" set --group "$user" "${settings[@]}"
say "wrote $conf"

# ---------------------------------------------------------------- database
as_user() { (cd / && runuser -u "$user" -- "$@"); }
if [ "$is_controller" = 1 ]; then
  if [ "$create_local_database" = 1 ]; then
    "$py" "$here/install/local_database.py" create --config "$conf" \
        --name "$db_name" --user "$db_user" --group "$user"
    record_set database "$db_name $db_user"
  fi
  as_user "$prefix/bin/minova-manage" --config-file "$conf" db sync
  as_user "$prefix/bin/minova-manage" --config-file "$conf" bootstrap
fi

# ---------------------------------------------------------------- units
units=()
for svc in "${services[@]}"; do
  unit=minova-$svc.service
  units+=("$unit")
  "$py" "$here/install/unit_file.py" "$src/etc/systemd/$unit" "$unit_dir/$unit" \
      --prefix "$prefix" --config "$conf" --user "$user" \
      --state-dir "$state_dir" --log-dir "$log_dir"
done
# A role changed since the last run: the other role's units go.
read -r -a before <<<"$(record_get units || true)"
for unit in "${before[@]}"; do
  [[ " ${units[*]} " == *" $unit "* ]] && continue
  if systemd_running; then systemctl disable --now "$unit" || true; fi
  rm -f "$unit_dir/$unit"
  say "removed $unit (not a $role service)"
done
sed -i '/^units=/d' "$record"
record_set units "${units[*]}"
say "installed ${units[*]} into $unit_dir"

if [ "$no_start" = 1 ]; then
  say "--no-start: not enabling or starting ${units[*]}"
elif ! systemd_running; then
  say "systemd is not running as PID 1 here (a container?): ${units[*]} were" \
      "installed but not enabled or started; run the services by hand, or boot systemd"
else
  systemctl daemon-reload
  systemctl enable "${units[@]}"
  systemctl restart "${units[@]}"
  say "enabled and (re)started ${units[*]}"
fi
