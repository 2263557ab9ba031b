"""What computes report about themselves decides where a server can go.

A real deployment (two fake x86_64 computes reporting supported_instances
[["x86_64", "fake", "hvm"]] and hypervisor_type "fake") with the default
filters: an image asking for another architecture and a flavor asking for
another hypervisor find no host, and the fault names the filter.
"""

from tests.functional.deployment import wait_for

IMAGES = "/image/v2/images"


def _image(api, name: str, **properties) -> str:
    """An active image with these properties, made through the image API."""
    status, image, _ = api.post(IMAGES, {"name": name, "disk_format": "raw",
                                         "container_format": "bare", **properties})
    assert status == 201, image
    status, body, _ = api.request("PUT", f"{IMAGES}/{image['id']}/file", raw=b"x" * 1024,
                                  headers={"Content-Type": "application/octet-stream"})
    assert status == 204, body
    return image["id"]


def _flavor(api, flavor_id: str, extra_specs: dict) -> str:
    status, body, _ = api.post("/v2.1/flavors", {"flavor": {
        "name": flavor_id, "ram": 512, "vcpus": 1, "disk": 1, "id": flavor_id}})
    assert status == 200, body
    status, body, _ = api.post(f"/v2.1/flavors/{flavor_id}/os-extra_specs",
                               {"extra_specs": extra_specs})
    assert status == 200, body
    return flavor_id


def test_image_and_flavor_requirements_meet_what_computes_report(deploy):
    deployment = deploy(backend="mysql")
    api = deployment.api
    wait_for(lambda: deployment.query(
        "SELECT COUNT(*) FROM compute_nodes WHERE supported_instances LIKE '%x86_64%'"
    )[0][0] == 2, 60, message="both computes reporting supported_instances")

    arm = api.create_server("arm", image=_image(api, "arm", hw_architecture="aarch64"))
    x86 = api.create_server("x86", image=_image(api, "x86", hw_architecture="x86_64",
                                                img_hv_type="fake"))
    fake = api.create_server("on-fake", flavor=_flavor(
        api, "on-fake", {"capabilities:hypervisor_type": "fake"}))
    qemu = api.create_server("on-qemu", flavor=_flavor(
        api, "on-qemu", {"capabilities:hypervisor_type": "QEMU"}))

    server = api.wait_for_status(arm, statuses=("ERROR",))
    assert server["fault"]["message"].startswith("No valid host was found.")
    assert "ImagePropertiesFilter removed 2 of 2 hosts" in server["fault"]["message"]
    assert api.wait_for_status(x86)["status"] == "ACTIVE"
    assert api.wait_for_status(fake)["status"] == "ACTIVE"
    server = api.wait_for_status(qemu, statuses=("ERROR",))
    assert "ComputeCapabilitiesFilter removed 2 of 2 hosts" in server["fault"]["message"]
    assert deployment.query("SELECT COUNT(*) FROM allocations")[0][0] == 2
