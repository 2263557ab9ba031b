"""A minova deployment across hosts: the controller in the root namespace, each
compute in a namespace of its own (network.py), told only what a compute host
must be told.

The controller (api, conductor, scheduler) runs as tests/functional's
Deployment runs it, on a RabbitMQ node and a MariaDB server of its own
(tests/functional/faults/services.py) that listen on the bridge address
only: the machine's shared services are never used. A compute host's
configuration file holds nothing but the broker's URL, where images come
from, its virt driver and its name; everything else is a default, as on a
freshly installed host. It runs under ``ip netns exec`` with a home
directory of its own, so that its default ``state_path`` is its own disk.

One definition serves the functional test (test_multihost.py) and
tools/multihost.py.
"""

import concurrent.futures
import configparser
import pathlib

from tests.functional.deployment import Deployment
from tests.functional.faults.services import MariaDBServer, RabbitNode
from tests.functional.multihost.network import Network

# The controller's own services: heartbeats every second, and a compute seen
# down after Nova's default 60 s, since the computes keep the default report
# interval (10 s) of a configuration that does not set it.
CONTROLLER_CONF = {"DEFAULT": {"service_down_time": "60"}}


class MultihostDeployment(Deployment):
    """Deployment whose computes are hosts of ``network``.

    ``drivers``: host -> extra options of its virt driver (``{section: {key:
    value}}``, ``compute_driver`` among them); a host not named runs the fake
    driver.
    """

    def __init__(self, tmp_path, network: Network, broker: RabbitNode, database: MariaDBServer,
                 drivers: dict | None = None, **kwargs) -> None:
        super().__init__(tmp_path, backend="mysql", computes=[h.name for h in network.hosts],
                         broker=broker, mysql_url=database.url, address=network.address,
                         conf=CONTROLLER_CONF, **kwargs)
        self.network = network
        self.drivers = drivers or {}

    def host_dir(self, host: str) -> pathlib.Path:
        return pathlib.Path(self.tmp_path) / "hosts" / host

    def compute_conf_path(self, host: str) -> pathlib.Path:
        return self.host_dir(host) / "minova.conf"

    def compute_config(self, host: str) -> dict:
        """What a compute host is told: the broker, the image service, its virt
        driver and its own name; nothing else."""
        conf = {"DEFAULT": {"transport_url": f"rabbit://{self.broker.address}/{self.vhost}",
                            "host": host, "compute_driver": "fake.FakeDriver"},
                "glance": {"api_servers": self.image_endpoint}}
        for section, values in self.drivers.get(host, {}).items():
            conf.setdefault(section, {}).update(values)
        return conf

    def start_compute(self, host: str):
        home = self.host_dir(host) / "home"
        home.mkdir(parents=True, exist_ok=True)
        parser = configparser.ConfigParser(interpolation=None)
        for section, values in self.compute_config(host).items():
            if section != "DEFAULT":
                parser.add_section(section)
            for key, value in values.items():
                parser.set(section, key, value)
        path = self.compute_conf_path(host)
        with open(path, "w") as handle:
            parser.write(handle)
        return self.spawn(host, "minova-compute", str(path),
                          wrapper=self.network.host(host).wrapper, env={"HOME": str(home)})

    def state_path(self, host: str) -> pathlib.Path:
        """A compute host's default ``state_path``: under its own home."""
        return self.host_dir(host) / "home" / ".local" / "state" / "minova"


def start_services(base: pathlib.Path, network: Network) -> tuple[RabbitNode, MariaDBServer]:
    """A RabbitMQ node and a MariaDB server on the bridge address, started side by side."""
    rabbit = RabbitNode(base / "rabbit", name="minova_multihost", address=network.address)
    mariadb = MariaDBServer(base / "mariadb", address=network.address)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(rabbit.start), pool.submit(mariadb.start)]
        errors = [f.exception() for f in futures if f.exception() is not None]
    if errors:
        stop_services(rabbit, mariadb)
        raise errors[0]
    return rabbit, mariadb


def stop_services(rabbit: RabbitNode, mariadb: MariaDBServer) -> None:
    try:
        rabbit.stop()
    finally:
        mariadb.stop()
