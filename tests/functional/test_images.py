"""The image service on a real deployment: /image/v2 in, conductor + MariaDB, bytes on disk.

One deployment (real conductor, scheduler, api and computes over RabbitMQ)
per database backend: MariaDB, and PostgreSQL because the list filters on
custom properties are JSON path queries that differ per backend. Each test
makes its own images.
"""

import hashlib
import http.client
import json
import os
import re

import pytest

from minova import context as minova_context
from minova import exception
from minova.image import api as image_api
from tests.functional.deployment import Deployment

IMAGES = "/image/v2/images"
PATCH_TYPE = "application/openstack-images-v2.1-json-patch"
MEMBER = "alice:demo"
OTHER = "bob:other"


@pytest.fixture(scope="module", params=["mysql", "postgresql"])
def deployment(request, tmp_path_factory):
    deployment = Deployment(tmp_path_factory.mktemp("images"), backend=request.param)
    try:
        yield deployment.start()
    finally:
        deployment.stop()
        deployment.cleanup()


def _store(deployment) -> str:
    return str(deployment.tmp_path / "state" / "images")


def _create(api, **body) -> dict:
    body.setdefault("disk_format", "raw")
    body.setdefault("container_format", "bare")
    status, image, headers = api.post(IMAGES, body)
    assert status == 201, image
    assert headers["location"].endswith(f"/image/v2/images/{image['id']}")
    return image


def _upload(api, image_id: str, data: bytes) -> int:
    status, body, _ = api.request("PUT", f"{IMAGES}/{image_id}/file", raw=data,
                                  headers={"Content-Type": "application/octet-stream"})
    return status


def _patch(api, image_id: str, ops: list):
    return api.request("PATCH", f"{IMAGES}/{image_id}", raw=json.dumps(ops).encode(),
                       headers={"Content-Type": PATCH_TYPE})


def test_image_life(deployment, tmp_path):
    api = deployment.api.as_user(MEMBER)
    data = os.urandom(384 * 1024 + 5)  # well over the 112 KiB JSON body limit

    status, versions, _ = api.get("/image")
    assert status == 300 and versions["versions"][0]["status"] == "CURRENT"
    assert versions["versions"][0]["links"][0]["href"].endswith("/image/v2/")

    image = _create(api, name="life", tags=["t"], hw_disk_bus="virtio")
    assert (image["status"], image["owner"], image["visibility"]) == ("queued", "demo",
                                                                      "shared")
    assert image["hw_disk_bus"] == "virtio" and image["tags"] == ["t"]
    status, body, _ = api.get(f"{IMAGES}/{image['id']}/file")
    assert status == 204

    assert _upload(api, image["id"], data) == 204
    assert _upload(api, image["id"], b"again") == 409

    status, shown, _ = api.get(f"{IMAGES}/{image['id']}")
    assert status == 200
    assert shown["status"] == "active" and shown["size"] == len(data)
    assert shown["checksum"] == hashlib.md5(data).hexdigest()
    assert (shown["os_hash_algo"], shown["os_hash_value"]) == (
        "sha512", hashlib.sha512(data).hexdigest())
    stored = os.path.join(_store(deployment), image["id"])
    with open(stored, "rb") as handle:
        assert handle.read() == data
    # the record is in MariaDB, written by the conductor
    [row] = deployment.query("SELECT status, size, owner FROM images WHERE id = :id",
                             id=image["id"])
    assert tuple(row) == ("active", len(data), "demo")

    status, body, headers = api.get(f"{IMAGES}/{image['id']}/file")
    assert status == 200 and body == data
    assert headers["content-md5"] == hashlib.md5(data).hexdigest()
    assert headers["content-type"] == "application/octet-stream"

    status, listed, _ = api.get(f"{IMAGES}?name=life&status=active")
    assert status == 200 and [i["id"] for i in listed["images"]] == [image["id"]]
    status, listed, _ = api.get(f"{IMAGES}?name=life&status=queued")
    assert listed["images"] == []
    status, listed, _ = api.get(f"{IMAGES}?hw_disk_bus=virtio&visibility=shared")
    assert image["id"] in [i["id"] for i in listed["images"]]

    status, patched, _ = _patch(api, image["id"], [
        {"op": "add", "path": "/kernel_id", "value": "k-id"},
        {"op": "add", "path": "/os_command_line", "value": "console=ttyS0"},
        {"op": "replace", "path": "/min_ram", "value": 64},
        {"op": "remove", "path": "/hw_disk_bus"},
    ])
    assert status == 200, patched
    assert (patched["kernel_id"], patched["os_command_line"], patched["min_ram"]) == (
        "k-id", "console=ttyS0", 64)
    assert "hw_disk_bus" not in patched
    status, fault, _ = _patch(api, image["id"], [{"op": "remove", "path": "/nothing"}])
    assert status == 409 and fault["conflictingRequest"]["code"] == 409

    # Nova's proxy lists the same image, with Nova's status and metadata
    status, nova, _ = api.get(f"/v2.1/images/{image['id']}")
    assert status == 200
    assert nova["image"]["status"] == "ACTIVE" and nova["image"]["minRam"] == 64
    assert nova["image"]["metadata"] == {"kernel_id": "k-id",
                                         "os_command_line": "console=ttyS0"}
    status, nova_list, _ = api.get("/v2.1/images/detail")
    status, glance_list, _ = api.get(f"{IMAGES}?limit=1000")
    assert [i["id"] for i in nova_list["images"]] == [i["id"] for i in glance_list["images"]]

    # the compute-side client downloads and verifies it from the real api
    client = image_api.API(api_servers=[f"http://127.0.0.1:{deployment.port}/image"],
                           num_retries=0)
    ctxt = minova_context.RequestContext(user_id="alice", project_id="demo")
    dest = str(tmp_path / "disk")
    client.download(ctxt, shown, dest)
    with open(dest, "rb") as handle:
        assert handle.read() == data
    with pytest.raises(exception.ImageChecksumMismatch):
        client.download(ctxt, dict(shown, os_hash_value="0" * 128), str(tmp_path / "bad"))
    assert sorted(os.listdir(tmp_path)) == ["disk"]

    status, body, _ = api.delete(f"{IMAGES}/{image['id']}")
    assert status == 204
    assert not os.path.exists(stored)
    assert api.get(f"{IMAGES}/{image['id']}")[0] == 404
    assert deployment.query("SELECT id FROM images WHERE id = :id", id=image["id"]) == []


def test_chunked_upload_through_the_real_server(deployment):
    api = deployment.api.as_user(MEMBER)
    image = _create(api, name="chunked")
    data = os.urandom(200 * 1024 + 3)
    conn = http.client.HTTPConnection("127.0.0.1", deployment.port, timeout=60)
    try:
        conn.request("PUT", f"{IMAGES}/{image['id']}/file",
                     body=iter([data[:100_000], data[100_000:]]), encode_chunked=True,
                     headers={"X-Auth-Token": MEMBER,
                              "Content-Type": "application/octet-stream"})
        resp = conn.getresponse()
        resp.read()
    finally:
        conn.close()
    assert resp.status == 204
    shown = api.get(f"{IMAGES}/{image['id']}")[1]
    assert shown["size"] == len(data)
    assert shown["os_hash_value"] == hashlib.sha512(data).hexdigest()


def test_projects_do_not_see_each_others_private_images(deployment):
    api, other = deployment.api.as_user(MEMBER), deployment.api.as_user(OTHER)
    private = _create(api, name="mine-only", visibility="private")
    community = _create(api, name="for-all", visibility="community")
    assert _upload(api, private["id"], b"secret") == 204

    status, fault, _ = other.get(f"{IMAGES}/{private['id']}")
    assert status == 404 and fault["itemNotFound"]["code"] == 404
    assert other.get(f"{IMAGES}/{private['id']}/file")[0] == 404
    assert other.get(f"/v2.1/images/{private['id']}")[0] == 404
    assert other.delete(f"{IMAGES}/{private['id']}")[0] == 404
    assert _patch(other, private["id"],
                  [{"op": "replace", "path": "/name", "value": "x"}])[0] == 404
    ids = [i["id"] for i in other.get(f"{IMAGES}?limit=1000")[1]["images"]]
    assert private["id"] not in ids and community["id"] in ids
    # readable but not theirs to change
    assert other.delete(f"{IMAGES}/{community['id']}")[0] == 403
    assert deployment.api.get(f"{IMAGES}/{private['id']}")[0] == 200  # admin


def test_bad_requests(deployment):
    api = deployment.api.as_user(MEMBER)
    status, fault, _ = api.post(IMAGES, {"disk_format": "floppy"})
    assert status == 400 and "disk_format" in fault["badRequest"]["message"]
    status, fault, _ = api.post(IMAGES, {"status": "active"})
    assert status == 403 and fault["forbidden"]["message"] == "Attribute 'status' is read-only."
    protected = _create(api, name="keep", protected=True)
    status, fault, _ = api.delete(f"{IMAGES}/{protected['id']}")
    assert status == 403 and "protected" in fault["forbidden"]["message"]
    status, _, _ = api.post(IMAGES, {"name": "x" * 200_000})
    assert status == 413  # JSON bodies keep the limit


def test_minova_manage_image_import(deployment, tmp_path):
    files = {name: os.urandom(size) for name, size in
             (("vmlinuz", 40_000), ("initrd", 60_000), ("root.img", 150_000))}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    out = deployment._run("minova-manage", "image", "import", "--name", "tiny",
                          str(tmp_path / "root.img"), "--kernel", str(tmp_path / "vmlinuz"),
                          "--ramdisk", str(tmp_path / "initrd"))
    ids = dict(re.findall(r"^(kernel|ramdisk|image)\s+(\S+)", out, re.MULTILINE))
    assert set(ids) == {"kernel", "ramdisk", "image"}

    api = deployment.api.as_user(MEMBER)  # public: every project sees them
    status, image, _ = api.get(f"{IMAGES}/{ids['image']}")
    assert status == 200
    assert (image["status"], image["disk_format"], image["container_format"]) == (
        "active", "ami", "ami")
    assert (image["kernel_id"], image["ramdisk_id"], image["os_command_line"]) == (
        ids["kernel"], ids["ramdisk"], "console=ttyS0")
    for role, name in (("kernel", "vmlinuz"), ("ramdisk", "initrd"), ("image", "root.img")):
        status, body, headers = api.get(f"{IMAGES}/{ids[role]}/file")
        assert status == 200 and body == files[name], role
        assert headers["content-md5"] == hashlib.md5(files[name]).hexdigest()
    kernel = api.get(f"{IMAGES}/{ids['kernel']}")[1]
    assert (kernel["disk_format"], kernel["container_format"]) == ("aki", "aki")
    status, nova, _ = api.get(f"/v2.1/images/{ids['image']}")
    assert status == 200 and nova["image"]["metadata"]["kernel_id"] == ids["kernel"]
