"""``/os-server-groups``, over the real conductor endpoint on SQLite.

The real server group facade runs over an EndpointConductor, which calls
minova.conductor.server_groups directly (no bus), so the scoping, the
errors and the stored values are the real ones.
"""

import pytest
from oslo_config import cfg

from minova import policies, policy
from minova.api import api_version_request as api_version
from minova.conductor import server_groups
from minova.context import RequestContext
from minova.db import engine, instances
from minova.db import server_groups as db_groups
from tests.unit.db.helpers import FLAVOR

from .. import fakes

BASE = "/v2.1/os-server-groups"
MISSING = "9a0dd2b6-06e5-4d55-9a4c-2b1f0d1e3c11"
ADMIN = RequestContext(user_id="admin", project_id="admin", is_admin=True)
MEMBER = RequestContext(user_id=fakes.USER, project_id=fakes.PROJECT)


@pytest.fixture
def client(sqlite_db):
    conductor = fakes.EndpointConductor(server_groups.ServerGroupManager("test"), "server_group_")
    return fakes.Client(conductor_api=conductor)


def _create(client, name="web", policy="anti-affinity", token=fakes.USER_TOKEN,
            version=None) -> dict:
    """Create through the API, in the body shape of ``version`` (2.1 when None)."""
    if version is not None and api_version.APIVersionRequest(version).matches("2.64"):
        body = {"server_group": {"name": name, "policy": policy}}
    else:
        body = {"server_group": {"name": name, "policies": [policy]}}
    resp = client.post(BASE, body, token=token, headers=fakes.microversion(version))
    assert resp.status_int == 200, resp.json
    return resp.json["server_group"]


def _all_groups() -> list[dict]:
    """What the database holds, every project's."""
    return db_groups.get_all(ADMIN, all_projects=True)


def _boot_member(group_uuid: str) -> dict:
    """An instance of the user's project that joined the group at its create."""
    return instances.create(MEMBER, [{
        "display_name": "vm", "project_id": fakes.PROJECT, "user_id": fakes.USER,
        "image_ref": None, "flavor": FLAVOR, "vcpus": 1, "memory_mb": 512, "root_gb": 1,
        "ephemeral_gb": 0, "vm_state": "building", "task_state": "scheduling",
        "power_state": 0, "metadata": {}, "config_drive": ""}], group_uuid=group_uuid)[0]


# --- create


def test_create_at_2_1_answers_nova_v21_shape(client):
    group = _create(client, policy="affinity")
    assert set(group) == {"id", "name", "policies", "members", "metadata"}
    assert group["name"] == "web" and group["policies"] == ["affinity"]
    assert group["members"] == [] and group["metadata"] == {}
    [stored] = _all_groups()
    assert stored["uuid"] == group["id"] and stored["project_id"] == fakes.PROJECT
    assert stored["user_id"] == fakes.USER and stored["rules"] == {}


def test_create_at_2_13_adds_project_and_user(client, latest):
    group = _create(client, version="2.13")
    assert set(group) == {"id", "name", "policies", "members", "metadata", "project_id",
                          "user_id"}
    assert (group["project_id"], group["user_id"]) == (fakes.PROJECT, fakes.USER)


@pytest.mark.parametrize("policy", ["soft-affinity", "soft-anti-affinity"])
def test_soft_policies_from_2_15(client, latest, policy):
    for version in (None, "2.14"):
        resp = client.post(BASE, {"server_group": {"name": "g", "policies": [policy]}},
                           headers=fakes.microversion(version))
        assert resp.status_int == 400 and resp.json["badRequest"]["code"] == 400
    assert _all_groups() == []
    assert _create(client, policy=policy, version="2.15")["policies"] == [policy]


def test_create_at_2_64_takes_policy_and_rules(client, latest):
    body = {"server_group": {"name": "web", "policy": "anti-affinity",
                             "rules": {"max_server_per_host": "3"}}}
    resp = client.post(BASE, body, headers=fakes.microversion("2.64"))
    assert resp.status_int == 200, resp.json
    group = resp.json["server_group"]
    assert set(group) == {"id", "name", "policy", "rules", "members", "project_id",
                          "user_id"}
    assert group["policy"] == "anti-affinity"
    assert group["rules"] == {"max_server_per_host": 3}  # an integer, as Nova shows it
    assert _all_groups()[0]["rules"] == {"max_server_per_host": 3}
    assert _create(client, name="db", policy="affinity", version="2.64")["rules"] == {}
    # the same group at 2.1: a list of its one policy and empty metadata
    shown = client.get(f"{BASE}/{group['id']}").json["server_group"]
    assert shown["policies"] == ["anti-affinity"] and shown["metadata"] == {}


@pytest.mark.parametrize("policy", ["affinity", "soft-affinity", "soft-anti-affinity"])
def test_rules_only_with_anti_affinity(client, latest, policy):
    body = {"server_group": {"name": "g", "policy": policy,
                             "rules": {"max_server_per_host": 2}}}
    resp = client.post(BASE, body, headers=fakes.microversion("2.64"))
    assert resp.status_int == 400
    assert resp.json == {"badRequest": {
        "code": 400, "message": "Only anti-affinity policy supports rules."}}
    assert _all_groups() == []


@pytest.mark.parametrize("version, body", [
    (None, None),
    (None, []),
    (None, {"name": "g", "policies": ["affinity"]}),
    (None, {"server_group": {"policies": ["affinity"]}}),
    (None, {"server_group": {"name": "g"}}),
    (None, {"server_group": {"name": "", "policies": ["affinity"]}}),
    (None, {"server_group": {"name": " g", "policies": ["affinity"]}}),
    (None, {"server_group": {"name": "x" * 256, "policies": ["affinity"]}}),
    (None, {"server_group": {"name": "g", "policies": []}}),
    (None, {"server_group": {"name": "g", "policies": "affinity"}}),
    (None, {"server_group": {"name": "g", "policies": ["affinity", "anti-affinity"]}}),
    (None, {"server_group": {"name": "g", "policies": ["affinity", "affinity"]}}),
    (None, {"server_group": {"name": "g", "policies": ["legacy"]}}),
    (None, {"server_group": {"name": "g", "policies": ["affinity"], "extra": 1}}),
    (None, {"server_group": {"name": "g", "policy": "affinity"}}),
    ("2.64", {"server_group": {"name": "g", "policies": ["affinity"]}}),
    ("2.64", {"server_group": {"name": "g"}}),
    ("2.64", {"server_group": {"name": "g", "policy": "legacy"}}),
    ("2.64", {"server_group": {"name": "g", "policy": "anti-affinity",
                               "rules": {"max_server_per_host": 0}}}),
    ("2.64", {"server_group": {"name": "g", "policy": "anti-affinity",
                               "rules": {"max_server_per_host": "foo"}}}),
    ("2.64", {"server_group": {"name": "g", "policy": "anti-affinity",
                               "rules": {"unknown_key": "3"}}}),
    ("2.64", {"server_group": {"name": "g", "policy": "anti-affinity", "rules": []}}),
])
def test_bad_bodies_are_400_and_create_nothing(client, latest, version, body):
    resp = client.post(BASE, body, headers=fakes.microversion(version))
    assert resp.status_int == 400
    assert set(resp.json) == {"badRequest"} and resp.json["badRequest"]["code"] == 400
    assert resp.json["badRequest"]["message"]
    assert _all_groups() == []


def test_bad_body_message_is_novas(client):
    resp = client.post(BASE, {"server_group": {"name": "g", "policies": ["legacy"]}})
    assert resp.json["badRequest"]["message"].startswith(
        "Invalid input for field/attribute 0. Value: legacy.")


# --- show


def test_show_lists_live_members(client, latest):
    group = _create(client)
    first, second = _boot_member(group["id"]), _boot_member(group["id"])
    resp = client.get(f"{BASE}/{group['id']}")
    assert resp.status_int == 200
    assert resp.json["server_group"]["members"] == [first["uuid"], second["uuid"]]
    with engine.transaction() as conn:
        instances.soft_delete(first["uuid"], conn)
    shown = client.get(f"{BASE}/{group['id']}",
                       headers=fakes.microversion("2.64")).json["server_group"]
    assert shown["members"] == [second["uuid"]]
    assert set(shown) == {"id", "name", "policy", "rules", "members", "project_id",
                          "user_id"}


def test_another_projects_group_is_404_except_for_admins(client):
    group = _create(client, token=fakes.OTHER_TOKEN)
    for method in ("GET", "DELETE"):
        resp = client.request(method, f"{BASE}/{group['id']}")
        assert resp.status_int == 404
        assert resp.json == {"itemNotFound": {
            "code": 404, "message": f"Instance group {group['id']} could not be found."}}
    assert len(_all_groups()) == 1
    resp = client.get(f"{BASE}/{group['id']}", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200 and resp.json["server_group"]["id"] == group["id"]


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_unknown_group_is_404(client, method):
    resp = client.request(method, f"{BASE}/{MISSING}")
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == (
        f"Instance group {MISSING} could not be found.")


# --- delete


def test_delete_is_204_and_keeps_the_members(client):
    group = _create(client)
    member = _boot_member(group["id"])
    resp = client.delete(f"{BASE}/{group['id']}")
    assert resp.status_int == 204 and resp.body == b""
    assert client.get(f"{BASE}/{group['id']}").status_int == 404
    assert _all_groups() == []
    assert instances.get(ADMIN, member["uuid"])["vm_state"] == "building"


def test_admin_deletes_another_projects_group(client):
    group = _create(client)
    assert client.delete(f"{BASE}/{group['id']}", token=fakes.ADMIN_TOKEN).status_int == 204
    assert _all_groups() == []


# --- index


def test_index_lists_own_project_unless_admin_asks_for_all(client):
    mine = [_create(client, name=f"g{i}")["id"] for i in range(3)]
    theirs = _create(client, name="theirs", token=fakes.OTHER_TOKEN)["id"]
    resp = client.get(BASE)
    assert resp.status_int == 200
    assert [g["id"] for g in resp.json["server_groups"]] == mine
    assert set(resp.json["server_groups"][0]) == {"id", "name", "policies", "members",
                                                  "metadata"}
    # a member asking for all projects gets its own, not a 403 (Nova)
    assert [g["id"] for g in client.get(BASE + "?all_projects=True").json[
        "server_groups"]] == mine
    assert client.get(BASE, token=fakes.ADMIN_TOKEN).json["server_groups"] == []
    everything = client.get(BASE + "?all_projects=1", token=fakes.ADMIN_TOKEN).json
    assert [g["id"] for g in everything["server_groups"]] == mine + [theirs]


def test_index_limit_and_offset(client):
    ids = [_create(client, name=f"g{i}")["id"] for i in range(4)]
    page = client.get(BASE + "?limit=2&offset=1").json["server_groups"]
    assert [g["id"] for g in page] == ids[1:3]
    assert [g["id"] for g in client.get(BASE + "?limit=0").json["server_groups"]] == ids
    assert client.get(BASE + "?offset=9").json["server_groups"] == []
    cfg.CONF.set_override("max_limit", 3, group="api")
    assert len(client.get(BASE + "?limit=10").json["server_groups"]) == 3


def test_index_offset_past_what_databases_take_is_an_empty_page(client):
    # found by the OpenAPI fuzzing: this offset was the database's error (500)
    _create(client)
    resp = client.get(BASE + "?offset=1563183791727885680640")
    assert resp.status_int == 200
    assert resp.json["server_groups"] == []


@pytest.mark.parametrize("query, message", [
    ("limit=abc", "limit param must be an integer"),
    ("limit=-1", "limit param must be positive"),
    ("offset=x", "offset param must be an integer"),
    ("offset=-2", "offset param must be positive"),
])
def test_index_bad_paging_is_400(client, query, message):
    resp = client.get(f"{BASE}?{query}")
    assert resp.status_int == 400
    assert resp.json == {"badRequest": {"code": 400, "message": message}}


# --- policy


def test_policies_have_novas_names_and_defaults():
    checks = {rule.name: rule.check_str for rule in policies.list_rules()}
    root = "os_compute_api:os-server-groups:"
    assert {name: check for name, check in checks.items() if name.startswith(root)} == {
        root + "create": "rule:project_member_or_admin",
        root + "delete": "rule:project_member_or_admin",
        root + "index": "rule:project_reader_or_admin",
        root + "index:all_projects": "rule:context_is_admin",
        root + "show": "rule:project_reader_or_admin",
    }


@pytest.mark.parametrize("method, path, body", [
    ("GET", BASE, None),
    ("POST", BASE, {"server_group": {"name": "g", "policies": ["affinity"]}}),
])
def test_a_denying_policy_file_is_403(client, tmp_path, method, path, body):
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"os_compute_api:os-server-groups:index": "!"\n'
                           '"os_compute_api:os-server-groups:create": "!"\n')
    policy.init()
    cfg.CONF.set_override("policy_file", str(policy_file), group="oslo_policy")
    policy.reset()
    resp = client.request(method, path, body=body)
    assert resp.status_int == 403 and resp.json["forbidden"]["code"] == 403
    assert _all_groups() == []


# --- 2.75: unknown query parameters are a 400


def test_v275_unknown_query_parameter(client, latest):
    assert client.get(BASE + "?bogus=1", headers=fakes.microversion("2.74")).status_int == 200
    resp = client.get(BASE + "?bogus=1", headers=fakes.microversion("2.75"))
    assert resp.status_int == 400
    assert "'bogus' was unexpected" in resp.json["badRequest"]["message"]
    assert client.get(BASE + "?limit=1&offset=0&all_projects=1",
                      headers=fakes.microversion("2.75")).status_int == 200
