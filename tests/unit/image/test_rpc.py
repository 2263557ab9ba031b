"""ConductorAPI's image methods reach ImageManager over the fake:// bus, errors included."""

import oslo_messaging as messaging
import pytest
from oslo_messaging import opts as messaging_opts

import minova.conf
from minova import exception, rpc
from minova.conductor import images as conductor_images
from minova.conductor import rpcapi

CONF = minova.conf.CONF


@pytest.fixture(scope="module")
def conductor_api():
    if "transport_url" not in CONF:
        messaging.set_transport_defaults(control_exchange="minova")
        for group, opts in messaging_opts.list_opts():
            if group is None:
                CONF.register_opts(opts)
    CONF.set_override("transport_url", "fake://")
    rpc.cleanup()
    server = rpc.get_server(messaging.Target(topic=rpcapi.TOPIC, server="image-test"),
                            [conductor_images.ImageManager("image-test")],
                            executor="threading")
    server.start()
    try:
        yield rpcapi.ConductorAPI()
    finally:
        server.stop()
        server.wait()
        rpc.cleanup()


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
