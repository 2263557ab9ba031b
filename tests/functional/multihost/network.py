"""Several hosts on one machine: a network namespace per compute host, on a bridge.

The topology (``Network.up``)::

    root namespace (the controller: api, conductor, scheduler, RabbitMQ, MariaDB)
      bridge mnv<run>       10.251.N.1/24
        ├── veth mnv<run>h1 ─── namespace minova-<run>-compute1: eth0 10.251.N.11/24
        ├── veth mnv<run>h2 ─── namespace minova-<run>-compute2: eth0 10.251.N.12/24
        └── ...

Each namespace has its own loopback (127.0.0.1 there is the host itself,
where nothing of the controller listens) and a default route out of its
eth0 with no gateway, so that a process there finds its own address as
its default source (``[DEFAULT] my_ip``) as on a real host. Nothing leaves
the machine: the bridge has no other port, and a packet for any address
but the bridge's own finds nobody to answer its ARP.

Names carry a run tag (``t<pid>`` for a test run, ``tool`` for
tools/multihost.py), so that runs never touch each other's devices, and
a test run's leftovers (its process died before its teardown) are found by
their dead pid and removed (``remove_stale``). Every command is an argument
list given to ``ip``; nothing is formatted into a shell line.
"""

import dataclasses
import ipaddress
import os
import re
import subprocess

SUBNETS = ipaddress.ip_network("10.251.0.0/16")
NETNS_PREFIX = "minova-"
LINK_PREFIX = "mnv"  # interface names are at most 15 characters


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``ip ARGS``; its output, raising with ``ip``'s error if it failed and ``check``."""
    result = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)
    if check and result.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)} failed: {result.stderr.strip()}")
    return result


def _netns_names() -> list[str]:
    out = ip("netns", "list").stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def _link_names() -> list[str]:
    out = ip("-o", "link", "show").stdout
    return [line.split(":")[1].strip().split("@")[0] for line in out.splitlines()]


def _used_subnets() -> set:
    """The 10.251.x.0/24 networks of any address on this machine's root namespace."""
    used = set()
    for line in ip("-o", "-4", "addr", "show").stdout.splitlines():
        address = ipaddress.ip_interface(line.split()[3])
        if address.ip in SUBNETS:
            used.add(ipaddress.ip_network(f"{address.ip}/24", strict=False))
    return used


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclasses.dataclass
class Host:
    """One compute host: its namespace, the root end of its veth, its address."""

    name: str
    netns: str
    veth: str
    address: str

    @property
    def wrapper(self) -> tuple:
        """What runs a command on this host: ``ip netns exec NETNS``."""
        return ("ip", "netns", "exec", self.netns)


class Network:
    """The bridge and a namespace per host of one run (``run``: a short tag)."""

    def __init__(self, run: str, hosts, subnet: str | None = None) -> None:
        self.run = run
        self.bridge = f"{LINK_PREFIX}{run}"
        if len(self.bridge) + 3 > 15:
            raise ValueError(f"run tag {run!r} too long for interface names")
        self.subnet = ipaddress.ip_network(subnet) if subnet else self._free_subnet()
        self.address = str(self.subnet.network_address + 1)  # the controller's, on the bridge
        self.hosts = [Host(name, f"{NETNS_PREFIX}{run}-{name}", f"{self.bridge}h{i}",
                           str(self.subnet.network_address + 10 + i))
                      for i, name in enumerate(hosts, start=1)]

    def _free_subnet(self) -> ipaddress.IPv4Network:
        used = _used_subnets()
        start = os.getpid() % 250 + 1
        for offset in range(250):
            candidate = ipaddress.ip_network(f"10.251.{(start + offset) % 250 + 1}.0/24")
            if candidate not in used:
                return candidate
        raise RuntimeError("no free 10.251.x.0/24 network")

    def host(self, name: str) -> Host:
        return next(h for h in self.hosts if h.name == name)

    def up(self) -> "Network":
        """Create the bridge and every host's namespace (after removing any of this
        run's that a previous one left)."""
        self.down()
        ip("link", "add", self.bridge, "type", "bridge")
        ip("addr", "add", f"{self.address}/{self.subnet.prefixlen}", "dev", self.bridge)
        ip("link", "set", self.bridge, "up")
        for host in self.hosts:
            ip("netns", "add", host.netns)
            ip("link", "add", host.veth, "type", "veth", "peer", "name", "eth0",
               "netns", host.netns)
            ip("link", "set", host.veth, "master", self.bridge)
            ip("link", "set", host.veth, "up")
            ip("-n", host.netns, "link", "set", "lo", "up")
            ip("-n", host.netns, "addr", "add", f"{host.address}/{self.subnet.prefixlen}",
               "dev", "eth0")
            ip("-n", host.netns, "link", "set", "eth0", "up")
            # A default route with no gateway: the host's own address is its
            # default source (my_ip), and no packet can be routed off the bridge.
            ip("-n", host.netns, "route", "add", "default", "dev", "eth0")
        return self

    def down(self) -> None:
        """Remove this run's namespaces, veths and bridge; those absent are skipped.

        Run it after the processes in the namespaces have stopped: a namespace
        lives on while a process is in it."""
        namespaces = set(_netns_names())
        for host in self.hosts:
            if host.netns in namespaces:
                ip("netns", "delete", host.netns)
        links = set(_link_names())
        for host in self.hosts:
            if host.veth in links:  # normally gone with its peer's namespace
                ip("link", "delete", host.veth, check=False)
        if self.bridge in links:
            ip("link", "delete", self.bridge)


def remove_stale(prefix: str = "t") -> list[str]:
    """Remove the namespaces and links of runs tagged ``<prefix><pid>`` whose pid is
    gone (a test run killed before its teardown); what was removed."""
    removed = []
    netns_pattern = re.compile(rf"^{NETNS_PREFIX}{prefix}(\d+)-")
    for name in _netns_names():
        match = netns_pattern.match(name)
        if match and not _pid_alive(int(match.group(1))):
            ip("netns", "delete", name, check=False)
            removed.append(name)
    link_pattern = re.compile(rf"^{LINK_PREFIX}{prefix}(\d+)(h\d+)?$")
    for name in _link_names():
        match = link_pattern.match(name)
        if match and not _pid_alive(int(match.group(1))):
            ip("link", "delete", name, check=False)
            removed.append(name)
    return removed
