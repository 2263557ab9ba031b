"""A real Keystone for functional tests: the ``keystone`` package, not a fake.

``Keystone(tmp_path).start()`` writes a keystone.conf (SQLite unless given
another database, fernet tokens, key repositories under tmp_path), runs
``keystone-manage db_sync``, ``fernet_setup``, ``credential_setup`` and
``bootstrap``, serves Keystone's WSGI application on a free loopback port
in a subprocess (this module run as a script: a threaded wsgiref server,
because auth_token in minova-api calls Keystone while clients call it
too), and creates what the tests use:

* project ``service`` with user ``minova`` (admin): the api's credentials;
* project ``demo`` with member ``alice``, project ``other`` with member
  ``bob``; ``admin`` (bootstrap's) is admin of project ``admin``.

The server must not outlive the test run, however it ends. Use it as a
context manager (``with Keystone(tmp_path) as keystone:``), which stops it on
every way out of the block; ``start`` stops it itself when it fails half
way. Beyond that, for runs that end without unwinding: the server runs in a
process group of its own, which ``stop`` ends as a whole; it asks the kernel
to send it SIGTERM when the process that started it dies (pytest killed,
or ended by ``os._exit``); and an ``atexit`` handler stops those still
running when the interpreter exits.
"""

import atexit
import configparser
import ctypes
import json
import os
import signal
import subprocess
import sys
from http import client as http_client

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PASSWORD = "secret-Pa55"
USERS = {  # user: (project, role)
    "minova": ("service", "admin"),
    "alice": ("demo", "member"),
    "bob": ("other", "member"),
}


# The servers started and not yet stopped, for the atexit handler.
_RUNNING: "set[Keystone]" = set()


class Keystone:
    def __init__(self, tmp_path, connection: str | None = None,
                 python: str = sys.executable, conf: dict | None = None,
                 workers: int = 1) -> None:
        # connection: Keystone's [database] connection (default: a SQLite
        # file under tmp_path); python: the interpreter of the virtualenv
        # Keystone is installed in (tools/run-tempest.sh keeps its own);
        # conf: more keystone.conf sections; workers: server processes.
        # Imported here: the server subprocess runs this file as a script.
        from tests.functional.deployment import free_port

        self.tmp_path = tmp_path
        self.connection = connection or f"sqlite:///{tmp_path}/keystone.sqlite"
        self.python = python
        self.extra_conf = conf or {}
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v3"
        self.conf_file = str(tmp_path / "keystone.conf")
        self.proc: subprocess.Popen | None = None
        self.project_ids: dict[str, str] = {}
        self.user_ids: dict[str, str] = {}
        self._tokens: dict[str, str] = {}

    # --- set-up

    def _write_conf(self) -> None:
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_dict({
            "DEFAULT": {"debug": "false"},
            "database": {"connection": self.connection},
            "token": {"provider": "fernet"},
            "fernet_tokens": {"key_repository": str(self.tmp_path / "fernet-keys")},
            "fernet_receipts": {"key_repository": str(self.tmp_path / "fernet-receipts")},
            "credential": {"key_repository": str(self.tmp_path / "credential-keys")},
            # bcrypt's cheapest cost: the tests authenticate, they do not store secrets
            "identity": {"password_hash_rounds": "4"},
        })
        parser.read_dict(self.extra_conf)
        with open(self.conf_file, "w") as handle:
            parser.write(handle)

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [os.path.join(os.path.dirname(self.python), "keystone-manage"),
             "--config-file", self.conf_file, *args],
            capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-4000:] + result.stdout[-2000:]
        return result.stdout

    def start(self) -> "Keystone":
        from tests.functional.deployment import wait_for

        self._write_conf()
        owner = ["--keystone-user", str(os.getuid()), "--keystone-group", str(os.getgid())]
        self.manage("db_sync")
        self.manage("fernet_setup", *owner)
        self.manage("credential_setup", *owner)
        self.manage("bootstrap", "--bootstrap-password", PASSWORD,
                    "--bootstrap-region-id", "RegionOne",
                    "--bootstrap-admin-url", self.url,
                    "--bootstrap-internal-url", self.url,
                    "--bootstrap-public-url", self.url)
        log = open(self.tmp_path / "keystone.log", "w")
        # A session (and so a process group) of its own: stop() ends the group.
        self.proc = subprocess.Popen(
            [self.python, os.path.abspath(__file__), self.conf_file, str(self.port),
             str(os.getpid()), str(self.workers)],
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
        log.close()
        _RUNNING.add(self)
        try:
            wait_for(self._answers, 60, interval=0.2, message="keystone to answer")
            self._create_users()
        except BaseException:
            self.stop()
            raise
        return self

    def __enter__(self) -> "Keystone":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _answers(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"keystone exited with {self.proc.returncode}:\n" + self.log())
        try:
            return self.request("GET", "/v3")[0] == 200
        except OSError:
            return False

    def _create_users(self) -> None:
        admin = self.token("admin")
        headers = {"X-Auth-Token": admin}
        self.user_ids["admin"] = self._find("users", "admin", headers)
        self.project_ids["admin"] = self._find("projects", "admin", headers)
        roles = {name: self._find("roles", name, headers) for name in ("admin", "member")}
        for user, (project, role) in USERS.items():
            if project not in self.project_ids:
                status, body, _ = self.request("POST", "/v3/projects", {"project": {
                    "name": project, "domain_id": "default"}}, headers)
                assert status == 201, (status, body)
                self.project_ids[project] = body["project"]["id"]
            status, body, _ = self.request("POST", "/v3/users", {"user": {
                "name": user, "password": PASSWORD, "domain_id": "default",
                "default_project_id": self.project_ids[project]}}, headers)
            assert status == 201, (status, body)
            self.user_ids[user] = body["user"]["id"]
            status, body, _ = self.request(
                "PUT", f"/v3/projects/{self.project_ids[project]}/users/"
                f"{self.user_ids[user]}/roles/{roles[role]}", headers=headers)
            assert status == 204, (status, body)

    def _find(self, collection: str, name: str, headers: dict) -> str:
        status, body, _ = self.request("GET", f"/v3/{collection}?name={name}", headers=headers)
        assert status == 200 and len(body[collection]) == 1, (status, body)
        return body[collection][0]["id"]

    def stop(self) -> None:
        """End the server's process group (SIGTERM, then SIGKILL) and reap the
        server. Idempotent."""
        _RUNNING.discard(self)
        if self.proc is None or self.proc.returncode is not None:
            return
        for sig, timeout in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout)
                return
            except subprocess.TimeoutExpired:
                continue
        raise AssertionError(f"keystone (pid {self.proc.pid}) survived SIGKILL")

    def log(self) -> str:
        path = self.tmp_path / "keystone.log"
        return path.read_text()[-6000:] if path.exists() else ""

    # --- use

    def request(self, method: str, path: str, body=None, headers: dict | None = None):
        conn = http_client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Accept": "application/json", **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=data, headers=sent)
            resp = conn.getresponse()
            payload = resp.read()
        finally:
            conn.close()
        parsed = json.loads(payload) if payload and resp.getheader(
            "Content-Type", "").startswith("application/json") else payload
        return resp.status, parsed, {k.lower(): v for k, v in resp.getheaders()}

    def token(self, user: str) -> str:
        """A project-scoped token of ``user`` (on their project), from POST /v3/auth/tokens."""
        if user not in self._tokens:
            project = USERS[user][0] if user in USERS else "admin"
            status, body, headers = self.request("POST", "/v3/auth/tokens", {"auth": {
                "identity": {"methods": ["password"], "password": {"user": {
                    "name": user, "domain": {"id": "default"}, "password": PASSWORD}}},
                "scope": {"project": {"name": project, "domain": {"id": "default"}}}}})
            assert status == 201, (status, body)
            self._tokens[user] = headers["x-subject-token"]
        return self._tokens[user]

    def authtoken_options(self) -> dict:
        """The ``[keystone_authtoken]`` section a minova-api validating with us needs."""
        return {
            "www_authenticate_uri": self.url,
            "auth_url": self.url,
            "auth_type": "password",
            "username": "minova",
            "password": PASSWORD,
            "project_name": "service",
            "user_domain_name": "Default",
            "project_domain_name": "Default",
            "service_token_roles_required": "true",
        }


@atexit.register
def _stop_running() -> None:
    """The last resort: stop the servers a fixture did not (see the module's docstring)."""
    for keystone in list(_RUNNING):
        keystone.stop()


def _die_with_parent(parent_pid: int) -> None:
    """Have the kernel send SIGTERM when the process that started us dies.

    PR_SET_PDEATHSIG follows the thread that forked us: Keystone must be
    started from a thread that lives as long as the test run (pytest's main
    thread, where fixtures run). If the parent is already gone, there is
    no one to serve.
    """
    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    if os.getppid() != parent_pid:
        sys.exit("keystone: the process that started it has already exited")


def _serve(conf_file: str, port: int, workers: int) -> None:
    """Serve Keystone's public WSGI application until terminated.

    With several workers the socket is bound first and shared by forked
    processes (in the server's process group, which stop() ends), each of
    which builds its own application (its own database connections) and
    dies with the first one.
    """
    import socketserver
    from wsgiref import simple_server

    os.environ["OS_KEYSTONE_CONFIG_FILES"] = conf_file

    class Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
        daemon_threads = True

    class Handler(simple_server.WSGIRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    with simple_server.make_server("127.0.0.1", port, None, server_class=Server,
                                   handler_class=Handler) as server:
        first = os.getpid()
        for _ in range(workers - 1):
            if os.fork() == 0:
                _die_with_parent(first)
                break
        from keystone.server import wsgi

        server.set_app(wsgi.initialize_public_application())
        server.serve_forever()


if __name__ == "__main__":
    conf_file, port = sys.argv[1], int(sys.argv[2])
    if len(sys.argv) > 3:  # started by Keystone.start(): end with that process
        _die_with_parent(int(sys.argv[3]))
    workers = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    del sys.argv[1:]  # keystone parses the command line as its own options
    _serve(conf_file, port, workers)
