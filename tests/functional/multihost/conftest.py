"""The multi-host deployment: a bridge and a network namespace per compute host,
a RabbitMQ node and a MariaDB server of the test's own on the bridge, and
minova across them (cluster.py). Everything is removed after the test, and a
previous run's leftovers (namespaces, veths, bridge of a dead test process)
before it."""

import os

import pytest

from tests.functional.multihost import cluster, network

FAKE_HOSTS = ("compute1", "compute2")
# A libvirt compute on libvirt's in-process test driver: it downloads its
# images and builds its disks for real, without a hypervisor (the machine's
# libvirtd and its guests are shared with other work).
LIBVIRT_HOST = "compute3"
LIBVIRT_DRIVER = {"DEFAULT": {"compute_driver": "libvirt.LibvirtDriver"},
                  "libvirt": {"connection_uri": "test:///default", "virt_type": "qemu"}}


@pytest.fixture
def multihost(tmp_path):
    network.remove_stale("t")
    net = network.Network(f"t{os.getpid()}", (*FAKE_HOSTS, LIBVIRT_HOST))
    deployment = None
    services = None
    try:
        net.up()
        services = cluster.start_services(tmp_path / "services", net)
        deployment = cluster.MultihostDeployment(
            tmp_path, net, *services, drivers={LIBVIRT_HOST: LIBVIRT_DRIVER})
        yield deployment.start()
    finally:
        try:
            if deployment is not None:
                deployment.cleanup()  # SIGKILLs what still runs, drops vhost and database
        finally:
            try:
                if services is not None:
                    cluster.stop_services(*services)
            finally:
                net.down()
