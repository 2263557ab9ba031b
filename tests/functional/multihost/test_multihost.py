"""Several hosts on one machine: the controller in the root namespace, three compute
hosts each in a network namespace of its own (conftest.py, cluster.py).

Inside a compute's namespace 127.0.0.1 is that host's own loopback, where
nothing of the controller listens: whatever a compute reaches, it reaches
over the bridge, as it would over a real network. What is checked: each
compute's configuration file holds only what a compute host must be told;
each reports its own address (``my_ip``'s default) and heartbeats; servers
built on every host go ACTIVE; their console logs come back; the libvirt
host downloads its image from the api over the bridge.
"""

import configparser
import os
import subprocess

from tests.functional.deployment import wait_for
from tests.functional.multihost import network
from tests.functional.multihost.conftest import FAKE_HOSTS, LIBVIRT_DRIVER, LIBVIRT_HOST

STAND_IN_IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"  # minova-manage bootstrap's
IMAGE_BYTES = b"minova multihost image\n" + b"\0" * (1024 * 1024 - 23)
AT_274 = {"OpenStack-API-Version": "compute 2.74"}


def _config_of(path) -> dict:
    """Every section of a config file with its own keys only (DEFAULT a section like
    the others, not merged into each)."""
    parser = configparser.ConfigParser(interpolation=None, default_section="\0")
    assert parser.read(path) == [str(path)]
    return {section: dict(parser[section]) for section in parser.sections()}


def _upload_image(api) -> str:
    status, image, _ = api.post("/image/v2/images", {
        "name": "multihost", "disk_format": "raw", "container_format": "bare"})
    assert status == 201, image
    status, body, _ = api.request(
        "PUT", f"/image/v2/images/{image['id']}/file", raw=IMAGE_BYTES,
        headers={"Content-Type": "application/octet-stream"})
    assert status == 204, body
    return image["id"]


def _boot_on(api, host: str, image: str) -> str:
    status, body, _ = api.post("/v2.1/servers", {"server": {
        "name": f"on-{host}", "flavorRef": "1", "imageRef": image, "networks": "none",
        "host": host}}, headers=AT_274)
    assert status == 202, body
    return body["server"]["id"]


def _compute_services(api) -> dict:
    status, body, _ = api.get("/v2.1/os-services?binary=minova-compute")
    assert status == 200, body
    return {s["host"]: s for s in body["services"]}


def _established_peers(netns: str) -> set:
    """The remote ends of the TCP connections open in a namespace."""
    out = subprocess.run(["ip", "netns", "exec", netns, "ss", "-H", "-t", "-n"],
                         capture_output=True, text=True, check=True, timeout=30).stdout
    return {fields[4] for fields in map(str.split, out.splitlines())
            if len(fields) >= 5 and fields[0] == "ESTAB"}


def test_servers_on_every_host_over_the_bridge(multihost):
    deployment = multihost
    api = deployment.api
    net = deployment.network
    bridge = net.address
    rabbit_at = f"{bridge}:{deployment.broker.port}"
    image_endpoint = f"http://{bridge}:{deployment.port}/image"

    # Each compute host was told its broker, its image service, its virt
    # driver and its name, and nothing else (no my_ip, no state_path, no
    # report_interval): the rest are defaults, and they work.
    for host in (*FAKE_HOSTS, LIBVIRT_HOST):
        driver = LIBVIRT_DRIVER if host == LIBVIRT_HOST else {}
        expected = {
            "DEFAULT": {"transport_url": f"rabbit://{deployment.broker.address}/"
                                         f"{deployment.vhost}",
                        "host": host,
                        "compute_driver": driver.get("DEFAULT", {}).get(
                            "compute_driver", "fake.FakeDriver")},
            "glance": {"api_servers": image_endpoint},
            **{section: values for section, values in driver.items() if section != "DEFAULT"},
        }
        assert _config_of(deployment.compute_conf_path(host)) == expected
        assert f"@{rabbit_at}/" in expected["DEFAULT"]["transport_url"]
        assert "guest" not in expected["DEFAULT"]["transport_url"]

        # ... and runs in its own host's network namespace
        pid = deployment.procs[host].pid
        assert os.stat(f"/proc/{pid}/ns/net").st_ino == \
            os.stat(f"/run/netns/{net.host(host).netns}").st_ino

    # Each reports its own address as its hypervisor's host_ip ([DEFAULT]
    # my_ip's default, found from its own routes), not 127.0.0.1.
    status, body, _ = api.get("/v2.1/os-hypervisors/detail")
    assert status == 200, body
    host_ips = {h["hypervisor_hostname"]: h["host_ip"] for h in body["hypervisors"]}
    assert host_ips == {h.name: h.address for h in net.hosts}
    assert all(s["state"] == "up" for s in _compute_services(api).values())
    first_seen = {host: s["updated_at"] for host, s in _compute_services(api).items()}

    # A server on every host, each placed there by the scheduler's
    # requested destination (API 2.74); the libvirt host boots an image it
    # must download from the api.
    image = _upload_image(api)
    servers = {host: _boot_on(api, host, STAND_IN_IMAGE) for host in FAKE_HOSTS}
    servers[LIBVIRT_HOST] = _boot_on(api, LIBVIRT_HOST, image)
    for host, server_id in servers.items():
        server = api.wait_for_status(server_id, timeout=60)
        assert server["status"] == "ACTIVE", server.get("fault")
        assert server["OS-EXT-SRV-ATTR:host"] == host

    # The image came over the bridge from the api, into the host's own state path.
    log = deployment.log_full(LIBVIRT_HOST)
    assert f"Downloaded image {image} ({len(IMAGE_BYTES)} bytes) from {image_endpoint}" in log
    cached = deployment.state_path(LIBVIRT_HOST) / "instances" / "_base"
    assert [p for p in cached.iterdir() if p.read_bytes() == IMAGE_BYTES], \
        sorted(cached.iterdir())

    # Console logs come back from each host (over RPC, through the bridge).
    for host, server_id in servers.items():
        status, body, _ = api.post(f"/v2.1/servers/{server_id}/action",
                                   {"os-getConsoleOutput": {"length": 10}})
        assert status == 200, body
        if host in FAKE_HOSTS:
            assert "minova guest booted" in body["output"]
        else:  # libvirt's test driver runs no guest: an empty log, read from the host
            assert body["output"] == ""

    # Heartbeats keep arriving from every host over the bridge.
    def all_beat_again():
        services = _compute_services(api)
        return all(s["updated_at"] != first_seen[h] and s["state"] == "up"
                   for h, s in services.items())
    wait_for(all_beat_again, 30, interval=0.5, message="a new heartbeat from every compute")

    # Every connection a compute holds goes to the controller's bridge
    # address (the broker), none to a loopback.
    for host in net.hosts:
        peers = _established_peers(host.netns)
        assert rabbit_at in peers, (host.name, peers)
        assert {p.rsplit(":", 1)[0] for p in peers} == {bridge}, (host.name, peers)


def test_leftovers_of_a_dead_run_are_removed():
    """A run killed before its teardown leaves namespaces, veths and a bridge; the
    next run removes them, and only those of runs whose process is gone."""
    dead_pid = _a_dead_pid()
    left = network.Network(f"t{dead_pid}", ("compute1", "compute2")).up()
    mine = network.Network(f"t{os.getpid()}", ("compute1",)).up()
    try:
        removed = network.remove_stale("t")
        assert {h.netns for h in left.hosts} | {left.bridge} <= set(removed)
        assert not {h.netns for h in mine.hosts} & set(removed)
        assert network.ip("link", "show", left.bridge, check=False).returncode != 0
        assert left.hosts[0].netns not in network.ip("netns", "list").stdout
        assert mine.hosts[0].netns in network.ip("netns", "list").stdout
    finally:
        left.down()
        mine.down()
    assert mine.hosts[0].netns not in network.ip("netns", "list").stdout


def _a_dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid
