"""A RabbitMQ node and a MariaDB server of the fault tests' own.

The fault tests stop the broker and the database in the middle of a storm.
The machine's RabbitMQ (:5672) and MariaDB (:3306) serve other tests and
other people, so these tests start their own: their own ports, data
directories and (for RabbitMQ) node name and Erlang cookie, so that
stopping or restarting them disturbs nothing else. epmd is the one thing
shared with the machine's node; it is never stopped.

RabbitMQ runs from ``/usr/lib/rabbitmq/bin`` directly rather than through
Debian's ``/usr/sbin`` wrapper: the wrapper switches to the ``rabbitmq``
user, who cannot enter pytest's private (0700) temporary directories, and
its CLI would use the machine node's cookie. As root with ``HOME`` set to
the node's directory, the node and ``rabbitmqctl`` share a cookie of their
own.

Both listen on 127.0.0.1 unless given another ``address`` (the multi-host
tests' bridge, tests/functional/multihost): then the broker's clients log in
as a user of their own (``guest`` may only log in from loopback, as on any
RabbitMQ) and the database's user may connect from that address.
"""

import os
import pathlib
import signal
import socket
import subprocess

from tests.functional.deployment import free_port, wait_for

RABBIT_BIN = pathlib.Path("/usr/lib/rabbitmq/bin")
MARIADBD = "/usr/sbin/mariadbd"
START_TIMEOUT = 90.0


class RabbitNode:
    """A RabbitMQ node of its own: ``start``/``stop`` the node, ``stop_app``/``start_app``
    for a broker outage that keeps the node (what an operator's restart of the
    service looks like to clients: connections refused, then accepted again)."""

    def __init__(self, base: pathlib.Path, name: str = "minova_faults",
                 address: str = "127.0.0.1") -> None:
        self.base = pathlib.Path(base)
        self.nodename = f"{name}_{os.getpid()}@localhost"
        self.address_ip = address
        self.port = free_port(address)
        self.dist_port = free_port()
        # guest may only log in from loopback: another address needs a user.
        self.user, self.password = ("guest", "guest") if address == "127.0.0.1" \
            else ("minova", "minova-" + os.urandom(6).hex())
        self.app_running = False

    @property
    def address(self) -> str:
        """``user:password@host:port``, the form Deployment's ``rabbit`` takes."""
        return f"{self.user}:{self.password}@{self.address_ip}:{self.port}"

    def _env(self) -> dict:
        base = self.base
        return dict(
            os.environ,
            HOME=str(base),  # the node's and the CLI's Erlang cookie
            RABBITMQ_NODENAME=self.nodename,
            RABBITMQ_NODE_PORT=str(self.port),
            RABBITMQ_DIST_PORT=str(self.dist_port),
            RABBITMQ_NODE_IP_ADDRESS=self.address_ip,
            RABBITMQ_MNESIA_BASE=str(base / "mnesia"),
            RABBITMQ_LOG_BASE=str(base / "log"),
            RABBITMQ_PID_FILE=str(base / "rabbit.pid"),
            RABBITMQ_ENABLED_PLUGINS_FILE=str(base / "enabled_plugins"),
            RABBITMQ_CONFIG_FILE=str(base / "rabbitmq.conf"),
            RABBITMQ_ADVANCED_CONFIG_FILE=str(base / "advanced.config"),
            RABBITMQ_CONF_ENV_FILE=str(base / "rabbitmq-env.conf"),
        )

    def ctl(self, *args: str, timeout: float = 60, check: bool = True) -> str:
        """``rabbitmqctl -n <this node> ARGS``; its standard output."""
        result = subprocess.run([str(RABBIT_BIN / "rabbitmqctl"), "-q", "-n", self.nodename,
                                 *args], env=self._env(), cwd=self.base, capture_output=True,
                                text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"rabbitmqctl {' '.join(args)} failed "
                                 f"({result.returncode}): {result.stderr}{result.stdout}")
        return result.stdout

    def start(self) -> "RabbitNode":
        for sub in ("mnesia", "log"):
            (self.base / sub).mkdir(parents=True, exist_ok=True)
        # loopback_users = none: guest may connect (it may only from loopback anyway).
        # On another address RabbitMQ's default stands: guest may not log in there.
        (self.base / "rabbitmq.conf").write_text(
            "loopback_users = none\n" if self.user == "guest" else "")
        (self.base / "advanced.config").write_text("[].\n")
        (self.base / "enabled_plugins").write_text("[].\n")
        (self.base / "rabbitmq-env.conf").write_text("")
        subprocess.run([str(RABBIT_BIN / "rabbitmq-server"), "-detached"], env=self._env(),
                       cwd=self.base, check=True, capture_output=True, timeout=60)
        self._await(START_TIMEOUT)
        self.app_running = True
        if self.user != "guest":
            self.ctl("add_user", self.user, self.password)
        return self

    def _await(self, timeout: float) -> None:
        def answers() -> bool:
            result = subprocess.run(
                [str(RABBIT_BIN / "rabbitmqctl"), "-q", "-n", self.nodename, "await_startup",
                 "--timeout", "5"], env=self._env(), cwd=self.base, capture_output=True,
                timeout=30)
            return result.returncode == 0
        wait_for(answers, timeout, interval=0.5, message=f"RabbitMQ node {self.nodename}")
        wait_for(self.accepts_connections, timeout, message=f"port {self.port} accepting")

    def accepts_connections(self) -> bool:
        try:
            with socket.create_connection((self.address_ip, self.port), timeout=1):
                return True
        except OSError:
            return False

    def stop_app(self) -> None:
        """Stop the broker application, keeping the node: clients are disconnected and
        their reconnections refused until ``start_app``."""
        self.ctl("stop_app")
        self.app_running = False
        wait_for(lambda: not self.accepts_connections(), 30, message="broker port closed")

    def start_app(self) -> None:
        self.ctl("start_app")
        self._await(START_TIMEOUT)
        self.app_running = True

    def add_vhost(self, vhost: str) -> None:
        self.ctl("add_vhost", vhost)
        self.ctl("set_permissions", "-p", vhost, self.user, ".*", ".*", ".*")

    def delete_vhost(self, vhost: str) -> None:
        self.ctl("delete_vhost", vhost, check=False)

    def stop(self) -> None:
        """End the node (``rabbitmqctl stop``, which waits until it has exited)."""
        pid_file = self.base / "rabbit.pid"
        pid = int(pid_file.read_text().strip()) if pid_file.exists() else None
        self.ctl("stop", check=False)
        if pid is not None:
            wait_for(lambda: not _alive(pid), 60, message=f"RabbitMQ node {pid} to exit")
        self.app_running = False


class MariaDBServer:
    """A MariaDB server of its own: a fresh datadir, its own port and socket.

    ``stop`` is a SIGTERM to its own pid (a clean shutdown, what systemd does);
    ``start`` runs it again on the same datadir, so the data survives, as after
    an operator's restart or a fail-over to the same storage.
    """

    def __init__(self, base: pathlib.Path, address: str = "127.0.0.1") -> None:
        self.base = pathlib.Path(base)
        self.datadir = self.base / "data"
        self.address = address
        self.port = free_port(address)
        self.user, self.password = "minova", "minova"
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The server's SQLAlchemy URL without a database, as Deployment's ``mysql_url``."""
        return f"mysql+pymysql://{self.user}:{self.password}@{self.address}:{self.port}"

    @property
    def socket(self) -> str:
        return str(self.datadir / "mysqld.sock")

    def start(self) -> "MariaDBServer":
        fresh = not self.datadir.exists()
        if fresh:
            self.base.mkdir(parents=True, exist_ok=True)
            subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={self.datadir}",
                            "--user=root", "--auth-root-authentication-method=normal"],
                           check=True, capture_output=True, timeout=120)
        log = open(self.base / "mariadbd.log", "a")
        self.proc = subprocess.Popen(
            [MARIADBD, "--no-defaults", f"--datadir={self.datadir}", f"--port={self.port}",
             f"--bind-address={self.address}", f"--socket={self.socket}",
             f"--pid-file={self.datadir / 'mariadbd.pid'}", "--user=root", "--skip-log-bin",
             "--innodb-flush-log-at-trx-commit=2", "--max-connections=1000"],
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        wait_for(self._answers, START_TIMEOUT, interval=0.2,
                 message=f"MariaDB on port {self.port}")
        if fresh:
            self.sql(
                "DELETE FROM mysql.global_priv WHERE User = '';"  # anonymous users shadow ours
                f"CREATE USER '{self.user}'@'{self.address}' IDENTIFIED BY '{self.password}';"
                f"GRANT ALL PRIVILEGES ON *.* TO '{self.user}'@'{self.address}';"
                "FLUSH PRIVILEGES;")
        return self

    def _answers(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"mariadbd exited with {self.proc.returncode}: "
                                 + (self.base / "mariadbd.log").read_text()[-3000:])
        return subprocess.run(["mariadb", "--no-defaults", "-S", self.socket, "-uroot", "-e",
                               "SELECT 1"], capture_output=True, timeout=30).returncode == 0

    def sql(self, statements: str) -> str:
        result = subprocess.run(["mariadb", "--no-defaults", "-S", self.socket, "-uroot", "-e",
                                 statements], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 60) -> None:
        """SIGTERM, then wait for the server to have exited."""
        if not self.running:
            return
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is not alive: the node was started detached, not as our child.
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False

