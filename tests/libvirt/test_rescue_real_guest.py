"""A real guest rescued through minova from another image, and unrescued:
libvirt's own view each time (while rescued the same domain, running, boots
the rescue disk, an overlay of the rescue image's cached base, with the
server's own disk second; after, the original domain with its one disk
again) and the console showing each boot."""

import hashlib
import json
import subprocess
import xml.etree.ElementTree as ET

import libvirt

from tests.functional.deployment import wait_for
from tests.libvirt import test_real_guest
from tests.libvirt.guest import READY_MARKER
from tests.libvirt.test_real_guest import TOKEN, upload_image

# The deployment with one libvirt compute host of the lifecycle test.
libvirt_deployment = test_real_guest.libvirt_deployment


def _disks(conn, name: str) -> list[tuple[str, str]]:
    """(source file, target dev) of the domain's disks, in order."""
    xml = ET.fromstring(conn.lookupByName(name).XMLDesc(0))
    return [(disk.find("source").get("file"), disk.find("target").get("dev"))
            for disk in xml.findall("./devices/disk")]


def _backing(path: str) -> str:
    out = subprocess.run(["qemu-img", "info", "--output=json", "-U", path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["backing-filename"]


def test_rescue_and_unrescue_a_real_guest(libvirt_deployment, guest_image, libvirt_conn):
    deployment, instances_path = libvirt_deployment
    api = deployment.api.as_user(TOKEN)
    admin = deployment.api
    kernel = upload_image(api, guest_image["kernel"], name="tiny-kernel", disk_format="aki",
                          container_format="aki")
    ramdisk = upload_image(api, guest_image["initrd"], name="tiny-initrd", disk_format="ari",
                           container_format="ari")
    own, rescue = (upload_image(api, guest_image["disk"], name=f"tiny-{n}", disk_format="raw",
                                container_format="bare", kernel_id=kernel,
                                ramdisk_id=ramdisk, os_command_line="console=ttyS0")
                   for n in ("own", "rescue"))
    assert admin.post("/v2.1/flavors", {"flavor": {
        "name": "m1.nano", "id": "nano", "ram": 128, "vcpus": 1, "disk": 1}})[0] == 200

    server_id = api.create_server("to-rescue", flavor="nano", image=own)
    server = api.wait_for_status(server_id, timeout=180)
    assert server["status"] == "ACTIVE", server.get("fault")
    name = admin.server(server_id)["OS-EXT-SRV-ATTR:instance_name"]

    def console() -> str:
        code, body, _ = api.post(f"/v2.1/servers/{server_id}/action",
                                 {"os-getConsoleOutput": {"length": -1}})
        return body["output"] if code == 200 else ""

    def settled(status: str) -> dict:
        return wait_for(lambda: (lambda s: s if s["status"] == status
                                 and s["OS-EXT-STS:task_state"] is None else None)(
            api.server(server_id)), 180, interval=0.5, message=f"{server_id} {status}")

    wait_for(lambda: READY_MARKER in console(), 120, interval=0.5,
             message="the first boot's marker")
    base_dir = instances_path / "_base"

    def base_of(image_id: str) -> str:
        return str(base_dir / hashlib.sha1(image_id.encode()).hexdigest())
    disk = str(instances_path / server_id / "disk")
    rescue_disk = str(instances_path / server_id / "disk.rescue")
    assert _disks(libvirt_conn, name) == [(disk, "vda")]

    code, reply, _ = api.post(f"/v2.1/servers/{server_id}/action",
                              {"rescue": {"rescue_image_ref": rescue, "adminPass": "pw"}})
    assert (code, reply) == (200, {"adminPass": "pw"})
    assert settled("RESCUE")["OS-EXT-STS:power_state"] == 1

    # libvirt's view: the same domain, running, the rescue disk first.
    dom = libvirt_conn.lookupByName(name)
    assert dom.UUIDString() == server_id and dom.isPersistent()
    assert dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING
    assert _disks(libvirt_conn, name) == [(rescue_disk, "vda"), (disk, "vdb")]
    assert _backing(rescue_disk) == base_of(rescue)
    assert _backing(disk) == base_of(own)
    kernel_file = ET.fromstring(dom.XMLDesc(0)).find("./os/kernel").text
    assert kernel_file == str(instances_path / server_id / "kernel.rescue")
    # The rescue system booted: the marker a second time (the log is appended).
    wait_for(lambda: console().count(READY_MARKER) == 2, 120, interval=0.5,
             message="the rescue boot's marker")

    assert api.post(f"/v2.1/servers/{server_id}/action", {"unrescue": None})[0] == 202
    assert settled("ACTIVE")["OS-EXT-STS:power_state"] == 1

    # The original domain back: one disk, running, the rescue files gone.
    dom = libvirt_conn.lookupByName(name)
    assert dom.UUIDString() == server_id and dom.isPersistent()
    assert dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING
    assert _disks(libvirt_conn, name) == [(disk, "vda")]
    assert not (instances_path / server_id / "disk.rescue").exists()
    assert not (instances_path / server_id / "unrescue.xml").exists()
    wait_for(lambda: console().count(READY_MARKER) == 3, 120, interval=0.5,
             message="the original guest's marker again")

    assert api.delete(f"/v2.1/servers/{server_id}")[0] == 204
    api.wait_for_gone(server_id, timeout=120)
    assert not (instances_path / server_id).exists()
