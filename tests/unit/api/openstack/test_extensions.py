"""``/extensions``: Nova's fixed (deprecated) extension list, for every user."""

import pytest

from .. import fakes


def test_list(client):
    resp = client.get("/v2.1/extensions")
    assert resp.status_int == 200
    extensions = resp.json["extensions"]
    assert len(extensions) == 99
    assert "Hosts" in [e["name"] for e in extensions]
    assert extensions[0] == {
        "alias": "NMN", "name": "Multinic", "description": "Multiple network support.",
        "links": [], "namespace": "http://docs.openstack.org/compute/ext/fake_xml",
        "updated": "2014-12-03T00:00:00Z"}


def test_show_by_alias(client):
    resp = client.get("/v2.1/extensions/os-consoles")
    assert resp.status_int == 200
    assert resp.json["extension"]["alias"] == "os-consoles"
    resp = client.get("/v2.1/extensions/nope")
    assert resp.status_int == 404


def test_legacy_v2_lists_one_more(client):
    aliases = [e["alias"] for e in client.get("/v2/extensions").json["extensions"]]
    assert len(aliases) == 100 and "OS-EXT-VIF-NET" in aliases
    assert aliases == sorted(aliases)
    assert client.get("/v2.1/extensions/OS-EXT-VIF-NET").status_int == 404
    assert client.get("/v2/extensions/OS-EXT-VIF-NET").status_int == 200


@pytest.mark.parametrize("token", [fakes.ADMIN_TOKEN, fakes.OTHER_TOKEN])
def test_anyone_may_read_it(client, token):
    assert client.get("/v2.1/extensions", token=token).status_int == 200
