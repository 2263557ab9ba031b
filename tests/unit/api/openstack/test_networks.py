"""``/os-networks``: a cloud without networks, answered as Nova's proxy."""

import pytest

from .. import fakes

BASE = "/v2.1/os-networks"


def test_list_is_empty(client):
    resp = client.get(BASE)
    assert resp.status_int == 200
    assert resp.json == {"networks": []}


def test_any_network_is_unknown(client):
    resp = client.get(BASE + "/00000000-0000-0000-0000-000000000001")
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {"code": 404, "message": "Network not found"}}


@pytest.mark.parametrize("method, path, body", [
    ("POST", BASE, {"network": {"label": "x"}}),
    ("POST", BASE + "/add", {"id": "x"}),
    ("DELETE", BASE + "/n1", None),
    ("POST", BASE + "/n1/action", {"disassociate": None}),
    ("POST", BASE + "/n1/action", {"associate_host": "h"}),
])
def test_nova_networks_calls_are_gone(client, method, path, body):
    resp = client.request(method, path, body=body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 410
    assert resp.json["computeFault"]["code"] == 410


def test_unknown_action_is_400(client):
    resp = client.request("POST", BASE + "/n1/action", body={"bogus": 1})
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == "There is no such action: bogus"


@pytest.mark.parametrize("path", [BASE, BASE + "/n1"])
def test_gone_at_2_36(client, latest, path):
    assert client.get(path, headers=fakes.microversion("2.35")).status_int in (200, 404)
    resp = client.get(path, headers=fakes.microversion("2.36"))
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == "The resource could not be found."



def test_other_projects_readers_see_the_same_empty_list(client):
    resp = client.get(BASE, token=fakes.OTHER_TOKEN)
    assert resp.status_int == 200 and resp.json == {"networks": []}
