"""``/images``: Nova's image proxy."""

import pytest

from .. import fakes

BASE = "/v2.1/images"

DETAIL_KEYS = {"id", "name", "minRam", "minDisk", "metadata", "created", "updated",
               "status", "progress", "OS-EXT-IMG-SIZE:size", "links"}


def test_index(client):
    resp = client.get(BASE)
    assert resp.status_int == 200
    images = resp.json["images"]
    # newest first; another project's private image is hidden
    assert [i["id"] for i in images] == [fakes.QUEUED_IMAGE_ID, fakes.IMAGE_ID]
    assert images[1] == {"id": fakes.IMAGE_ID, "name": "cirros", "links": [
        {"rel": "self", "href": f"http://localhost/v2.1/images/{fakes.IMAGE_ID}"},
        {"rel": "bookmark", "href": f"http://localhost/images/{fakes.IMAGE_ID}"}]}


def test_detail(client):
    images = {i["id"]: i for i in client.get(BASE + "/detail").json["images"]}
    cirros = images[fakes.IMAGE_ID]
    assert set(cirros) == DETAIL_KEYS | {"OS-DCF:diskConfig"}
    assert cirros["status"] == "ACTIVE"
    assert cirros["progress"] == 100
    assert cirros["minRam"] == 64 and cirros["minDisk"] == 1
    assert cirros["OS-EXT-IMG-SIZE:size"] == 12345678
    assert cirros["metadata"] == {"architecture": "x86_64", "auto_disk_config": "True"}
    assert cirros["OS-DCF:diskConfig"] == "AUTO"
    assert cirros["created"] == "2026-11-21T05:30:49Z"
    queued = images[fakes.QUEUED_IMAGE_ID]
    assert set(queued) == DETAIL_KEYS
    assert (queued["status"], queued["progress"], queued["updated"]) == ("SAVING", 25, None)


def test_owner_and_admin_see_private_images(client):
    ids = [i["id"] for i in client.get(BASE, token=fakes.OTHER_TOKEN).json["images"]]
    assert fakes.PRIVATE_IMAGE_ID in ids
    ids = [i["id"] for i in client.get(BASE, token=fakes.ADMIN_TOKEN).json["images"]]
    assert fakes.PRIVATE_IMAGE_ID in ids


def test_filters(client):
    assert [i["id"] for i in client.get(BASE + "?name=cirros").json["images"]] == [
        fakes.IMAGE_ID]
    assert [i["id"] for i in client.get(BASE + "?status=SAVING").json["images"]] == [
        fakes.QUEUED_IMAGE_ID]
    assert [i["id"] for i in client.get(BASE + "?minRam=32").json["images"]] == [
        fakes.IMAGE_ID]
    assert client.get(BASE + "?minDisk=x").status_int == 400


def test_server_and_type_filters_find_a_servers_snapshots(client):
    """Nova's ``server`` (an id or a URL) and ``type`` filters."""
    server = "6e5fcb7a-7c4f-4b8a-9f49-1b8a7f8e9a01"
    client.image_api.images[fakes.IMAGE_ID]["properties"].update(
        instance_uuid=server, image_type="snapshot")
    for value in (server, f"http://localhost/v2.1/servers/{server}"):
        assert [i["id"] for i in client.get(f"{BASE}?server={value}").json["images"]] == [
            fakes.IMAGE_ID]
    assert [i["id"] for i in client.get(BASE + "?type=snapshot").json["images"]] == [
        fakes.IMAGE_ID]
    assert client.get(BASE + "?server=other").json["images"] == []


def test_paging(client):
    resp = client.get(BASE + "/detail?limit=1")
    assert resp.json["images_links"] == [{
        "rel": "next",
        "href": f"http://localhost/v2.1/images/detail?limit=1&marker={fakes.QUEUED_IMAGE_ID}",
    }]
    resp = client.get(f"{BASE}?marker={fakes.QUEUED_IMAGE_ID}")
    assert [i["id"] for i in resp.json["images"]] == [fakes.IMAGE_ID]
    assert client.get(BASE + "?marker=nope").status_int == 400


def test_show(client):
    resp = client.get(f"{BASE}/{fakes.IMAGE_ID}")
    assert resp.status_int == 200
    assert resp.json["image"]["name"] == "cirros"


def test_show_unknown_and_hidden(client):
    for image_id in ("nope", fakes.PRIVATE_IMAGE_ID):
        resp = client.get(f"{BASE}/{image_id}")
        assert resp.status_int == 404
        assert resp.json == {"itemNotFound": {"code": 404, "message": "Image not found."}}


# --- 2.36: the proxy is gone


@pytest.mark.parametrize("path", [BASE, BASE + "/detail", f"{BASE}/{fakes.IMAGE_ID}"])
def test_v236_proxy_is_gone(client, latest, path):
    resp = client.get(path, headers={"OpenStack-API-Version": "compute 2.35"})
    assert resp.status_int == 200
    calls = len(client.image_api.calls)
    resp = client.get(path, headers={"OpenStack-API-Version": "compute 2.36"})
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {"code": 404,
                                          "message": "The resource could not be found."}}
    assert len(client.image_api.calls) == calls  # nothing was looked up


# --- delete (up to 2.35)

def test_delete_removes_the_record_and_the_bytes(client, clean_conf, tmp_path):
    clean_conf.set_override("store_path", str(tmp_path), group="image")
    (tmp_path / fakes.IMAGE_ID).write_bytes(b"disk")
    resp = client.request("DELETE", f"{BASE}/{fakes.IMAGE_ID}", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 204 and resp.body == b""
    assert fakes.IMAGE_ID not in client.image_api.images
    assert not (tmp_path / fakes.IMAGE_ID).exists()
    assert client.get(f"{BASE}/{fakes.IMAGE_ID}").status_int == 404


def test_delete_of_another_projects_image_is_403(client):
    resp = client.request("DELETE", f"{BASE}/{fakes.IMAGE_ID}")
    assert resp.status_int == 403
    assert resp.json == {"forbidden": {"code": 403,
                                       "message": "You are not allowed to delete the image."}}
    assert fakes.IMAGE_ID in client.image_api.images


def test_delete_of_a_protected_image_is_403(client):
    client.image_api.images[fakes.IMAGE_ID]["protected"] = True
    resp = client.request("DELETE", f"{BASE}/{fakes.IMAGE_ID}", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 403
    assert fakes.IMAGE_ID in client.image_api.images


@pytest.mark.parametrize("image_id", ["nope", fakes.PRIVATE_IMAGE_ID])
def test_delete_of_an_unknown_or_hidden_image_is_404(client, image_id):
    resp = client.request("DELETE", f"{BASE}/{image_id}")
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {"code": 404, "message": "Image not found."}}
    assert len(client.image_api.images) == 3


def test_delete_is_gone_at_2_36(client, latest):
    resp = client.request("DELETE", f"{BASE}/{fakes.IMAGE_ID}", token=fakes.ADMIN_TOKEN,
                          headers={"OpenStack-API-Version": "compute 2.36"})
    assert resp.status_int == 404
    assert fakes.IMAGE_ID in client.image_api.images
