"""ConductorAPI's image methods reach ImageManager over the fake:// bus, errors included."""

import pytest

import minova.conf
from minova import exception
from minova.conductor import images as conductor_images
from minova.conductor import rpcapi
from tests import fake_bus

CONF = minova.conf.CONF


@pytest.fixture(scope="module")
def conductor_api():
    with fake_bus.rpc_server(rpcapi.TOPIC, "image-test",
                             [conductor_images.ImageManager("image-test")]):
        yield rpcapi.ConductorAPI()


def test_image_calls_round_trip(conductor_api, sqlite_db, ctxt_factory):
    member, other = ctxt_factory("p1"), ctxt_factory("p2")
    image = conductor_api.image_create(member, {"name": "a", "visibility": "private",
                                                "disk_format": "raw",
                                                "container_format": "bare",
                                                "properties": {"k": "v"}})
    assert image["owner"] == "p1" and image["status"] == "queued"
    assert conductor_api.image_get(member, image["id"])["properties"] == {"k": "v"}
    # the existing call signature (the /v2.1/images proxy) still works
    assert [i["id"] for i in conductor_api.image_get_all(member)] == [image["id"]]
    assert conductor_api.image_get_all(other) == []
    assert conductor_api.image_get_all(member, {"name": "b"}, limit=5) == []
    with pytest.raises(exception.ImageNotFound):
        conductor_api.image_get(other, image["id"])
    updated = conductor_api.image_update(member, image["id"], {"status": "saving"},
                                         properties={"x": "1"}, remove_properties=["k"],
                                         expected_status="queued")
    assert updated["status"] == "saving" and updated["properties"] == {"x": "1"}
    with pytest.raises(exception.ImageStatusConflict):
        conductor_api.image_update(member, image["id"], {"status": "saving"},
                                   expected_status="queued")
    assert conductor_api.image_delete(member, image["id"])["id"] == image["id"]
    with pytest.raises(exception.ImageNotFound):
        conductor_api.image_get(member, image["id"])
