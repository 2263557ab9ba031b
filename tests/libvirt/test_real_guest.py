"""A real guest through the whole of minova: images uploaded through the API, a
server booted on the multi-process deployment with the libvirt driver on a
real libvirtd, every lifecycle action checked in libvirt, and the delete
checked to leave nothing behind.

Runs under TCG here (``virt_type = qemu``); on a host where KVM works the
same test runs with ``virt_type = kvm``.
"""

import os
import pathlib
import subprocess
import xml.etree.ElementTree as ET

import libvirt
import pytest

from tests.functional.deployment import wait_for
from tests.libvirt.guest import READY_MARKER

VIRT_TYPE = os.environ.get("MINOVA_TEST_VIRT_TYPE", "qemu")
TOKEN = "alice:projA"


def upload_image(api, path: str, **meta) -> str:
    """Create an image record and upload a file's bytes to it; returns its id."""
    status, image, _ = api.post("/image/v2/images", meta)
    assert status == 201, image
    data = pathlib.Path(path).read_bytes()
    status, body, _ = api.request("PUT", f"/image/v2/images/{image['id']}/file", raw=data,
                                  headers={"Content-Type": "application/octet-stream"})
    assert status == 204, body
    return image["id"]


def upload_tiny_guest(api, guest_image: dict, *names: str) -> list[str]:
    """Upload the tiny guest's kernel and initrd once and its disk as one
    bootable image per name (direct kernel boot); the disk images' ids."""
    kernel = upload_image(api, guest_image["kernel"], name="tiny-kernel", disk_format="aki",
                          container_format="aki")
    ramdisk = upload_image(api, guest_image["initrd"], name="tiny-initrd", disk_format="ari",
                           container_format="ari")
    return [upload_image(api, guest_image["disk"], name=name, disk_format="raw",
                         container_format="bare", kernel_id=kernel, ramdisk_id=ramdisk,
                         os_command_line="console=ttyS0") for name in names]


def _state(conn, name: str) -> int:
    return conn.lookupByName(name).state()[0]


@pytest.fixture
def libvirt_deployment(deploy, libvirt_host, tmp_path):
    instances = tmp_path / "instances"
    compute = {"DEFAULT": {"compute_driver": "libvirt.LibvirtDriver",
                           "instances_path": str(instances),
                           "sync_power_state_interval": "2",
                           "shutdown_timeout": "20"},
               "libvirt": {"virt_type": VIRT_TYPE, "connection_uri": libvirt_host,
                           "wait_soft_reboot_seconds": "30"}}
    deployment = deploy(backend="mysql", computes=("kvm1",), compute_conf={"kvm1": compute})
    return deployment, instances


def test_real_guest_lifecycle(libvirt_deployment, guest_image, libvirt_conn):
    deployment, instances_path = libvirt_deployment
    api = deployment.api.as_user(TOKEN)
    admin = deployment.api

    [image] = upload_tiny_guest(api, guest_image, "tiny")
    status, _, _ = admin.post("/v2.1/flavors", {"flavor": {
        "name": "m1.nano", "id": "nano", "ram": 128, "vcpus": 1, "disk": 1}})
    assert status == 200

    server_id = api.create_server("tiny-guest", flavor="nano", image=image)
    server = api.wait_for_status(server_id, timeout=180)
    assert server["status"] == "ACTIVE", server.get("fault")
    name = admin.server(server_id)["OS-EXT-SRV-ATTR:instance_name"]

    def console():
        code, body, _ = api.post(f"/v2.1/servers/{server_id}/action",
                                 {"os-getConsoleOutput": {"length": -1}})
        return code == 200 and READY_MARKER in body["output"]
    wait_for(console, 120, interval=0.5, message="the guest's marker on its console")

    # The domain, as libvirt sees it: the flavor's memory and vCPUs, a qcow2
    # overlay on the cached base image, minova's metadata.
    dom = libvirt_conn.lookupByName(name)
    assert dom.UUIDString() == server_id and dom.isActive()
    xml = ET.fromstring(dom.XMLDesc(0))
    assert xml.get("type") == VIRT_TYPE
    assert int(xml.findtext("memory")) == 128 * 1024 and xml.findtext("vcpu") == "1"
    disk_path = xml.find("./devices/disk/source").get("file")
    assert disk_path.startswith(str(instances_path / server_id))
    info = subprocess.run(["qemu-img", "info", "--output=json", "-U", disk_path],
                          capture_output=True, text=True, check=True).stdout
    assert '"format": "qcow2"' in info and "_base" in info

    def act(body, status, dom_state):
        code, reply, _ = api.post(f"/v2.1/servers/{server_id}/action", body)
        assert code == 202, (body, reply)
        wait_for(lambda: (lambda s: s["status"] == status and
                          s["OS-EXT-STS:task_state"] is None)(api.server(server_id)),
                 120, interval=0.2, message=f"{body} -> {status}")
        assert _state(libvirt_conn, name) == dom_state, body

    act({"os-stop": None}, "SHUTOFF", libvirt.VIR_DOMAIN_SHUTOFF)
    act({"os-start": None}, "ACTIVE", libvirt.VIR_DOMAIN_RUNNING)
    act({"reboot": {"type": "HARD"}}, "ACTIVE", libvirt.VIR_DOMAIN_RUNNING)
    wait_for(console, 120, interval=0.5, message="the marker after the hard reboot")
    act({"reboot": {"type": "SOFT"}}, "ACTIVE", libvirt.VIR_DOMAIN_RUNNING)
    act({"pause": None}, "PAUSED", libvirt.VIR_DOMAIN_PAUSED)
    act({"unpause": None}, "ACTIVE", libvirt.VIR_DOMAIN_RUNNING)
    act({"suspend": None}, "SUSPENDED", libvirt.VIR_DOMAIN_SHUTOFF)
    assert libvirt_conn.lookupByName(name).hasManagedSaveImage(0)
    act({"resume": None}, "ACTIVE", libvirt.VIR_DOMAIN_RUNNING)

    # A guest destroyed behind minova's back is noticed: SHUTOFF.
    libvirt_conn.lookupByName(name).destroy()
    wait_for(lambda: api.server(server_id)["status"] == "SHUTOFF", 60, interval=0.5,
             message="the power-state sync to notice")

    assert api.delete(f"/v2.1/servers/{server_id}")[0] == 204
    api.wait_for_gone(server_id, timeout=120)
    with pytest.raises(libvirt.libvirtError):
        libvirt_conn.lookupByName(name)
    assert not (instances_path / server_id).exists()
    assert not pathlib.Path(disk_path).exists()


def test_unbootable_image_fails_clearly_and_leaves_nothing(libvirt_deployment, libvirt_conn):
    deployment, instances_path = libvirt_deployment
    api = deployment.api.as_user(TOKEN)
    status, image, _ = api.post("/image/v2/images", {"name": "junk", "disk_format": "qcow2",
                                                     "container_format": "bare"})
    assert status == 201
    api.request("PUT", f"/image/v2/images/{image['id']}/file", raw=b"not a disk image" * 64,
                headers={"Content-Type": "application/octet-stream"})
    server_id = api.create_server("junk", flavor="1", image=image["id"])
    server = api.wait_for_status(server_id, statuses=("ERROR",), timeout=120)
    assert server["fault"]["message"]
    assert not (instances_path / server_id).exists()
    assert server_id not in [d.UUIDString() for d in libvirt_conn.listAllDomains()]


def test_corrupted_image_fails_the_build_with_a_checksum_fault(libvirt_deployment,
                                                               libvirt_conn):
    deployment, instances_path = libvirt_deployment
    api = deployment.api.as_user(TOKEN)
    data = b"\0" * (64 * 1024)
    status, image, _ = api.post("/image/v2/images", {"name": "rotten", "disk_format": "raw",
                                                     "container_format": "bare"})
    assert status == 201
    assert api.request("PUT", f"/image/v2/images/{image['id']}/file", raw=data,
                       headers={"Content-Type": "application/octet-stream"})[0] == 204
    # The bytes rot in the store after their checksums were recorded.
    stored = [p for p in (deployment.tmp_path / "state" / "images").rglob("*")
              if p.is_file() and image["id"] in p.name]
    assert len(stored) == 1
    stored[0].write_bytes(b"\1" * len(data))

    server_id = api.create_server("rotten", flavor="1", image=image["id"])
    server = api.wait_for_status(server_id, statuses=("ERROR",), timeout=120)
    assert "Checksum of image" in server["fault"]["message"], server["fault"]
    assert not (instances_path / server_id).exists()
    # Nothing unverified was kept in the image cache (only its lock file).
    base = instances_path / "_base"
    cached = [p.name for p in base.iterdir() if not p.name.endswith(".lock")] \
        if base.exists() else []
    assert cached == []
