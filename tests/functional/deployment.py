"""A real multi-process minova deployment for functional tests.

Each Deployment gets its own RabbitMQ virtual host and its own database on
the real MariaDB or PostgreSQL server (or a SQLite file); by default the
machine's RabbitMQ and servers, or those given (the fault tests' own broker
and MariaDB, which they stop and restart: tests/functional/faults), writes one
minova.conf, runs ``minova-manage db sync`` and ``bootstrap``, and starts
minova-conductor, minova-scheduler, minova-api and N minova-compute as
separate OS processes (several conductors and schedulers if asked, each
with its own host name, all on the same virtual host and database). Nothing
here is mocked: a missing service makes the fixture fail, it is never
skipped.

A fault test acts on single processes by name (``kill``, ``restart``,
``terminate``) and reads what each one logged (``log_full``).

``address`` is where the api listens and where the computes download images
from (127.0.0.1 unless the deployment spans hosts: tests/functional/multihost
puts each compute in a network namespace of its own, through ``spawn``'s
``wrapper`` and ``env``).
"""

import configparser
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from http import client as http_client

import sqlalchemy as sa

BIN = os.path.dirname(sys.executable)

# The tests' own users (tools/run-tests.sh creates them), never a deployment's
# 'minova' or RabbitMQ's guest: the same names would meet a deployment's
# accounts on the same servers (tools/test-users-mariadb.sql says how).
MYSQL_URL = os.environ.get("MINOVA_TEST_MYSQL_URL",
                           "mysql+pymysql://minova_test:minova_test@127.0.0.1:3306")
PGSQL_URL = os.environ.get("MINOVA_TEST_PGSQL_URL",
                           "postgresql+psycopg://minova_test:minova_test@127.0.0.1:5432")
RABBIT = os.environ.get("MINOVA_TEST_RABBIT", "minova_test:minova_test@127.0.0.1:5672")
# The virtual host of RABBIT for what runs without a Deployment (which adds
# one of its own).
RABBIT_VHOST = os.environ.get("MINOVA_TEST_RABBIT_VHOST", "minova_test")
# Every database the tests create is named so: the tests' MariaDB user has
# privileges on this prefix only.
DATABASE_PREFIX = "minova_ft_"


def wait_for(predicate, timeout: float, interval: float = 0.1, message: str = "condition"):
    """Poll ``predicate`` until it returns a truthy value or the deadline passes."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message} (last: {last!r})")


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


class MachineBroker:
    """The machine's RabbitMQ (MINOVA_TEST_RABBIT), administered with its ``rabbitmqctl``.

    Deployment's ``broker`` may be anything with the same three members (the
    fault tests' own node: tests/functional/faults/services.py).
    """

    def __init__(self, address: str = RABBIT) -> None:
        self.address = address  # user:password@host:port

    def add_vhost(self, vhost: str) -> None:
        subprocess.run(["rabbitmqctl", "-q", "add_vhost", vhost], check=True,
                       capture_output=True)
        subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", vhost,
                        self.address.split(":")[0], ".*", ".*", ".*"], check=True,
                       capture_output=True)

    def delete_vhost(self, vhost: str) -> None:
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], capture_output=True)


class Database:
    """A throw-away database on one of the real servers."""

    def __init__(self, backend: str, tmp_path, mysql_url: str = MYSQL_URL) -> None:
        self.backend = backend
        self.name = DATABASE_PREFIX + uuid.uuid4().hex[:10]
        if backend == "mysql":
            # No database: the tests' user may not open any but its own.
            self.server_url = mysql_url + "/"
            self.url = f"{mysql_url}/{self.name}?charset=utf8mb4"
        elif backend == "postgresql":
            self.server_url = PGSQL_URL + "/postgres"
            self.url = f"{PGSQL_URL}/{self.name}"
        else:
            self.server_url = None
            self.url = f"sqlite:///{tmp_path}/{self.name}.sqlite"

    def create(self) -> None:
        if self.server_url:
            engine = sa.create_engine(self.server_url, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.exec_driver_sql(f"CREATE DATABASE {self.name}")
            engine.dispose()

    def drop(self) -> None:
        if self.server_url:
            engine = sa.create_engine(self.server_url, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                if self.backend == "postgresql":
                    conn.exec_driver_sql(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        f"WHERE datname = '{self.name}'")
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {self.name}")
            engine.dispose()

    def engine(self) -> sa.Engine:
        return sa.create_engine(self.url, poolclass=sa.pool.NullPool)


class Api:
    """A small JSON client for the compute API (http.client: what curl would send)."""

    def __init__(self, port: int, token: str = "admin:admin", host: str = "127.0.0.1") -> None:
        self.port, self.token, self.host = port, token, host

    def as_user(self, token: str) -> "Api":
        return Api(self.port, token, self.host)

    def request(self, method: str, path: str, body=None, headers: dict | None = None,
                raw: bytes | None = None):
        conn = http_client.HTTPConnection(self.host, self.port, timeout=60)
        sent = {"Accept": "application/json"}
        if self.token is not None:
            sent["X-Auth-Token"] = self.token
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        try:
            conn.request(method, path, body=data, headers=sent)
            resp = conn.getresponse()
            payload = resp.read()
        finally:
            conn.close()
        parsed = json.loads(payload) if payload and resp.getheader(
            "Content-Type", "").startswith("application/json") else payload
        return resp.status, parsed, {k.lower(): v for k, v in resp.getheaders()}

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    # conveniences built on Nova's API
    def create_server(self, name: str, flavor: str = "1", image: str | None = None) -> str:
        image = image or "70a599e0-31e7-49b7-b260-868f441e862b"
        status, body, headers = self.post(
            "/v2.1/servers", {"server": {"name": name, "flavorRef": flavor, "imageRef": image}})
        assert status == 202, (status, body)
        return body["server"]["id"]

    def server(self, server_id: str):
        status, body, _ = self.get(f"/v2.1/servers/{server_id}")
        return body["server"] if status == 200 else None

    def wait_for_status(self, server_id: str, statuses=("ACTIVE", "ERROR"),
                        timeout: float = 60) -> dict:
        return wait_for(lambda: (lambda s: s if s and s["status"] in statuses else None)(
            self.server(server_id)), timeout, message=f"server {server_id} in {statuses}")

    def wait_settled(self, server_id: str, status: str, timeout: float = 60) -> dict:
        """The server once it shows ``status`` with no task under way."""
        return wait_for(lambda: (lambda s: s if s and s["status"] == status and
                                 s["OS-EXT-STS:task_state"] is None else None)(
            self.server(server_id)), timeout, message=f"{server_id} {status}")

    def action(self, server_id: str, body: dict, **kw):
        """``POST /servers/{id}/action``: (status, body, headers)."""
        return self.post(f"/v2.1/servers/{server_id}/action", body, **kw)

    def action_events(self, server_id: str, action: str) -> list[tuple[str, str]]:
        """(event, result) of the server's newest ``action``, sorted."""
        actions = self.get(f"/v2.1/servers/{server_id}/os-instance-actions")[1][
            "instanceActions"]
        found = next(a for a in actions if a["action"] == action)
        events = self.get(f"/v2.1/servers/{server_id}/os-instance-actions/"
                          f"{found['request_id']}",
                          headers={"OpenStack-API-Version": "compute 2.51"})[1][
            "instanceAction"]["events"]
        return sorted((e["event"], e["result"]) for e in events)

    def upload_image(self, name: str, data: bytes = b"\0" * 4096, **properties) -> str:
        """A public raw image with ``data`` as its bytes; its id."""
        body = {"name": name, "disk_format": "raw", "container_format": "bare",
                "visibility": "public", **properties}
        status, image, _ = self.post("/image/v2/images", body)
        assert status == 201, image
        status, _, _ = self.request("PUT", f"/image/v2/images/{image['id']}/file", raw=data,
                                    headers={"Content-Type": "application/octet-stream"})
        assert status == 204
        return image["id"]

    def wait_for_gone(self, server_id: str, timeout: float = 60) -> None:
        wait_for(lambda: self.get(f"/v2.1/servers/{server_id}")[0] == 404, timeout,
                 message=f"server {server_id} gone")


class Deployment:
    def __init__(self, tmp_path, backend: str = "mysql", computes=("compute1", "compute2"),
                 concurrency: str = "threading", conf: dict | None = None,
                 compute_conf: dict | None = None, conductors: int = 1,
                 schedulers: int = 1, api_token: str = "admin:admin",
                 broker=None, mysql_url: str = MYSQL_URL, address: str = "127.0.0.1",
                 port: int | None = None) -> None:
        # api_token: what self.api (and start()'s readiness checks) send as
        # X-Auth-Token; an admin's Keystone token under auth_strategy=keystone.
        # broker: the RabbitMQ to use (MachineBroker's members); mysql_url:
        # the MariaDB server (no database) for backend="mysql"; address:
        # where the api listens (and the computes fetch images from), on port
        # (default: a free one).
        self.tmp_path = tmp_path
        self.broker = broker or MachineBroker()
        self.db = Database(backend, tmp_path, mysql_url=mysql_url)
        self.vhost = "minova_ft_" + uuid.uuid4().hex[:10]
        self.computes = list(computes)
        self.concurrency = concurrency
        self.extra_conf = conf or {}
        self.compute_conf = compute_conf or {}
        self.conductors, self.schedulers = conductors, schedulers
        self.address = address
        self.port = port or free_port(address)
        self.procs: dict[str, subprocess.Popen] = {}
        # name -> (binary, config file, wrapper command, extra environment)
        self.commands: dict[str, tuple[str, str, tuple, dict]] = {}
        self.api = Api(self.port, api_token, address)

    # --- configuration

    def _write_conf(self, path, overrides: dict) -> str:
        parser = configparser.ConfigParser(interpolation=None)
        base = {
            "DEFAULT": {
                "transport_url": f"rabbit://{self.broker.address}/{self.vhost}",
                "state_path": str(self.tmp_path / "state"),
                "osapi_compute_listen": self.address,
                "osapi_compute_listen_port": str(self.port),
                "report_interval": "1",
                "service_down_time": "6",
                "update_resources_interval": "2",
                "rpc_response_timeout": "30",
                "debug": "false",
            },
            "database": {"connection": self.db.url},
            # Tests of other things boot more than Nova's default quotas
            # allow one project (10 instances); test_quotas sets them back.
            "quota": {"instances": "-1", "cores": "-1", "ram": "-1",
                      "server_groups": "-1", "server_group_members": "-1"},
            # compute hosts download images from this deployment's api
            "glance": {"api_servers": self.image_endpoint},
        }
        for section, values in list(self.extra_conf.items()) + list(overrides.items()):
            base.setdefault(section, {}).update({k: str(v) for k, v in values.items()})
        for section, values in base.items():
            if section != "DEFAULT":
                parser.add_section(section)
            for key, value in values.items():
                parser.set(section, key, value)
        with open(path, "w") as handle:
            parser.write(handle)
        return str(path)

    @property
    def image_endpoint(self) -> str:
        """The api's image service, as a compute host's ``[glance] api_servers``."""
        return f"http://{self.address}:{self.port}/image"

    def _run(self, *args: str) -> str:
        result = subprocess.run([os.path.join(BIN, args[0]), "--config-file", self.conf_file,
                                 *args[1:]], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr + result.stdout
        return result.stdout

    def manage(self, *args: str) -> str:
        """Run ``minova-manage`` against this deployment; its standard output."""
        return self._run("minova-manage", *args)

    def spawn(self, name: str, binary: str, conf_file: str, log_mode: str = "w",
              wrapper: tuple = (), env: dict | None = None) -> subprocess.Popen:
        """Start one service process. ``wrapper`` goes before its command (``ip netns
        exec NS``: another host's network), ``env`` over this process's environment."""
        full_env = dict(os.environ, MINOVA_CONCURRENCY=self.concurrency, **(env or {}))
        with open(self.tmp_path / f"{name}.log", log_mode) as log:
            proc = subprocess.Popen(
                [*wrapper, os.path.join(BIN, binary), "--config-file", conf_file],
                stdout=log, stderr=subprocess.STDOUT, env=full_env)
        self.procs[name] = proc
        self.commands[name] = (binary, conf_file, tuple(wrapper), dict(env or {}))
        return proc

    def start_compute(self, host: str) -> subprocess.Popen:
        conf = dict(self.compute_conf.get(host, {}))
        default = dict(conf.pop("DEFAULT", {}))
        default["host"] = host
        conf_file = self._write_conf(self.tmp_path / f"{host}.conf",
                                     {"DEFAULT": default, **conf})
        return self.spawn(host, "minova-compute", conf_file)

    def start_control(self, kind: str, binary: str, count: int) -> list[str]:
        """Start ``count`` processes of a control service; their names.

        One keeps the deployment's config and the name ``kind``; with more,
        each is also its own host (``kind``, ``kind2``, ...), as separate
        machines would be.
        """
        if count == 1:
            self.spawn(kind, binary, self.conf_file)
            return [kind]
        names = [kind if i == 0 else f"{kind}{i + 1}" for i in range(count)]
        for name in names:
            conf_file = self._write_conf(self.tmp_path / f"{name}.conf",
                                         {"DEFAULT": {"host": name}})
            self.spawn(name, binary, conf_file)
        return names

    # --- life

    def start(self) -> "Deployment":
        self.broker.add_vhost(self.vhost)
        self.db.create()
        self.conf_file = self._write_conf(self.tmp_path / "minova.conf", {})
        self._run("minova-manage", "db", "sync")
        self._run("minova-manage", "bootstrap")
        self.start_control("conductor", "minova-conductor", self.conductors)
        self.start_control("scheduler", "minova-scheduler", self.schedulers)
        self.spawn("api", "minova-api", self.conf_file)
        for host in self.computes:
            self.start_compute(host)
        wait_for(self._api_answers, 60, message="minova-api to answer")
        self.wait_for_hypervisors_up(self.computes)
        return self

    def _api_answers(self) -> bool:
        self.check_alive()
        try:
            return self.api.get("/")[0] == 200
        except OSError:
            return False

    def check_alive(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None and not getattr(proc, "killed_on_purpose", False):
                raise AssertionError(f"{name} exited with {proc.returncode}:\n" + self.log(name))

    def wait_for_hypervisors_up(self, hosts, timeout: float = 60) -> None:
        def ready():
            self.check_alive()
            status, body, _ = self.api.get("/v2.1/os-hypervisors")
            if status != 200:
                return False
            up = {h["hypervisor_hostname"] for h in body["hypervisors"] if h["state"] == "up"}
            return set(hosts) <= up
        wait_for(ready, timeout, message=f"hypervisors {hosts} up")

    def log(self, name: str) -> str:
        path = self.tmp_path / f"{name}.log"
        return path.read_text()[-6000:] if path.exists() else ""

    def log_full(self, name: str) -> str:
        return (self.tmp_path / f"{name}.log").read_text()

    def kill(self, name: str) -> None:
        """SIGKILL one process (as ``kill -9`` would) and reap it."""
        proc = self.procs[name]
        proc.killed_on_purpose = True
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def restart(self, name: str) -> subprocess.Popen:
        """Start a process that was killed or stopped again, with the same binary and
        config file; its log goes on in the same file, after a marker line."""
        proc = self.procs[name]
        assert proc.poll() is not None, f"{name} is still running"
        with open(self.tmp_path / f"{name}.log", "a") as log:
            log.write(f"==== restarted by the test at {time.time():.3f}\n")
        binary, conf_file, wrapper, env = self.commands[name]
        return self.spawn(name, binary, conf_file, log_mode="a", wrapper=wrapper, env=env)

    def terminate(self, name: str, timeout: float = 30) -> float | None:
        """SIGTERM one process; the seconds it took to exit, or None if it had not
        exited after ``timeout`` (it is then SIGKILLed)."""
        return self.terminate_all([name], timeout)[name]

    def terminate_all(self, names=None, timeout: float = 30) -> dict:
        """SIGTERM the named running processes (default: all) at the same moment, as
        ``systemctl stop`` of every unit would; ``{name: seconds to exit, or None for
        one that had not exited after timeout and was SIGKILLed}``."""
        names = [n for n in (names or self.procs) if self.procs[n].poll() is None]
        for name in names:
            self.procs[name].killed_on_purpose = True
        start = time.monotonic()
        for name in names:
            self.procs[name].send_signal(signal.SIGTERM)
        exited: dict = {}
        while len(exited) < len(names) and time.monotonic() - start < timeout:
            for name in names:
                if name not in exited and self.procs[name].poll() is not None:
                    exited[name] = time.monotonic() - start
            time.sleep(0.02)
        for name in names:
            if name not in exited:
                self.procs[name].kill()
                self.procs[name].wait(10)
                exited[name] = None
        return exited

    def running(self, name: str) -> bool:
        return self.procs[name].poll() is None

    def stop(self) -> dict:
        """SIGTERM every process at once (each stops gracefully on its own);
        returns the exit codes, None for a process killed on purpose."""
        codes = {}
        running = {n: p for n, p in self.procs.items() if p.poll() is None}
        for proc in running.values():
            proc.send_signal(signal.SIGTERM)
        for name, proc in self.procs.items():
            if getattr(proc, "killed_on_purpose", False):
                codes[name] = None
                continue
            try:
                codes[name] = proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                codes[name] = "killed after SIGTERM timeout"
        return codes

    def cleanup(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
        self.broker.delete_vhost(self.vhost)
        self.db.drop()

    def table_counts(self) -> dict:
        engine = self.db.engine()
        try:
            with engine.connect() as conn:
                tables = sa.inspect(conn).get_table_names()
                return {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar()
                        for t in tables if t != "alembic_version"}
        finally:
            engine.dispose()

    def query(self, sql: str, **params) -> list:
        engine = self.db.engine()
        try:
            with engine.connect() as conn:
                return list(conn.execute(sa.text(sql), params))
        finally:
            engine.dispose()
