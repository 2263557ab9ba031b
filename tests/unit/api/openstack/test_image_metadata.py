"""``/images/{image_id}/metadata``: Nova's image-metadata proxy (to 2.38), over the
fake image records and the real quota endpoint on SQLite."""

import pytest

from minova.conductor import quotas

from .. import fakes
from ..fakes.images import make_image

OWN = "0e9b5bd3-5d4a-4a50-a1a6-2d6b1c1f0001"
BASE = f"/v2.1/images/{OWN}/metadata"


@pytest.fixture
def client(sqlite_db):
    images = fakes.FakeImageAPI()
    images.images[OWN] = make_image(OWN, 9, properties={"kernel_id": "k", "os": "linux"})
    conductor = fakes.EndpointConductor(quotas.QuotaManager("test"), "quota_")
    return fakes.Client(conductor_api=conductor, image_api=images)


def _props(client) -> dict:
    return client.image_api.images[OWN]["properties"]


def test_index_and_show(client):
    resp = client.get(BASE)
    assert resp.status_int == 200
    assert resp.json == {"metadata": {"kernel_id": "k", "os": "linux"}}
    assert client.get(BASE + "/os").json == {"meta": {"os": "linux"}}
    assert client.get(BASE + "/nope").status_int == 404


def test_create_merges(client):
    resp = client.post(BASE, {"metadata": {"os": "bsd", "arch": "x86_64"}})
    assert resp.status_int == 200
    assert resp.json == {"metadata": {"kernel_id": "k", "os": "bsd", "arch": "x86_64"}}
    assert _props(client) == {"kernel_id": "k", "os": "bsd", "arch": "x86_64"}


def test_update_all_replaces(client):
    resp = client.request("PUT", BASE, body={"metadata": {"only": "this"}})
    assert resp.status_int == 200 and resp.json == {"metadata": {"only": "this"}}
    assert _props(client) == {"only": "this"}


def test_update_one_key(client):
    resp = client.request("PUT", BASE + "/os", body={"meta": {"os": "hurd"}})
    assert resp.status_int == 200 and resp.json == {"meta": {"os": "hurd"}}
    assert _props(client)["os"] == "hurd"
    resp = client.request("PUT", BASE + "/os", body={"meta": {"other": "x"}})
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == "Request body and URI mismatch"


def test_delete(client):
    resp = client.delete(BASE + "/os")
    assert resp.status_int == 204
    assert _props(client) == {"kernel_id": "k"}
    resp = client.delete(BASE + "/os")
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == "Invalid metadata key"


def test_over_the_metadata_quota_is_403(client, clean_conf):
    clean_conf.set_override("metadata_items", 2, group="quota")
    resp = client.post(BASE, {"metadata": {"a": "1"}})
    assert resp.status_int == 403
    assert resp.json["forbidden"]["message"] == "Image metadata limit exceeded"
    assert _props(client) == {"kernel_id": "k", "os": "linux"}


def test_another_projects_image_cannot_be_changed(client):
    resp = client.post(f"/v2.1/images/{fakes.IMAGE_ID}/metadata", {"metadata": {"a": "1"}})
    assert resp.status_int == 403
    assert client.image_api.images[fakes.IMAGE_ID]["properties"].get("a") is None


@pytest.mark.parametrize("key", ["name", "min_ram", "status", "os_glance_x"])
def test_image_attributes_are_not_metadata(client, key):
    resp = client.post(BASE, {"metadata": {key: "1"}})
    assert resp.status_int == 403
    assert client.image_api.mutating_calls() == []


@pytest.mark.parametrize("image_id", ["nope", fakes.PRIVATE_IMAGE_ID])
def test_unknown_or_hidden_image_is_404(client, image_id):
    resp = client.get(f"/v2.1/images/{image_id}/metadata")
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == "Image not found."


@pytest.mark.parametrize("body", [{}, {"metadata": {"a/b": "c"}}, {"metadata": {"a": 1}},
                                  {"metadata": {}, "x": 1}])
def test_bad_bodies_are_400(client, body):
    assert client.post(BASE, body).status_int == 400
    assert client.image_api.mutating_calls() == []


def test_gone_at_2_39(client, latest):
    assert client.get(BASE, headers=fakes.microversion("2.38")).status_int == 200
    resp = client.get(BASE, headers=fakes.microversion("2.39"))
    assert resp.status_int == 404
    resp = client.post(BASE, {"metadata": {"a": "b"}}, headers=fakes.microversion("2.39"))
    assert resp.status_int == 404
    assert "a" not in _props(client)
