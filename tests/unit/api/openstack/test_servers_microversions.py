"""``/servers`` at each microversion boundary: version N-1 against N.

(2.19 description and 2.26/2.52 tags are tested with their own features.)
"""

import uuid

import pytest

from .. import fakes

BASE = "/v2.1/servers"
SERVER = str(uuid.UUID(int=1))
EXT = "OS-EXT-SRV-ATTR:"


pytestmark = pytest.mark.usefixtures("latest")


@pytest.fixture
def client():
    instances = [
        fakes.make_instance(1, display_name="Web Server_1.example", reservation_id="r-1",
                            launch_index=2),
        fakes.make_instance(2, host="compute2", node="compute2"),
        fakes.make_instance(3, host=None, node=None, vm_state="building",
                            task_state="scheduling"),
    ]
    return fakes.Client(fakes.FakeComputeAPI(instances))


def _show(client, version: str, token: str = fakes.ADMIN_TOKEN, server: str = SERVER) -> dict:
    resp = client.get(f"{BASE}/{server}", token=token, headers=fakes.microversion(version))
    assert resp.status_int == 200, resp.text
    return resp.json["server"]


def _detail(client, version: str, token: str = fakes.ADMIN_TOKEN, query: str = "") -> dict:
    if token == fakes.ADMIN_TOKEN:  # the servers are the member's project's
        query = (query + "&" if query else "?") + "all_tenants=1"
    resp = client.get(f"{BASE}/detail{query}", token=token, headers=fakes.microversion(version))
    assert resp.status_int == 200, resp.text
    return {s["id"]: s for s in resp.json["servers"]}


# --- 2.3: more extended server attributes (admins)

V23_KEYS = {EXT + key for key in ("reservation_id", "launch_index", "hostname", "kernel_id",
                                  "ramdisk_id", "root_device_name", "user_data")}


def test_v23_extended_attributes(client):
    assert not V23_KEYS & set(_show(client, "2.2"))
    server = _show(client, "2.3")
    assert {key: server[key] for key in V23_KEYS} == {
        EXT + "reservation_id": "r-1",
        EXT + "launch_index": 2,
        EXT + "hostname": "web-server-1-example",
        EXT + "kernel_id": "",
        EXT + "ramdisk_id": "",
        EXT + "root_device_name": None,
        EXT + "user_data": None,
    }
    assert server[EXT + "host"] == "compute1"


def test_v23_attributes_come_from_the_instance_when_it_has_them(client):
    client.compute_api.instances[SERVER].update(
        hostname="kept", kernel_id="k-1", ramdisk_id="r-1", root_device_name="/dev/vda",
        user_data="aGVsbG8=")
    server = _show(client, "2.3")
    assert (server[EXT + "hostname"], server[EXT + "kernel_id"], server[EXT + "ramdisk_id"],
            server[EXT + "root_device_name"], server[EXT + "user_data"]) == (
        "kept", "k-1", "r-1", "/dev/vda", "aGVsbG8=")


def test_v23_attributes_are_for_admins(client):
    server = _show(client, "2.3", token=fakes.USER_TOKEN)
    assert not V23_KEYS & set(server)
    assert EXT + "host" not in server


def test_v23_in_detail(client):
    servers = _detail(client, "2.3")
    assert servers[SERVER][EXT + "launch_index"] == 2
    assert all(V23_KEYS <= set(s) for s in servers.values())


@pytest.mark.parametrize("name,hostname", [
    ("web-1", "web-1"),
    ("My Server", "my-server"),
    ("a_b.c", "a-b-c"),
    ("--x--", "x"),
    ("héllo wörld", "héllo-wörld"),
    ("日本", None),
    ("x" * 70, "x" * 63),
])
def test_v23_hostname_as_nova_sanitizes_the_name(client, name, hostname):
    client.compute_api.instances[SERVER]["display_name"] = name
    expected = hostname if hostname is not None else f"Server-{SERVER}"
    assert _show(client, "2.3")[EXT + "hostname"] == expected


# --- 2.9: locked


def test_v29_locked(client):
    assert "locked" not in _show(client, "2.8", token=fakes.USER_TOKEN)
    assert _show(client, "2.9", token=fakes.USER_TOKEN)["locked"] is False
    assert {s["locked"] for s in _detail(client, "2.9").values()} == {False}


# --- 2.16: host_status (admins)


@pytest.mark.parametrize("service,expected", [
    ({"state": "up", "disabled": False, "forced_down": False}, "UP"),
    ({"state": "down", "disabled": False, "forced_down": False}, "UNKNOWN"),
    ({"state": "down", "disabled": False, "forced_down": True}, "DOWN"),
    ({"state": "up", "disabled": True, "forced_down": False}, "MAINTENANCE"),
    ({"state": "down", "disabled": True, "forced_down": True}, "DOWN"),
    (None, ""),
])
def test_v216_host_status(client, service, expected):
    if service is not None:
        client.compute_api.compute_services["compute1"] = dict(service, host="compute1")
    assert "host_status" not in _show(client, "2.15")
    assert _show(client, "2.16")["host_status"] == expected


def test_v216_host_status_without_a_host_is_empty(client):
    client.compute_api.compute_services["compute1"] = {
        "host": "compute1", "state": "up", "disabled": False, "forced_down": False}
    servers = _detail(client, "2.16")
    assert servers[SERVER]["host_status"] == "UP"
    assert servers[str(uuid.UUID(int=2))]["host_status"] == ""  # no compute2 service
    assert servers[str(uuid.UUID(int=3))]["host_status"] == ""  # not placed yet


def test_v216_host_status_is_for_admins(client):
    assert "host_status" not in _show(client, "2.16", token=fakes.USER_TOKEN)
    assert all("host_status" not in s
               for s in _detail(client, "2.16", token=fakes.USER_TOKEN).values())
    assert not any(call[0] == "get_instances_host_statuses"
                   for call in client.compute_api.calls)


def test_v216_detail_asks_for_host_statuses_once(client):
    _detail(client, "2.16")
    calls = [c for c in client.compute_api.calls if c[0] == "get_instances_host_statuses"]
    assert len(calls) == 1 and len(calls[0][1]["instances"]) == 3


# --- 2.47: the flavor embedded in the server


def test_v247_flavor(client):
    client.compute_api.instances[SERVER]["flavor"].update(
        swap=512, ephemeral_gb=5, extra_specs={"hw:cpu_policy": "dedicated"})
    assert _show(client, "2.46")["flavor"] == {
        "id": "1", "links": [{"rel": "bookmark", "href": "http://localhost/flavors/1"}]}
    assert _show(client, "2.47", token=fakes.USER_TOKEN)["flavor"] == {
        "original_name": "m1.tiny", "vcpus": 1, "ram": 512, "disk": 1, "ephemeral": 5,
        "swap": 512, "extra_specs": {"hw:cpu_policy": "dedicated"},
    }


def test_v247_extra_specs_follow_their_policy(client, tmp_path):
    from oslo_config import cfg

    from minova import policy

    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(
        '"os_compute_api:servers:show:flavor-extra-specs": "rule:context_is_admin"\n')
    policy.init()
    cfg.CONF.set_override("policy_file", str(policy_file), group="oslo_policy")
    policy.reset()
    assert "extra_specs" not in _show(client, "2.47", token=fakes.USER_TOKEN)["flavor"]
    assert "extra_specs" not in _detail(
        client, "2.47", token=fakes.USER_TOKEN)[SERVER]["flavor"]
    assert _show(client, "2.47")["flavor"]["extra_specs"] == {}


# --- 2.5: ip6 for everyone; minova's servers have no addresses


def test_v25_ip6_filter_for_members(client):
    assert len(_detail(client, "2.4", token=fakes.USER_TOKEN, query="?ip6=fe80::1")) == 3
    assert _detail(client, "2.5", token=fakes.USER_TOKEN, query="?ip6=fe80::1") == {}


@pytest.mark.parametrize("query", ["?ip=10.0.0.1", "?ip=.*", "?ip6=::"])
def test_ip_filters_match_no_server(client, query):
    assert _detail(client, "2.1", query=query) == {}


# --- 2.37: networks required, "auto"/"none"; 2.32/2.42 device tags


def _create(client, version: str, **server) -> int:
    body = {"server": dict({"name": "web", "imageRef": fakes.IMAGE_ID, "flavorRef": "1"},
                           **server)}
    return client.post(BASE, body, headers=fakes.microversion(version)).status_int


@pytest.mark.parametrize("networks", ["auto", "none"])
def test_v237_networks_auto_or_none(client, networks):
    assert _create(client, "2.36", networks=networks) == 400
    assert _create(client, "2.37", networks=networks) == 202


def test_v237_networks_required(client):
    assert _create(client, "2.36") == 202
    assert _create(client, "2.37") == 400
    assert _create(client, "2.37", networks=[]) == 202


def test_v237_network_uuid_must_be_a_uuid(client):
    assert _create(client, "2.36", networks=[{"uuid": "net"}]) == 202
    assert _create(client, "2.37", networks=[{"uuid": "net"}]) == 400
    assert _create(client, "2.37", networks=[{"uuid": str(uuid.uuid4())}]) == 202


@pytest.mark.parametrize("version,status", [
    ("2.31", 400), ("2.32", 202), ("2.36", 202), ("2.37", 400), ("2.41", 400), ("2.42", 202),
])
def test_network_tag(client, version, status):
    networks = [{"uuid": str(uuid.uuid4()), "tag": "nic1"}]
    assert _create(client, version, networks=networks) == status


@pytest.mark.parametrize("tag", ["a/b", "a,b", "x" * 61, ""])
def test_v242_bad_network_tag(client, tag):
    assert _create(client, "2.42", networks=[{"port": None, "tag": tag}]) == 400


# --- 2.38: an unknown status is a 400


def test_v238_invalid_status(client):
    assert _detail(client, "2.37", query="?status=NOPE") == {}
    resp = client.get(f"{BASE}?status=NOPE", headers=fakes.microversion("2.38"))
    assert resp.status_int == 400
    assert resp.json == {"badRequest": {"code": 400, "message": "Invalid status value"}}
    assert len(_detail(client, "2.38", query="?status=ACTIVE&status=NOPE")) == 2


# --- what 2.1 clients get is unchanged


def test_v21_view_has_none_of_the_later_keys(client):
    server = _show(client, "2.1")
    assert not {"locked", "host_status", "description", "tags"} & set(server)
    assert not V23_KEYS & set(server)
    assert set(server["flavor"]) == {"id", "links"}
