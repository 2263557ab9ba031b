"""``/servers`` at the microversion boundaries after 2.53: version N-1 against N.

(The list's filters and sorting are tested with the list, in test_servers.)
"""

import uuid

import pytest

from minova import exception

from .. import fakes

BASE = "/v2.1/servers"
SERVER = str(uuid.UUID(int=1))
GROUP = "5a3c3bd2-1c42-4e2c-9d1b-2b0e2a0f4f11"
HOSTNAME = "OS-EXT-SRV-ATTR:hostname"


pytestmark = pytest.mark.usefixtures("latest")


@pytest.fixture
def client():
    instances = [
        fakes.make_instance(1, trusted_certs=["cert-1", "cert-2"],
                            pinned_availability_zone="az1",
                            scheduler_hints={"group": GROUP}, hostname="web-1"),
        fakes.make_instance(2),
    ]
    client = fakes.Client(fakes.FakeComputeAPI(instances))
    client.compute_api.server_groups[SERVER] = [GROUP]
    return client


def _show(client, version: str, token: str = fakes.USER_TOKEN) -> dict:
    resp = client.get(f"{BASE}/{SERVER}", token=token, headers=fakes.microversion(version))
    assert resp.status_int == 200, resp.text
    return resp.json["server"]


def _detail(client, version: str, token: str = fakes.USER_TOKEN) -> dict:
    resp = client.get(f"{BASE}/detail", token=token, headers=fakes.microversion(version))
    assert resp.status_int == 200, resp.text
    return {s["id"]: s for s in resp.json["servers"]}


def _update(client, version: str, **server):
    return client.request("PUT", f"{BASE}/{SERVER}", body={"server": server},
                          headers=fakes.microversion(version))


def _create(client, version: str, token: str = fakes.USER_TOKEN, **server):
    body = {"server": dict({"name": "web", "imageRef": fakes.IMAGE_ID, "flavorRef": "1",
                            "networks": "none"}, **server)}
    return client.post(BASE, body, token=token, headers=fakes.microversion(version))


def _created(client) -> dict:
    return [c for c in client.compute_api.calls if c[0] == "create"][-1][1]


# --- 2.63: trusted image certificates


def test_v263_trusted_image_certificates_in_views(client):
    assert "trusted_image_certificates" not in _show(client, "2.62")
    assert _show(client, "2.63")["trusted_image_certificates"] == ["cert-1", "cert-2"]
    other = str(uuid.UUID(int=2))
    assert _detail(client, "2.63")[other]["trusted_image_certificates"] is None
    resp = _update(client, "2.63", name="renamed")
    assert resp.json["server"]["trusted_image_certificates"] == ["cert-1", "cert-2"]


def test_v263_trusted_image_certificates_at_create(client):
    assert _create(client, "2.62", trusted_image_certificates=["c"]).status_int == 400
    resp = _create(client, "2.63", trusted_image_certificates=["c1", "c2"])
    assert resp.status_int == 202, resp.text
    assert _created(client)["trusted_certs"] == ["c1", "c2"]


@pytest.mark.parametrize("certs", [[], ["a", "a"], [""], ["c"] * 51, "c", [1]])
def test_v263_bad_trusted_image_certificates(client, certs):
    resp = _create(client, "2.63", trusted_image_certificates=certs)
    assert resp.status_int == 400
    assert not client.compute_api.mutating_calls()


# --- 2.71: the server's groups in show and update


def test_v271_server_groups(client):
    assert "server_groups" not in _show(client, "2.70")
    assert _show(client, "2.71")["server_groups"] == [GROUP]
    assert _update(client, "2.71", name="x").json["server"]["server_groups"] == [GROUP]
    # not in the list, as Nova (one lookup per server would be too costly)
    assert "server_groups" not in _detail(client, "2.71")[SERVER]
    other = client.get(f"{BASE}/{uuid.UUID(int=2)}",
                       headers=fakes.microversion("2.71")).json["server"]
    assert other["server_groups"] == []


# --- 2.73: locked_reason (minova has no lock action)


def test_v273_locked_reason(client):
    assert "locked_reason" not in _show(client, "2.72")
    server = _show(client, "2.73")
    assert server["locked_reason"] is None and server["locked"] is False
    assert _detail(client, "2.73")[SERVER]["locked_reason"] is None


# --- 2.74: host / hypervisor_hostname at create, for admins


def test_v274_requested_destination(client):
    assert _create(client, "2.73", token=fakes.ADMIN_TOKEN, host="compute1").status_int == 400
    resp = _create(client, "2.74", token=fakes.ADMIN_TOKEN, host="compute1",
                   hypervisor_hostname="compute1.example.org")
    assert resp.status_int == 202, resp.text
    created = _created(client)
    assert (created["requested_host"], created["requested_node"]) == (
        "compute1", "compute1.example.org")
    assert _create(client, "2.74", token=fakes.ADMIN_TOKEN,
                   hypervisor_hostname="n1").status_int == 202
    assert "requested_host" not in _created(client)


def test_v274_requested_destination_is_for_admins(client):
    resp = _create(client, "2.74", host="compute1")
    assert resp.status_int == 403
    assert not client.compute_api.mutating_calls()


@pytest.mark.parametrize("server", [{"host": ""}, {"host": "bad host"},
                                    {"hypervisor_hostname": ""}, {"host": "x" * 256}])
def test_v274_bad_destination(client, server):
    assert _create(client, "2.74", token=fakes.ADMIN_TOKEN, **server).status_int == 400


def test_v274_unknown_destination_is_a_400(client):
    client.compute_api.fail_with["create"] = exception.RequestedDestinationNotFound(
        host="nope", node=None)
    resp = _create(client, "2.74", token=fakes.ADMIN_TOKEN, host="nope")
    assert resp.status_int == 400
    assert "Compute host nope" in resp.json["badRequest"]["message"]


# --- 2.75: the update answers the full view


def test_v275_update_answers_the_full_view(client):
    before = _update(client, "2.74", name="a").json["server"]
    after = _update(client, "2.75", name="b").json["server"]
    assert "OS-EXT-STS:vm_state" not in before
    assert after["OS-EXT-STS:vm_state"] == "active"
    assert set(after) == set(_show(client, "2.75"))


# --- 2.90: the hostname for every user


def test_v290_hostname_for_every_user(client):
    assert HOSTNAME not in _show(client, "2.89")
    assert _show(client, "2.90")[HOSTNAME] == "web-1"
    admin = _show(client, "2.90", token=fakes.ADMIN_TOKEN)
    assert admin[HOSTNAME] == "web-1" and "OS-EXT-SRV-ATTR:host" in admin


# --- 2.96: pinned_availability_zone; 2.100: scheduler_hints


def test_v296_pinned_availability_zone(client):
    assert "pinned_availability_zone" not in _show(client, "2.95")
    assert _show(client, "2.96")["pinned_availability_zone"] == "az1"
    assert _detail(client, "2.96")[str(uuid.UUID(int=2))]["pinned_availability_zone"] is None


def test_v2100_scheduler_hints(client):
    assert "scheduler_hints" not in _show(client, "2.99")
    assert _show(client, "2.100")["scheduler_hints"] == {"group": [GROUP]}
    assert _detail(client, "2.100")[str(uuid.UUID(int=2))]["scheduler_hints"] == {}


def test_server_groups_policy_target_is_unchanged(client):
    """The 2.71 lookup happens after the show policy: another project's
    server stays a 404 without a lookup."""
    other = fakes.make_instance(3, project_id=fakes.OTHER_PROJECT)
    client.compute_api.instances[other["uuid"]] = other
    resp = client.get(f"{BASE}/{other['uuid']}", headers=fakes.microversion("2.71"))
    assert resp.status_int == 404
    assert not [c for c in client.compute_api.calls if c[0] == "get_server_groups"]


@pytest.mark.parametrize("value, count", [("true", 1), ("false", 1), ("0", 1)])
def test_v273_locked_filter(client, value, count):
    """One of the two servers is locked; before 2.73 the filter is dropped."""
    client.compute_api.instances[str(uuid.UUID(int=1))]["locked"] = True
    resp = client.get(f"{BASE}/detail?locked={value}", headers=fakes.microversion("2.73"))
    assert resp.status_int == 200
    assert len(resp.json["servers"]) == count
    locked = [s["locked"] for s in resp.json["servers"]]
    assert locked == [value == "true"]
    assert len(client.get(f"{BASE}?locked=true",
                          headers=fakes.microversion("2.72")).json["servers"]) == 2


def test_v273_bad_locked_filter(client):
    resp = client.get(f"{BASE}?locked=maybe", headers=fakes.microversion("2.73"))
    assert resp.status_int == 400


# --- 2.75: unknown query parameters of the list are a 400


@pytest.mark.parametrize("path", [BASE, f"{BASE}/detail"])
def test_v275_unknown_query_parameter(client, path):
    assert client.get(f"{path}?bogus=1", headers=fakes.microversion("2.74")).status_int == 200
    resp = client.get(f"{path}?bogus=1", headers=fakes.microversion("2.75"))
    assert resp.status_int == 400
    assert "'bogus' was unexpected" in resp.json["badRequest"]["message"]
    known = "?name=web&sort_key=display_name&limit=5&changes-before=2026-11-21T00:00:00Z&locked=0"
    assert client.get(path + known, headers=fakes.microversion("2.75")).status_int == 200


def test_v275_ignored_sort_keys_are_a_400(client):
    assert client.get(f"{BASE}?sort_key=vcpus",
                      headers=fakes.microversion("2.74")).status_int == 200
    resp = client.get(f"{BASE}?sort_key=vcpus", headers=fakes.microversion("2.75"))
    assert resp.status_int == 400
    assert client.get(f"{BASE}?sort_key=locked",
                      headers=fakes.microversion("2.75")).status_int == 200


def test_v275_update_shows_host_status_to_admins(client):
    def update(version):
        return client.request("PUT", f"{BASE}/{SERVER}", body={"server": {"name": "x"}},
                              token=fakes.ADMIN_TOKEN,
                              headers=fakes.microversion(version)).json["server"]

    assert "host_status" not in update("2.74")
    assert update("2.75")["host_status"] == _show(client, "2.75",
                                                  token=fakes.ADMIN_TOKEN)["host_status"]
    assert "host_status" not in _update(client, "2.75", name="y").json["server"]
