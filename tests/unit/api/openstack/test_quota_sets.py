"""``/os-quota-sets`` and ``/limits``, over the real conductor endpoint on SQLite."""

import pytest

from minova import exception
from minova.conductor import quotas
from minova.context import RequestContext
from minova.db import quotas as db_quotas
from tests.unit.db.helpers import make_instance

from .. import fakes

BASE = "/v2.1/os-quota-sets"
MEMBER = RequestContext(user_id=fakes.USER, project_id=fakes.PROJECT)

V21 = {"instances": 10, "cores": 20, "ram": 51200, "metadata_items": 128,
       "injected_files": 5, "injected_file_content_bytes": 10240,
       "injected_file_path_bytes": 255, "key_pairs": 100, "server_groups": 10,
       "server_group_members": 10, "fixed_ips": -1, "floating_ips": -1,
       "security_groups": -1, "security_group_rules": -1}
NETWORK = ("fixed_ips", "floating_ips", "security_groups", "security_group_rules")
INJECTED = ("injected_files", "injected_file_content_bytes", "injected_file_path_bytes")


@pytest.fixture
def client(sqlite_db):
    conductor = fakes.EndpointConductor(quotas.QuotaManager("test"), "quota_", "tenant_usage")
    return fakes.Client(conductor_api=conductor)


def _without(values: dict, *groups) -> dict:
    hidden = {name for group in groups for name in group}
    return {k: v for k, v in values.items() if k not in hidden}


# --- show, defaults, detail

@pytest.mark.parametrize("version, expected", [
    ("2.1", V21), ("2.35", V21), ("2.36", _without(V21, NETWORK)),
    ("2.56", _without(V21, NETWORK)), ("2.57", _without(V21, NETWORK, INJECTED)),
])
def test_show_and_defaults_per_version(client, latest, version, expected):
    for path in (f"{BASE}/{fakes.PROJECT}", f"{BASE}/{fakes.PROJECT}/defaults"):
        resp = client.get(path, headers=fakes.microversion(version))
        assert resp.status_int == 200
        assert resp.json == {"quota_set": dict(expected, id=fakes.PROJECT)}


def test_show_has_the_projects_overrides(client):
    db_quotas.set_limits(fakes.PROJECT, {"instances": 3})
    assert client.get(f"{BASE}/{fakes.PROJECT}").json["quota_set"]["instances"] == 3
    defaults = client.get(f"{BASE}/{fakes.PROJECT}/defaults").json["quota_set"]
    assert defaults["instances"] == 10


def test_another_projects_quotas_are_forbidden_for_a_member(client):
    for path in (f"{BASE}/{fakes.OTHER_PROJECT}", f"{BASE}/{fakes.OTHER_PROJECT}/detail"):
        resp = client.get(path)
        assert resp.status_int == 403
        assert "forbidden" in resp.json
    # The defaults are anyone's; an admin reads every project's.
    assert client.get(f"{BASE}/{fakes.OTHER_PROJECT}/defaults").status_int == 200
    resp = client.get(f"{BASE}/{fakes.OTHER_PROJECT}", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200 and resp.json["quota_set"]["id"] == fakes.OTHER_PROJECT


def test_detail_counts_usage(client):
    make_instance(MEMBER)
    make_instance(MEMBER)
    resp = client.get(f"{BASE}/{fakes.PROJECT}/detail")
    assert resp.status_int == 200
    quota_set = resp.json["quota_set"]
    assert quota_set["id"] == fakes.PROJECT
    assert quota_set["instances"] == {"in_use": 2, "limit": 10, "reserved": 0}
    assert quota_set["cores"] == {"in_use": 2, "limit": 20, "reserved": 0}
    assert quota_set["ram"] == {"in_use": 1024, "limit": 51200, "reserved": 0}
    assert quota_set["fixed_ips"] == {"in_use": 0, "limit": -1, "reserved": 0}


def test_detail_hides_removed_quotas_by_version(client, latest):
    quota_set = client.get(f"{BASE}/{fakes.PROJECT}/detail",
                           headers=fakes.microversion("2.57")).json
    assert set(quota_set["quota_set"]) == set(_without(V21, NETWORK, INJECTED)) | {"id"}


# --- update and delete

def test_update_as_admin(client):
    resp = client.request("PUT", f"{BASE}/{fakes.PROJECT}",
                          {"quota_set": {"instances": "5", "cores": -1}},
                          token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json == {"quota_set": dict(V21, instances=5, cores=-1)}  # no id
    assert db_quotas.get_limits(fakes.PROJECT)["instances"] == 5


def test_update_answer_follows_the_version(client, latest):
    resp = client.request("PUT", f"{BASE}/{fakes.PROJECT}", {"quota_set": {"ram": 1}},
                          token=fakes.ADMIN_TOKEN, headers=fakes.microversion("2.57"))
    assert resp.status_int == 200
    assert resp.json == {"quota_set": dict(_without(V21, NETWORK, INJECTED), ram=1)}


def test_update_is_for_admins(client):
    resp = client.request("PUT", f"{BASE}/{fakes.PROJECT}", {"quota_set": {"instances": 50}})
    assert resp.status_int == 403
    assert db_quotas.get_limits(fakes.PROJECT)["instances"] == 10


@pytest.mark.parametrize("version, body", [
    ("2.1", {"quota_set": {"instances": -2}}),
    ("2.1", {"quota_set": {"instances": "ten"}}),
    ("2.1", {"quota_set": {"instances": 1.5}}),
    ("2.1", {"quota_set": {"instances": 0x80000000}}),
    ("2.1", {"quota_set": {"bogus": 1}}),
    ("2.1", {"quota_set": {"instances": 1}, "extra": 1}),
    ("2.1", {"quota_set": "instances"}),
    ("2.1", {}),
    ("2.1", {"quota_set": {"force": "maybe"}}),
    ("2.36", {"quota_set": {"floating_ips": 1}}),
    ("2.57", {"quota_set": {"injected_files": 1}}),
])
def test_bad_update_bodies_are_400_and_change_nothing(client, latest, version, body):
    resp = client.request("PUT", f"{BASE}/{fakes.PROJECT}", body, token=fakes.ADMIN_TOKEN,
                          headers=fakes.microversion(version))
    assert resp.status_int == 400, resp.json
    assert "badRequest" in resp.json
    assert db_quotas.get_limits(fakes.PROJECT) == db_quotas.defaults()


def test_network_quotas_before_236(client):
    resp = client.request("PUT", f"{BASE}/{fakes.PROJECT}", {"quota_set": {"networks": 1}},
                          token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == "The networks quota has been removed"
    resp = client.request("PUT", f"{BASE}/{fakes.PROJECT}",
                          {"quota_set": {"floating_ips": 7}}, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200 and resp.json["quota_set"]["floating_ips"] == 7


def test_update_below_usage_needs_force(client):
    make_instance(MEMBER)
    make_instance(MEMBER)
    path = f"{BASE}/{fakes.PROJECT}"
    resp = client.request("PUT", path, {"quota_set": {"instances": 1}}, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == (
        "Quota limit 1 for instances must be greater than or equal to already used and "
        "reserved 2.")
    resp = client.request("PUT", path, {"quota_set": {"instances": 1, "force": "True"}},
                          token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200 and resp.json["quota_set"]["instances"] == 1


def test_user_quotas(client):
    """Nova's per-user quotas: a user's limits within the project's."""
    make_instance(RequestContext(user_id="bob", project_id=fakes.PROJECT))
    path = f"{BASE}/{fakes.PROJECT}?user_id=bob"
    resp = client.request("PUT", path, {"quota_set": {"instances": 2}},
                          token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200 and resp.json["quota_set"]["instances"] == 2
    assert "id" not in resp.json["quota_set"]
    assert client.get(path).json["quota_set"]["instances"] == 2
    assert client.get(f"{BASE}/{fakes.PROJECT}").json["quota_set"]["instances"] == 10
    detail = client.get(f"{BASE}/{fakes.PROJECT}/detail?user_id=bob").json["quota_set"]
    assert detail["instances"] == {"in_use": 1, "limit": 2, "reserved": 0}
    alice = client.get(f"{BASE}/{fakes.PROJECT}/detail?user_id={fakes.USER}").json
    assert alice["quota_set"]["instances"] == {"in_use": 0, "limit": 10, "reserved": 0}
    assert client.delete(path, token=fakes.ADMIN_TOKEN).status_int == 202
    assert client.get(path).json["quota_set"]["instances"] == 10


@pytest.mark.parametrize("limit, message", [
    (0, "Quota limit 0 for instances must be greater than or equal to already used and "
        "reserved 1."),
    (11, "Quota limit 11 for instances must be less than or equal to 10."),
    (-1, "Quota limit -1 for instances must be less than or equal to 10."),
])
def test_user_quota_bounds(client, limit, message):
    make_instance(RequestContext(user_id="bob", project_id=fakes.PROJECT))
    resp = client.request("PUT", f"{BASE}/{fakes.PROJECT}?user_id=bob",
                          {"quota_set": {"instances": limit}}, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == message
    assert client.get(f"{BASE}/{fakes.PROJECT}?user_id=bob").json["quota_set"][
        "instances"] == 10


def test_user_quotas_are_admins_to_set(client):
    resp = client.request("PUT", f"{BASE}/{fakes.PROJECT}?user_id=bob",
                          {"quota_set": {"instances": 1}})
    assert resp.status_int == 403
    assert client.delete(f"{BASE}/{fakes.PROJECT}?user_id=bob").status_int == 403


def test_delete_reverts_to_the_defaults(client):
    db_quotas.set_limits(fakes.PROJECT, {"instances": 3})
    assert client.delete(f"{BASE}/{fakes.PROJECT}").status_int == 403  # admins only
    resp = client.delete(f"{BASE}/{fakes.PROJECT}", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 202
    assert db_quotas.get_limits(fakes.PROJECT)["instances"] == 10


def test_unknown_query_parameters_from_275(client, latest):
    path = f"{BASE}/{fakes.PROJECT}?foo=1"
    assert client.get(path, headers=fakes.microversion("2.74")).status_int == 200
    resp = client.get(path, headers=fakes.microversion("2.75"))
    assert resp.status_int == 400
    assert client.get(f"{BASE}/{fakes.PROJECT}?user_id={fakes.USER}",
                      headers=fakes.microversion("2.75")).status_int == 200


# --- limits

LIMITS_V21 = {
    "maxImageMeta": 128, "maxPersonality": 5, "maxPersonalitySize": 10240,
    "maxSecurityGroupRules": -1, "maxSecurityGroups": -1, "maxServerMeta": 128,
    "maxTotalCores": 20, "maxTotalFloatingIps": -1, "maxTotalInstances": 10,
    "maxTotalKeypairs": 100, "maxTotalRAMSize": 51200, "maxServerGroups": 10,
    "maxServerGroupMembers": 10, "totalCoresUsed": 0, "totalInstancesUsed": 0,
    "totalRAMUsed": 0, "totalSecurityGroupsUsed": 0, "totalFloatingIpsUsed": 0,
    "totalServerGroupsUsed": 0}
_LIMITS_NETWORK = ("maxSecurityGroupRules", "maxSecurityGroups", "maxTotalFloatingIps",
                   "totalSecurityGroupsUsed", "totalFloatingIpsUsed")
_LIMITS_PERSONALITY = ("maxPersonality", "maxPersonalitySize")


@pytest.mark.parametrize("version, expected", [
    ("2.1", LIMITS_V21),
    ("2.35", LIMITS_V21),
    ("2.36", _without(LIMITS_V21, _LIMITS_NETWORK)),
    ("2.38", _without(LIMITS_V21, _LIMITS_NETWORK)),
    ("2.39", _without(LIMITS_V21, _LIMITS_NETWORK, ("maxImageMeta",))),
    ("2.56", _without(LIMITS_V21, _LIMITS_NETWORK, ("maxImageMeta",))),
    ("2.57", _without(LIMITS_V21, _LIMITS_NETWORK, ("maxImageMeta",), _LIMITS_PERSONALITY)),
])
def test_limits_per_version(client, latest, version, expected):
    resp = client.get("/v2.1/limits", headers=fakes.microversion(version))
    assert resp.status_int == 200
    assert resp.json == {"limits": {"rate": [], "absolute": expected}}


def test_limits_reflect_usage_and_overrides(client):
    make_instance(MEMBER)
    db_quotas.set_limits(fakes.PROJECT, {"instances": 4})
    absolute = client.get("/v2.1/limits").json["limits"]["absolute"]
    assert absolute["maxTotalInstances"] == 4
    assert (absolute["totalInstancesUsed"], absolute["totalCoresUsed"],
            absolute["totalRAMUsed"]) == (1, 1, 512)


def test_limits_of_another_project_are_for_admins(client):
    make_instance(RequestContext(user_id="bob", project_id=fakes.OTHER_PROJECT))
    resp = client.get(f"/v2.1/limits?tenant_id={fakes.OTHER_PROJECT}")
    assert resp.status_int == 403
    resp = client.get(f"/v2.1/limits?tenant_id={fakes.OTHER_PROJECT}",
                      token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json["limits"]["absolute"]["totalInstancesUsed"] == 1


def test_limits_unknown_query_parameters_from_275(client, latest):
    assert client.get("/v2.1/limits?reserved=1",
                      headers=fakes.microversion("2.74")).status_int == 200
    assert client.get("/v2.1/limits?reserved=1",
                      headers=fakes.microversion("2.75")).status_int == 400


# --- a create over quota, as the API answers it

def test_create_over_quota_is_novas_403(sqlite_db):
    compute_api = fakes.FakeComputeAPI()
    compute_api.fail_with["create"] = exception.TooManyInstances(
        overs="instances", req="1", used="10", allowed="10")
    client = fakes.Client(compute_api=compute_api)
    resp = client.post("/v2.1/servers", {"server": {
        "name": "vm", "imageRef": fakes.IMAGE_ID, "flavorRef": "1"}})
    assert resp.status_int == 403
    assert resp.json == {"forbidden": {"code": 403, "message": (
        "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances")}}
