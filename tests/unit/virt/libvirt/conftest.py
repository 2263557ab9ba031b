"""Fixtures of the libvirt driver's unit tests.

They run against libvirt's in-process ``test:///default`` driver (no
daemon, no guest ever runs) and a real ``qemu-img``. The test driver's
state lives as long as any connection to it in this process, so every
test removes the domains it created.
"""

import subprocess
import uuid

import libvirt
import pytest
from oslo_config import cfg

from minova import context as minova_context
from minova.virt.libvirt import driver as libvirt_driver
from tests.unit.virt.libvirt.fakes import TEST_URI, FakeImageAPI

CONF = cfg.CONF


@pytest.fixture(scope="session")
def qcow2_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("img") / "small.qcow2"
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(path), "64M"], check=True)
    return path.read_bytes()


@pytest.fixture
def libvirt_conf(tmp_path):
    """The driver's options: the test driver, TCG, instances under tmp_path."""
    CONF.set_override("connection_uri", TEST_URI, group="libvirt")
    CONF.set_override("virt_type", "qemu", group="libvirt")
    CONF.set_override("wait_soft_reboot_seconds", 5, group="libvirt")
    CONF.set_override("instances_path", str(tmp_path / "instances"))
    CONF.set_override("host", "testhost")
    CONF.set_override("my_ip", "192.0.2.7")
    CONF.set_override("api_servers", ["http://192.0.2.1:8774/image"], group="glance")
    return tmp_path / "instances"


@pytest.fixture(autouse=True)
def _remove_test_domains():
    """Leave the shared test:///default state as the test found it: only "test"."""
    yield
    conn = libvirt.open(TEST_URI)
    try:
        for dom in conn.listAllDomains(0):
            if dom.name() == "test":
                continue
            if dom.isActive():
                dom.destroy()
            if dom.isPersistent():
                dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)
    finally:
        conn.close()


@pytest.fixture
def image_api() -> FakeImageAPI:
    return FakeImageAPI()


@pytest.fixture
def ctxt():
    return minova_context.RequestContext(user_id="u-1", project_id="p-1", user_name="alice",
                                         project_name="demo")


@pytest.fixture
def drv(libvirt_conf, image_api):
    driver = libvirt_driver.LibvirtDriver(image_api=image_api)
    driver.init_host("testhost")
    yield driver
    driver.cleanup_host("testhost")


@pytest.fixture
def make_instance():
    counter = iter(range(1, 10_000))

    def make(name: str = "vm", root_gb: int = 1, memory_mb: int = 128, vcpus: int = 1,
             image_ref: str | None = None) -> dict:
        flavor = {"flavorid": "1", "name": "m1.tiny", "vcpus": vcpus, "memory_mb": memory_mb,
                  "root_gb": root_gb, "ephemeral_gb": 0, "swap": 0, "rxtx_factor": 1.0,
                  "extra_specs": {}}
        return {"uuid": str(uuid.uuid4()), "id": next(counter), "display_name": name,
                "project_id": "p-1", "user_id": "u-1", "flavor": flavor,
                "memory_mb": memory_mb, "vcpus": vcpus, "root_gb": root_gb,
                "image_ref": image_ref}

    return make
