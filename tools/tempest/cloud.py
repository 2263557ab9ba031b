"""The cloud Tempest runs against: a real Keystone and a multi-process minova.

Keystone (its own virtualenv, on MariaDB: on SQLite it answers 500
"database is locked" while Tempest creates and deletes credentials in
parallel) is the functional tests' fixture (tests/functional/keystone_fixture.py)
given another database and interpreter; minova is their Deployment (api,
conductor, scheduler and fake-driver computes as separate processes on
RabbitMQ and MariaDB) under ``auth_strategy = keystone``. Both use names of
their own (databases ``minova_tempest_*``, vhost ``minova_tempest``, user
``minova_tempest``), created anew by every run and dropped after it, so a
run never meets the pytest suite's objects nor a previous run's leftovers.
"""

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.functional.deployment import Deployment, MachineBroker
from tests.functional.keystone_fixture import PASSWORD, Keystone

DB_USER = "minova_tempest"
DB_PASSWORD = "minova_tempest"
KEYSTONE_DB = "minova_tempest_keystone"
NOVA_DB = "minova_tempest_nova"
VHOST = "minova_tempest"
MYSQL_SERVER = f"mysql+pymysql://{DB_USER}:{DB_PASSWORD}@127.0.0.1:3306"
COMPUTES = ("compute1", "compute2")
# Keystone answers most of Tempest's requests (every test class creates and
# deletes a project and users): two server processes, each caching what it
# reads (tokens it validated, roles, assignments) in its own memory. Each
# process only sees its own writes in its cache; nothing Tempest's compute
# tests do depends on one seeing another's.
KEYSTONE_CONF = {"cache": {"enabled": "true", "backend": "dogpile.cache.memory"}}
# minova's default filters plus the two hint filters Tempest's multi-node
# tests use (same_host / different_host), as a deployer enables them.
SCHEDULER_FILTERS = [
    "ComputeFilter", "AvailabilityZoneFilter", "RamFilter", "CoreFilter", "DiskFilter",
    "ComputeCapabilitiesFilter", "ImagePropertiesFilter", "ServerGroupAntiAffinityFilter",
    "ServerGroupAffinityFilter", "SameHostFilter", "DifferentHostFilter",
]


def _mysql_root(sql: str) -> None:
    """Run ``sql`` as MariaDB's root over the local socket (``mysql`` client)."""
    subprocess.run(["mysql", "-uroot", "--batch", "-e", sql], check=True)


def _quoted(name: str) -> str:
    assert name.replace("_", "").isalnum(), name  # our own constants only
    return f"`{name}`"


def recreate_databases() -> None:
    """Fresh, empty databases for Keystone and minova and the user owning them."""
    grants = []
    for host in ("localhost", "127.0.0.1", "%"):
        account = f"'{DB_USER}'@'{host}'"
        grants += [f"CREATE USER IF NOT EXISTS {account} IDENTIFIED BY '{DB_PASSWORD}'",
                   f"GRANT ALL PRIVILEGES ON `minova\\_tempest\\_%`.* TO {account}"]
    statements = []
    for name in (KEYSTONE_DB, NOVA_DB):
        statements += [f"DROP DATABASE IF EXISTS {_quoted(name)}",
                       f"CREATE DATABASE {_quoted(name)} CHARACTER SET utf8mb4"]
    _mysql_root("; ".join(grants + statements + ["FLUSH PRIVILEGES"]))


def drop_databases() -> None:
    _mysql_root("; ".join(f"DROP DATABASE IF EXISTS {_quoted(n)}" for n in (KEYSTONE_DB, NOVA_DB)))


class _PreparedDatabase:
    """Deployment's database, made by recreate_databases() (as root) rather
    than by Deployment (whose own user would need rights on every database)."""

    backend = "mysql"

    def __init__(self, name: str) -> None:
        self.name = name
        self.url = f"{MYSQL_SERVER}/{name}?charset=utf8mb4"

    def create(self) -> None:
        pass

    def drop(self) -> None:
        pass


@dataclass
class Cloud:
    workdir: Path
    keystone_python: str
    keystone: Keystone | None = None
    minova: Deployment | None = None
    alt_image_id: str = ""
    started: list = field(default_factory=list)

    def start(self) -> "Cloud":
        recreate_databases()
        (self.workdir / "keystone").mkdir(parents=True)
        (self.workdir / "minova").mkdir(parents=True)
        self.keystone = Keystone(
            self.workdir / "keystone", python=self.keystone_python,
            connection=f"{MYSQL_SERVER}/{KEYSTONE_DB}?charset=utf8mb4",
            conf=KEYSTONE_CONF, workers=2)
        self.started.append(self.keystone.stop)
        self.keystone.start()
        self.minova = Deployment(
            self.workdir / "minova", computes=COMPUTES,
            conf={"api": {"auth_strategy": "keystone"},
                  "keystone_authtoken": self.keystone.authtoken_options(),
                  "filter_scheduler": {"enabled_filters": ",".join(SCHEDULER_FILTERS)},
                  # Nova's default quotas (Deployment lifts them for the
                  # pytest suite's boot storms): what Tempest's quota tests expect.
                  "quota": {"instances": "10", "cores": "20", "ram": "51200",
                            "server_groups": "10", "server_group_members": "10"}},
            api_token=self.keystone.token("admin"), mysql_url=MYSQL_SERVER)
        self.minova.db = _PreparedDatabase(NOVA_DB)
        self.minova.vhost = VHOST
        MachineBroker().delete_vhost(VHOST)  # a killed run's leftover, if any
        self.started.append(self._stop_minova)
        self.minova.start()
        self._register_catalog()
        self.alt_image_id = self._upload_alt_image()
        return self

    def _stop_minova(self) -> None:
        self.minova.stop()
        self.minova.cleanup()

    def stop(self) -> None:
        """Stop whatever was started, newest first, then drop the databases."""
        while self.started:
            try:
                self.started.pop()()
            except Exception as exc:  # noqa: BLE001 - stop the rest regardless
                print(f"teardown: {exc!r}")
        drop_databases()

    # --- what Tempest finds in Keystone's catalog

    @property
    def compute_url(self) -> str:
        return f"http://127.0.0.1:{self.minova.port}/v2.1"

    @property
    def image_url(self) -> str:
        return f"http://127.0.0.1:{self.minova.port}/image"

    def _register_catalog(self) -> None:
        """``compute`` and ``image`` services with public/internal/admin endpoints.

        The compute endpoint is the v2.1 root (as Nova's is registered), from
        which Tempest's versions client finds the version document at ``/``.
        """
        headers = {"X-Auth-Token": self.keystone.token("admin")}
        for service_type, name, url in (("compute", "nova", self.compute_url),
                                        ("image", "glance", self.image_url)):
            status, body, _ = self.keystone.request("POST", "/v3/services", {"service": {
                "type": service_type, "name": name, "enabled": True}}, headers)
            assert status == 201, (status, body)
            for interface in ("public", "internal", "admin"):
                status, endpoint, _ = self.keystone.request("POST", "/v3/endpoints", {
                    "endpoint": {"service_id": body["service"]["id"], "interface": interface,
                                 "region_id": "RegionOne", "url": url, "enabled": True}},
                    headers)
                assert status == 201, (status, endpoint)

    def _upload_alt_image(self) -> str:
        """A second public image with bytes, Tempest's ``image_ref_alt``."""
        api = self.minova.api
        status, image, _ = api.post("/image/v2/images", {
            "name": "tempest-alt", "disk_format": "raw", "container_format": "bare",
            "visibility": "public"})
        assert status == 201, (status, image)
        status, body, _ = api.request(
            "PUT", f"/image/v2/images/{image['id']}/file", raw=os.urandom(4096),
            headers={"Content-Type": "application/octet-stream"})
        assert status == 204, (status, body)
        return image["id"]

    def admin_credentials(self) -> dict:
        return {"username": "admin", "password": PASSWORD, "project_name": "admin",
                "domain_name": "Default"}
