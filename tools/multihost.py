#!/usr/bin/env python3
"""Several minova hosts on one machine: each compute in a network namespace of its own.

    sudo tools/multihost.py up [--computes 2] [--boot 4]   # network, services, minova, servers
    sudo tools/multihost.py status                          # processes, services, hypervisors
    sudo tools/multihost.py down                            # stop everything, remove it all

``up`` builds the topology of tests/functional/multihost (a Linux bridge
with 10.251.0.1/24 in the root namespace, and per compute host a namespace
``minova-tool-computeN`` with eth0 at 10.251.0.1N, a veth into the bridge),
starts a RabbitMQ node and a MariaDB server of its own on the bridge
address (never the machine's), the controller (minova-api on
http://10.251.0.1:8774, conductor, scheduler) in the root namespace and
one minova-compute (fake driver) in each host's namespace, with a
configuration file holding only the broker URL, the image endpoint, its
driver and its name. Then it boots ``--boot`` servers and shows where the
scheduler put them. Everything stays on this machine: the bridge has no
other port.

Look around while it is up, e.g.::

    cat /var/tmp/minova-multihost/hosts/compute1/minova.conf
    ip netns exec minova-tool-compute1 ss -tn      # the compute's connections
    curl -s -H 'X-Auth-Token: admin:admin' http://10.251.0.1:8774/v2.1/os-hypervisors/detail

``down`` stops the processes ``up`` recorded, the broker and the database,
removes the namespaces, veths and bridge, and deletes the state directory
(logs included). ``up`` on a machine where a previous ``up`` was not taken
down takes it down first. Needs root (network namespaces).
"""

import argparse
import json
import os
import pathlib
import shutil
import signal
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tests.functional.faults.services import RabbitNode  # noqa: E402
from tests.functional.multihost import cluster, network  # noqa: E402

RUN = "tool"
STATE_FILE = "multihost.json"
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"  # minova-manage bootstrap's stand-in image


def _state_path(directory: pathlib.Path) -> pathlib.Path:
    return directory / STATE_FILE


def up(args) -> int:
    directory = pathlib.Path(args.dir).resolve()
    if _state_path(directory).exists():
        print(f"taking down what a previous 'up' left in {directory}")
        down(args)
    directory.mkdir(parents=True)
    hosts = [f"compute{i}" for i in range(1, args.computes + 1)]
    net = network.Network(RUN, hosts, subnet=args.subnet)
    state = {"subnet": str(net.subnet), "hosts": hosts, "pids": {}}
    try:
        net.up()
        rabbit, mariadb = cluster.start_services(directory / "services", net)
        state["rabbit"] = {"base": str(rabbit.base), "nodename": rabbit.nodename,
                           "port": rabbit.port, "dist_port": rabbit.dist_port}
        state["pids"]["mariadbd"] = mariadb.proc.pid
        _save(directory, state)
        deployment = cluster.MultihostDeployment(directory, net, rabbit, mariadb,
                                                 port=args.api_port)
        try:
            deployment.start()
        finally:
            state["pids"].update({name: p.pid for name, p in deployment.procs.items()})
            _save(directory, state)
    except BaseException:
        print("up failed; taking down what it started", file=sys.stderr)
        down(args)
        raise
    api = deployment.api
    print(f"\nminova is up: api http://{net.address}:{deployment.port}/v2.1 "
          "(X-Auth-Token: admin:admin)")
    print(f"  broker   rabbit://{rabbit.address}/{deployment.vhost}")
    print(f"  database {mariadb.url}/{deployment.db.name}")
    for host in net.hosts:
        print(f"  {host.name:10} {host.address:12} netns {host.netns}   "
              f"config {deployment.compute_conf_path(host.name)}")
    print(f"  logs     {directory}/*.log")
    if args.boot:
        ids = [api.create_server(f"demo-{i}") for i in range(1, args.boot + 1)]
        print(f"\n{'server':38} {'status':8} host")
        for server_id in ids:
            server = api.wait_for_status(server_id, timeout=60)
            print(f"{server_id:38} {server['status']:8} {server['OS-EXT-SRV-ATTR:host']}")
    return 0


def _save(directory: pathlib.Path, state: dict) -> None:
    _state_path(directory).write_text(json.dumps(state, indent=2) + "\n")


def _ours(pid: int, name: str) -> bool:
    """``pid`` is still the process ``up`` started (not a reused pid)."""
    try:
        cmdline = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except FileNotFoundError:
        return False
    wanted = b"mariadbd" if name == "mariadbd" else b"minova-"
    return any(wanted in part for part in cmdline)


def _stop_processes(pids: dict, timeout: float = 15) -> None:
    running = {name: pid for name, pid in pids.items() if _ours(pid, name)}
    for pid in running.values():
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while running and time.monotonic() < deadline:
        running = {n: p for n, p in running.items() if _ours(p, n) and not _zombie(p)}
        time.sleep(0.1)
    for name, pid in running.items():
        print(f"{name} ({pid}) did not stop after SIGTERM: SIGKILL", file=sys.stderr)
        os.kill(pid, signal.SIGKILL)


def _zombie(pid: int) -> bool:
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def down(args) -> int:
    directory = pathlib.Path(args.dir).resolve()
    path = _state_path(directory)
    state = json.loads(path.read_text()) if path.exists() else {}
    pids = state.get("pids", {})
    # minova first, the database (which minova uses) after
    _stop_processes({n: p for n, p in pids.items() if n != "mariadbd"})
    if "rabbit" in state:
        node = RabbitNode.__new__(RabbitNode)
        node.base = pathlib.Path(state["rabbit"]["base"])
        node.nodename = state["rabbit"]["nodename"]
        node.port, node.dist_port = state["rabbit"]["port"], state["rabbit"]["dist_port"]
        node.address_ip = state["subnet"].split("/")[0].rsplit(".", 1)[0] + ".1"
        node.stop()
    _stop_processes({n: p for n, p in pids.items() if n == "mariadbd"})
    hosts = state.get("hosts") or [f"compute{i}" for i in range(1, args.computes + 1)]
    network.Network(RUN, hosts, subnet=state.get("subnet") or args.subnet).down()
    if directory.exists():
        shutil.rmtree(directory)
    print("minova multihost is down")
    return 0


def status(args) -> int:
    directory = pathlib.Path(args.dir).resolve()
    path = _state_path(directory)
    if not path.exists():
        print("not up")
        return 1
    state = json.loads(path.read_text())
    for name, pid in state["pids"].items():
        print(f"{name:10} pid {pid:<8} {'running' if _ours(pid, name) else 'GONE'}")
    print(network.ip("-br", "addr", "show", network.LINK_PREFIX + RUN).stdout.strip())
    for host in state["hosts"]:
        out = network.ip("-n", network.NETNS_PREFIX + f"{RUN}-{host}", "-br", "addr", "show",
                         "eth0", check=False)
        print(f"{host:10} {out.stdout.strip() or out.stderr.strip()}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("up", "down", "status"))
    parser.add_argument("--dir", default="/var/tmp/minova-multihost",
                        help="state, data and logs (removed by down)")
    parser.add_argument("--computes", type=int, default=2, help="compute hosts (up)")
    parser.add_argument("--boot", type=int, default=4, help="servers to boot after up")
    parser.add_argument("--subnet", default="10.251.0.0/24",
                        help="the bridge's private network (the controller is .1)")
    parser.add_argument("--api-port", type=int, default=8774)
    args = parser.parse_args()
    if os.geteuid() != 0:
        parser.error("network namespaces need root")
    return {"up": up, "down": down, "status": status}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
