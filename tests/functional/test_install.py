"""tools/install.sh, run for real: venv, user, config, database, units; twice; then uninstalled.

Everything goes into a temporary directory (--prefix, --etc-dir, --unit-dir,
--state-dir, --log-dir) under names of its own (--user, --db-name,
--db-user), so the machine's real /opt/minova, /etc/minova, the test
suite's database user and anything else stay untouched; --no-start because
systemd is not PID 1 here (tools/try-install-in-nspawn.sh covers a booted
systemd). It needs root (useradd) and the machine's MariaDB, reached as
root over its socket as the installer does.
"""

import configparser
import grp
import os
import pathlib
import pwd
import shutil
import stat
import subprocess
import tempfile
import uuid

import pymysql
import pytest
import sqlalchemy as sa

import minova

ROOT = pathlib.Path(__file__).resolve().parents[2]
INSTALL = ROOT / "tools" / "install.sh"
SERVICES = ("api", "conductor", "scheduler", "compute")



@pytest.fixture(autouse=True)
def _what_the_installer_needs():
    """Not a skip: CI runs as root beside a local MariaDB (tools/run-tests.sh),
    and a run without them must fail, saying which is missing."""
    assert os.geteuid() == 0, "install.sh runs as root"
    assert os.path.exists("/run/mysqld/mysqld.sock"), "no local MariaDB socket"


def _run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(["bash", str(INSTALL), *args], capture_output=True, text=True,
                            timeout=900, stdin=subprocess.DEVNULL)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _mysql(sql: str, params: tuple = ()) -> list[tuple]:
    with pymysql.connect(unix_socket="/run/mysqld/mysqld.sock", user="root") as conn, \
            conn.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


@pytest.fixture
def layout():
    # Not pytest's tmp_path: its parents are 0700 and the service user must reach the venv.
    tmp_path = pathlib.Path(tempfile.mkdtemp(prefix="minova-install-test-", dir="/var/tmp"))
    tmp_path.chmod(0o755)
    suffix = uuid.uuid4().hex[:8]
    places = {
        "prefix": tmp_path / "opt" / "minova",
        "etc": tmp_path / "etc" / "minova",
        "units": tmp_path / "etc" / "systemd" / "system",
        "state": tmp_path / "var" / "lib" / "minova",
        "log": tmp_path / "var" / "log" / "minova",
        "user": f"mnv-it-{suffix}",
        "db": f"minova_it_{suffix}",
    }
    places["units"].mkdir(parents=True)
    places["args"] = [
        "--prefix", str(places["prefix"]), "--etc-dir", str(places["etc"]),
        "--unit-dir", str(places["units"]), "--state-dir", str(places["state"]),
        "--log-dir", str(places["log"]), "--user", places["user"],
        "--db-name", places["db"], "--db-user", places["db"],
    ]
    yield places
    # Whatever the test got to, leave no user or database behind.
    _run("--uninstall", "--drop-database", "--purge", *places["args"], check=False)
    if pwd_entry(places["user"]):
        subprocess.run(["userdel", places["user"]], check=False)
    _mysql(f"DROP DATABASE IF EXISTS `{places['db']}`")
    _mysql("DROP USER IF EXISTS %s@'localhost'", (places["db"],))
    shutil.rmtree(tmp_path)


def pwd_entry(name: str):
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def _snapshot(places) -> dict[str, bytes]:
    files = [places["etc"] / "minova.conf", *sorted(places["units"].glob("*.service"))]
    return {str(f): f.read_bytes() for f in files}


def test_install_all_roles_twice_then_uninstall(layout):
    install_args = ["--role", "all", "--create-local-database", "--virt-driver", "libvirt",
                    "--transport-url", "rabbit://guest:guest@127.0.0.1:5672/",
                    "--my-ip", "127.0.0.1", "--host", "it-host", "--no-start", *layout["args"]]
    first = _run(*install_args)
    assert "--no-start: not enabling or starting" in first.stdout

    prefix, user, db = layout["prefix"], layout["user"], layout["db"]
    # The venv works, from its own bin/.
    version = subprocess.run([str(prefix / "bin" / "minova-manage"), "--version"],
                             capture_output=True, text=True, check=True)
    assert (version.stdout + version.stderr).strip() == minova.__version__
    check_libvirt = subprocess.run([str(prefix / "bin" / "python"), "-c", "import libvirt"])
    assert check_libvirt.returncode == 0

    # The system user, and the groups that give a compute libvirt without root.
    entry = pwd_entry(user)
    assert entry is not None and entry.pw_shell == "/usr/sbin/nologin"
    groups = {g.gr_name for g in grp.getgrall() if user in g.gr_mem}
    for group in ("libvirt", "kvm"):
        if any(g.gr_name == group for g in grp.getgrall()):
            assert group in groups

    # minova.conf: what the command line said, readable by the services' group only.
    conf_path = layout["etc"] / "minova.conf"
    mode = conf_path.stat()
    assert stat.S_IMODE(mode.st_mode) == 0o640
    assert grp.getgrgid(mode.st_gid).gr_name == user
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(conf_path)
    defaults = conf["DEFAULT"]
    assert defaults["transport_url"] == "rabbit://guest:guest@127.0.0.1:5672/"
    assert defaults["host"] == "it-host"
    assert defaults["state_path"] == str(layout["state"])
    assert defaults["log_dir"] == str(layout["log"])
    assert defaults["osapi_compute_listen"] == "127.0.0.1"
    assert defaults["my_ip"] == "127.0.0.1"
    assert defaults["compute_driver"] == "libvirt.LibvirtDriver"
    assert conf["glance"]["api_servers"] == "http://127.0.0.1:8774/image"
    assert conf["libvirt"]["virt_type"] in ("kvm", "qemu")
    url = sa.engine.make_url(conf["database"]["connection"])
    assert (url.username, url.database) == (db, db)
    assert len(url.password) >= 24
    for path in (layout["state"], layout["log"]):
        assert pwd.getpwuid(path.stat().st_uid).pw_name == user

    # The database: migrated and seeded by the installer, its user granted on it alone.
    with sa.create_engine(url).connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM flavors")).scalar() == 5
    grants = " ".join(row[0] for row in _mysql("SHOW GRANTS FOR %s@'localhost'", (db,)))
    assert f"ON `{db}`.*" in grants
    assert "ON *.*" not in grants or "GRANT USAGE ON *.*" in grants
    assert "ALL PRIVILEGES ON *.*" not in grants

    # The role's units, pointing at this install, accepted by systemd.
    units = sorted(p.name for p in layout["units"].glob("*.service"))
    assert units == sorted(f"minova-{s}.service" for s in SERVICES)
    for name in SERVICES:
        text = (layout["units"] / f"minova-{name}.service").read_text().splitlines()
        assert (f"ExecStart={prefix}/bin/minova-{name} --config-file {conf_path}") in text
        assert f"User={user}" in text
    if shutil.which("systemd-analyze"):
        verify = subprocess.run(["systemd-analyze", "verify",
                                 *map(str, sorted(layout["units"].glob("*.service")))],
                                capture_output=True, text=True, timeout=60)
        assert verify.returncode == 0, verify.stdout + verify.stderr

    # Idempotent: a second run changes no file and keeps the password.
    before = _snapshot(layout)
    second = _run(*install_args)
    assert "created the system user" not in second.stdout
    assert "Flavors created: none (already there)" in second.stdout
    assert _snapshot(layout) == before

    # --uninstall: everything it made is gone, the database too with --drop-database.
    _run("--uninstall", "--drop-database", "--purge", *layout["args"])
    for path in (prefix, layout["etc"], layout["state"], layout["log"]):
        assert not path.exists(), path
    assert list(layout["units"].iterdir()) == []
    assert pwd_entry(user) is None
    assert _mysql("SHOW DATABASES LIKE %s", (db,)) == []
    assert _mysql("SELECT 1 FROM mysql.user WHERE User = %s", (db,)) == []
    again = _run("--uninstall", *layout["args"])
    assert "nothing to remove" in again.stdout


def test_compute_role_with_an_existing_etc_dir_keeps_it(layout):
    """A compute has no database; an /etc/minova that was there stays after --uninstall."""
    layout["etc"].mkdir(parents=True)
    (layout["etc"] / "policy.yaml").write_text("# the operator's\n")
    _run("--role", "compute", "--virt-driver", "fake", "--no-start",
         "--transport-url", "rabbit://guest:guest@10.0.0.10:5672/",
         "--image-endpoint", "http://10.0.0.10:8774/image", *layout["args"])
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(layout["etc"] / "minova.conf")
    assert conf["DEFAULT"]["compute_driver"] == "fake.FakeDriver"
    assert conf["glance"]["api_servers"] == "http://10.0.0.10:8774/image"
    assert not conf.has_section("database")
    assert [p.name for p in layout["units"].iterdir()] == ["minova-compute.service"]
    _run("--uninstall", *layout["args"])
    assert (layout["etc"] / "policy.yaml").read_text() == "# the operator's\n"
    assert not layout["prefix"].exists()
    assert pwd_entry(layout["user"]) is None


@pytest.mark.parametrize("args, message", [
    ([], "--role controller|compute|all is required"),
    (["--role", "compute", "--transport-url", "rabbit://h/"], "--image-endpoint"),
    (["--role", "controller", "--transport-url", "rabbit://h/"], "--database-url"),
    (["--role", "compute", "--transport-url", "rabbit://h/", "--create-local-database",
      "--image-endpoint", "http://h/image"], "no database"),
    (["--role", "all", "--database-url", "x", "--transport-url", "rabbit://h/",
      "--virt-driver", "xen"], "--virt-driver"),
    (["--role", "all", "--prefix", "relative"], "absolute path"),
])
def test_refuses_incomplete_choices_before_changing_anything(layout, args, message):
    result = _run(*layout["args"], *args, check=False)
    assert result.returncode == 2
    assert message in result.stderr
    assert not layout["prefix"].exists()
    assert pwd_entry(layout["user"]) is None
