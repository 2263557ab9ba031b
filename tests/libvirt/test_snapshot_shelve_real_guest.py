"""A real guest's snapshot and shelve through minova: createImage makes an
active image (the flattened root disk) that boots a second real guest;
shelve (offloaded at once, ``shelved_offload_time`` 0) removes the domain
and its disks from libvirt, and unshelve defines and boots it again from
the snapshot, whose console shows a fresh boot; the snapshot is deleted."""

import libvirt

from tests.functional.deployment import wait_for
from tests.libvirt import test_real_guest
from tests.libvirt.guest import READY_MARKER
from tests.libvirt.test_real_guest import TOKEN, upload_image

libvirt_deployment = test_real_guest.libvirt_deployment


def _console(api, server_id: str) -> str:
    code, body, _ = api.post(f"/v2.1/servers/{server_id}/action",
                             {"os-getConsoleOutput": {"length": -1}})
    return body["output"] if code == 200 else ""


def _settled(api, server_id: str, status: str) -> dict:
    return wait_for(lambda: (lambda s: s if s["status"] == status
                             and s["OS-EXT-STS:task_state"] is None else None)(
        api.server(server_id)), 240, interval=0.5, message=f"{server_id} {status}")


def _domain_exists(conn, uuid: str) -> bool:
    try:
        conn.lookupByUUIDString(uuid)
    except libvirt.libvirtError:
        return False
    return True


def test_snapshot_and_shelve_a_real_guest(libvirt_deployment, guest_image, libvirt_conn):
    deployment, instances_path = libvirt_deployment
    api = deployment.api.as_user(TOKEN)
    admin = deployment.api
    kernel = upload_image(api, guest_image["kernel"], name="tiny-kernel", disk_format="aki",
                          container_format="aki")
    ramdisk = upload_image(api, guest_image["initrd"], name="tiny-initrd", disk_format="ari",
                           container_format="ari")
    image = upload_image(api, guest_image["disk"], name="tiny", disk_format="raw",
                         container_format="bare", kernel_id=kernel, ramdisk_id=ramdisk,
                         os_command_line="console=ttyS0")
    assert admin.post("/v2.1/flavors", {"flavor": {
        "name": "m1.nano", "id": "nano", "ram": 128, "vcpus": 1, "disk": 1}})[0] == 200
    server_id = api.create_server("snap-real", flavor="nano", image=image)
    assert api.wait_for_status(server_id, timeout=180)["status"] == "ACTIVE"
    wait_for(lambda: READY_MARKER in _console(api, server_id), 120, interval=0.5,
             message="the first boot's marker")

    # createImage: the snapshot is active, raw like its base, and boots.
    code, reply, _ = api.post(f"/v2.1/servers/{server_id}/action",
                              {"createImage": {"name": "real-snap"}},
                              headers={"OpenStack-API-Version": "compute 2.45"})
    assert code == 202, reply
    snapshot = reply["image_id"]
    wait_for(lambda: api.get(f"/image/v2/images/{snapshot}")[1]["status"] == "active", 240,
             interval=0.5, message="the snapshot uploaded")
    record = api.get(f"/image/v2/images/{snapshot}")[1]
    assert record["disk_format"] == "raw" and record["size"] > 0
    assert _settled(api, server_id, "ACTIVE")["OS-EXT-STS:power_state"] == 1
    assert libvirt_conn.lookupByUUIDString(server_id).state()[0] == libvirt.VIR_DOMAIN_RUNNING
    child = api.create_server("from-snap", flavor="nano", image=snapshot)
    assert api.wait_for_status(child, timeout=180)["status"] == "ACTIVE"
    wait_for(lambda: READY_MARKER in _console(api, child), 120, interval=0.5,
             message="the snapshot's guest booted")
    assert api.delete(f"/v2.1/servers/{child}")[0] == 204
    api.wait_for_gone(child, timeout=120)

    # shelve: offloaded at once, the domain and its directory gone.
    assert api.post(f"/v2.1/servers/{server_id}/action", {"shelve": None})[0] == 202
    _settled(api, server_id, "SHELVED_OFFLOADED")
    assert not _domain_exists(libvirt_conn, server_id)
    assert not (instances_path / server_id).exists()
    [shelved] = api.get("/image/v2/images?name=snap-real-shelved")[1]["images"]

    # unshelve: defined and booted again from the shelve snapshot.
    assert api.post(f"/v2.1/servers/{server_id}/action", {"unshelve": None})[0] == 202
    _settled(api, server_id, "ACTIVE")
    dom = libvirt_conn.lookupByUUIDString(server_id)
    assert dom.isPersistent() and dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING
    wait_for(lambda: READY_MARKER in _console(api, server_id), 120, interval=0.5,
             message="the unshelved guest booted")
    wait_for(lambda: api.get(f"/image/v2/images/{shelved['id']}")[0] == 404, 60,
             message="the shelve snapshot deleted")
    assert admin.server(server_id)["OS-EXT-STS:power_state"] == 1

    assert api.delete(f"/v2.1/servers/{server_id}")[0] == 204
    api.wait_for_gone(server_id, timeout=120)
    assert not _domain_exists(libvirt_conn, server_id)
