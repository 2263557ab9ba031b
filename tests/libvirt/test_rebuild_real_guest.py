"""A real guest rebuilt through minova from another image: libvirt's own view
afterwards (the same domain, defined and running, its disk a qcow2 overlay
of the new image's cached base) and a console showing a fresh boot."""

import hashlib
import json
import subprocess
import xml.etree.ElementTree as ET

import libvirt

from tests.functional.deployment import wait_for
from tests.libvirt import test_real_guest
from tests.libvirt.guest import READY_MARKER
from tests.libvirt.test_real_guest import TOKEN, upload_tiny_guest

# The deployment with one libvirt compute host of the lifecycle test.
libvirt_deployment = test_real_guest.libvirt_deployment


def _disk(conn, name: str) -> str:
    xml = ET.fromstring(conn.lookupByName(name).XMLDesc(0))
    return xml.find("./devices/disk/source").get("file")


def _backing(path: str) -> str:
    out = subprocess.run(["qemu-img", "info", "--output=json", "-U", path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["backing-filename"]


def test_rebuild_a_real_guest_from_another_image(libvirt_deployment, guest_image,
                                                 libvirt_conn):
    deployment, instances_path = libvirt_deployment
    api = deployment.api.as_user(TOKEN)
    admin = deployment.api
    images = upload_tiny_guest(api, guest_image, "tiny-1", "tiny-2")
    assert admin.post("/v2.1/flavors", {"flavor": {
        "name": "m1.nano", "id": "nano", "ram": 128, "vcpus": 1, "disk": 1}})[0] == 200

    server_id = api.create_server("to-rebuild", flavor="nano", image=images[0])
    server = api.wait_for_status(server_id, timeout=180)
    assert server["status"] == "ACTIVE", server.get("fault")
    name = admin.server(server_id)["OS-EXT-SRV-ATTR:instance_name"]

    def console() -> str:
        code, body, _ = api.post(f"/v2.1/servers/{server_id}/action",
                                 {"os-getConsoleOutput": {"length": -1}})
        return body["output"] if code == 200 else ""
    wait_for(lambda: READY_MARKER in console(), 120, interval=0.5,
             message="the first boot's marker")
    console_before = console()
    disk = _disk(libvirt_conn, name)
    base_dir = instances_path / "_base"

    def base_of(image_id: str) -> str:
        return str(base_dir / hashlib.sha1(image_id.encode()).hexdigest())
    assert _backing(disk) == base_of(images[0])

    code, reply, _ = api.post(f"/v2.1/servers/{server_id}/action",
                              {"rebuild": {"imageRef": images[1], "name": "rebuilt"}})
    assert code == 202, reply
    wait_for(lambda: (lambda s: s["status"] == "ACTIVE" and s["OS-EXT-STS:task_state"] is None)(
        api.server(server_id)), 180, interval=0.5, message="the rebuild to finish")

    # libvirt's view: the same domain, defined and running, on a new overlay.
    dom = libvirt_conn.lookupByName(name)
    assert dom.UUIDString() == server_id and dom.isPersistent()
    assert dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING
    assert _disk(libvirt_conn, name) == disk
    assert _backing(disk) == base_of(images[1])
    server = api.server(server_id)
    assert (server["image"]["id"], server["name"]) == (images[1], "rebuilt")

    # A fresh boot: the console starts over and shows the marker once again.
    wait_for(lambda: READY_MARKER in console(), 120, interval=0.5,
             message="the rebuilt guest's marker")
    after = console()
    assert after.count(READY_MARKER) == 1 and after != console_before

    assert api.delete(f"/v2.1/servers/{server_id}")[0] == 204
    api.wait_for_gone(server_id, timeout=120)
    assert not (instances_path / server_id).exists()
