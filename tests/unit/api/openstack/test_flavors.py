"""``/flavors`` reads."""

import pytest

from .. import fakes

BASE = "/v2.1/flavors"

DETAIL_KEYS = {"id", "name", "ram", "disk", "swap", "OS-FLV-EXT-DATA:ephemeral",
               "OS-FLV-DISABLED:disabled", "vcpus", "os-flavor-access:is_public",
               "rxtx_factor", "links"}


def test_index(client):
    resp = client.get(BASE)
    assert resp.status_int == 200
    assert resp.json == {"flavors": [
        {"id": "1", "name": "m1.tiny", "links": [
            {"rel": "self", "href": "http://localhost/v2.1/flavors/1"},
            {"rel": "bookmark", "href": "http://localhost/flavors/1"}]},
        {"id": "2", "name": "m1.small", "links": [
            {"rel": "self", "href": "http://localhost/v2.1/flavors/2"},
            {"rel": "bookmark", "href": "http://localhost/flavors/2"}]},
    ]}


def test_detail(client):
    flavors = client.get(BASE + "/detail").json["flavors"]
    assert [f["id"] for f in flavors] == ["1", "2"]
    tiny, small = flavors
    assert set(tiny) == DETAIL_KEYS
    assert tiny["ram"] == 512 and tiny["vcpus"] == 1 and tiny["disk"] == 1
    assert tiny["swap"] == ""
    assert small["swap"] == 512
    assert tiny["OS-FLV-EXT-DATA:ephemeral"] == 0
    assert tiny["OS-FLV-DISABLED:disabled"] is False
    assert tiny["os-flavor-access:is_public"] is True
    assert tiny["rxtx_factor"] == 1.0


def test_admin_default_is_public_only(client):
    ids = [f["id"] for f in client.get(BASE, token=fakes.ADMIN_TOKEN).json["flavors"]]
    assert ids == ["1", "2", "4"]


@pytest.mark.parametrize("value,expected", [
    ("none", ["1", "2", "3", "4"]), ("false", ["3"]), ("true", ["1", "2", "4"]),
])
def test_admin_is_public_filter(client, value, expected):
    resp = client.get(f"{BASE}?is_public={value}", token=fakes.ADMIN_TOKEN)
    assert [f["id"] for f in resp.json["flavors"]] == expected


def test_member_cannot_list_private_flavors(client):
    ids = [f["id"] for f in client.get(BASE + "?is_public=none").json["flavors"]]
    assert ids == ["1", "2"]


def test_bad_is_public(client):
    resp = client.get(BASE + "?is_public=maybe", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == "Invalid is_public filter [maybe]"


def test_min_ram_and_min_disk(client):
    assert [f["id"] for f in client.get(BASE + "?minRam=1024").json["flavors"]] == ["2"]
    assert [f["id"] for f in client.get(BASE + "?minDisk=2").json["flavors"]] == ["2"]
    assert client.get(BASE + "?minRam=lots").status_int == 400


def test_sorting(client):
    resp = client.get(BASE + "?sort_key=memory_mb&sort_dir=desc")
    assert [f["id"] for f in resp.json["flavors"]] == ["2", "1"]
    assert client.get(BASE + "?sort_key=secret").status_int == 400


def test_paging(client):
    resp = client.get(BASE + "?limit=1")
    assert [f["id"] for f in resp.json["flavors"]] == ["1"]
    assert resp.json["flavors_links"] == [
        {"rel": "next", "href": "http://localhost/v2.1/flavors?limit=1&marker=1"}]
    resp = client.get(BASE + "?limit=1&marker=1")
    assert [f["id"] for f in resp.json["flavors"]] == ["2"]
    resp = client.get(BASE + "?marker=nope")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == "marker [nope] not found"


def test_show(client):
    resp = client.get(BASE + "/2")
    assert resp.status_int == 200
    assert set(resp.json["flavor"]) == DETAIL_KEYS
    assert resp.json["flavor"]["name"] == "m1.small"


def test_show_disabled_flavor(client):
    assert client.get(BASE + "/4").json["flavor"]["OS-FLV-DISABLED:disabled"] is True


def test_show_unknown(client):
    resp = client.get(BASE + "/99")
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {"code": 404,
                                          "message": "Flavor 99 could not be found."}}


def test_show_private_flavor(client):
    assert client.get(BASE + "/3").status_int == 404
    assert client.get(BASE + "/3", token=fakes.ADMIN_TOKEN).status_int == 200


# --- 2.55 description, 2.61 extra_specs, 2.75 swap 0


def test_v255_description_in_every_view(client, latest):
    client.flavor_api.flavors["1"]["description"] = "the smallest"
    for path in ("/v2.1/flavors", "/v2.1/flavors/detail"):
        assert "description" not in client.get(path,
                                               headers=fakes.microversion("2.54")).json["flavors"][0]
        listed = {f["id"]: f for f in client.get(path,
                                                 headers=fakes.microversion("2.55")).json["flavors"]}
        assert listed["1"]["description"] == "the smallest"
    shown = client.get("/v2.1/flavors/1", headers=fakes.microversion("2.55")).json["flavor"]
    assert shown["description"] == "the smallest"


def test_v261_extra_specs_in_full_views(client, latest):
    client.flavor_api.flavors["1"]["extra_specs"] = {"hw:cpu_policy": "shared"}
    assert "extra_specs" not in client.get("/v2.1/flavors/1",
                                           headers=fakes.microversion("2.60")).json["flavor"]
    shown = client.get("/v2.1/flavors/1", headers=fakes.microversion("2.61")).json["flavor"]
    assert shown["extra_specs"] == {"hw:cpu_policy": "shared"}
    detail = client.get("/v2.1/flavors/detail", headers=fakes.microversion("2.61")).json["flavors"]
    assert {f["id"]: f["extra_specs"] for f in detail}["1"] == {"hw:cpu_policy": "shared"}
    assert "extra_specs" not in client.get("/v2.1/flavors",
                                           headers=fakes.microversion("2.61")).json["flavors"][0]


def test_v261_extra_specs_follow_their_policy(client, latest, tmp_path):
    from oslo_config import cfg

    from minova import policy

    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"os_compute_api:os-flavor-extra-specs:index": "!"\n')
    policy.init()
    cfg.CONF.set_override("policy_file", str(policy_file), group="oslo_policy")
    policy.reset()
    assert "extra_specs" not in client.get("/v2.1/flavors/1",
                                           headers=fakes.microversion("2.61")).json["flavor"]


def test_v275_swap_is_0_not_empty(client, latest):
    assert client.get("/v2.1/flavors/1",
                      headers=fakes.microversion("2.74")).json["flavor"]["swap"] == ""
    assert client.get("/v2.1/flavors/1",
                      headers=fakes.microversion("2.75")).json["flavor"]["swap"] == 0


@pytest.mark.parametrize("path", ["/v2.1/flavors", "/v2.1/flavors/detail"])
def test_v275_unknown_query_parameter(client, latest, path):
    assert client.get(path + "?bogus=1", headers=fakes.microversion("2.74")).status_int == 200
    resp = client.get(path + "?bogus=1", headers=fakes.microversion("2.75"))
    assert resp.status_int == 400
    assert "'bogus' was unexpected" in resp.json["badRequest"]["message"]
    assert client.get(path + "?minRam=1&sort_key=name&limit=1",
                      headers=fakes.microversion("2.75")).status_int == 200
