"""Quotas on a real deployment: 50 concurrent creates against a quota of 10.

Two conductor processes record the creates, so the check and the insert
of two creates really race across processes; the project's quota row,
locked in the create's transaction, must make exactly 10 of them win and
the 40 others answer Nova's 403, never 11 rows. Then: limits and the quota
detail show the usage, a delete frees quota, and the cores quota refuses
a big flavor. On MariaDB and on PostgreSQL.
"""

import concurrent.futures

import pytest

from tests.functional.deployment import Deployment, wait_for

IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"
PROJECT = "quotaproj"
USER_TOKEN = f"carol:{PROJECT}"
CREATES = 50
QUOTA = 10
# deployment.py lifts these for the other tests; here they are Nova's.
NOVA_DEFAULTS = {"instances": 10, "cores": 20, "ram": 51200, "server_groups": 10,
                 "server_group_members": 10}
OVER_QUOTA = {"forbidden": {"code": 403, "message": (
    "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances")}}


@pytest.fixture(scope="module", params=["mysql", "postgresql"])
def deployment(request, tmp_path_factory):
    deployment = Deployment(tmp_path_factory.mktemp(f"quotas_{request.param}"),
                            backend=request.param, conductors=2, conf={"quota": NOVA_DEFAULTS})
    try:
        yield deployment.start()
    finally:
        deployment.stop()
        deployment.cleanup()


def _boot(api, name: str, flavor: str = "1", **extra):
    return api.post("/v2.1/servers", {"server": dict(
        {"name": name, "flavorRef": flavor, "imageRef": IMAGE}, **extra)})


def _rows(deployment, project: str) -> int:
    return deployment.query(
        "SELECT COUNT(*) FROM instances WHERE project_id = :p AND deleted = 0", p=project)[0][0]


def test_concurrent_creates_make_exactly_the_quota(deployment):
    admin, user = deployment.api, deployment.api.as_user(USER_TOKEN)
    status, body, _ = admin.request("PUT", f"/v2.1/os-quota-sets/{PROJECT}",
                                    {"quota_set": {"instances": QUOTA}})
    assert status == 200 and body["quota_set"]["instances"] == QUOTA

    with concurrent.futures.ThreadPoolExecutor(max_workers=CREATES) as pool:
        answers = list(pool.map(lambda i: _boot(user, f"q{i}")[:2], range(CREATES)))

    accepted = [body["server"]["id"] for status, body in answers if status == 202]
    refused = [body for status, body in answers if status == 403]
    assert len(accepted) == QUOTA, [status for status, _ in answers]
    assert len(refused) == CREATES - QUOTA
    assert all(body == OVER_QUOTA for body in refused)
    assert _rows(deployment, PROJECT) == QUOTA

    for server_id in accepted:
        assert user.wait_for_status(server_id)["status"] == "ACTIVE"
    status, body, _ = user.get("/v2.1/limits")
    absolute = body["limits"]["absolute"]
    assert (absolute["maxTotalInstances"], absolute["totalInstancesUsed"],
            absolute["totalCoresUsed"], absolute["totalRAMUsed"]) == (QUOTA, QUOTA, 10, 5120)
    status, body, _ = user.get(f"/v2.1/os-quota-sets/{PROJECT}/detail")
    assert status == 200
    assert body["quota_set"]["instances"] == {"in_use": QUOTA, "limit": QUOTA, "reserved": 0}

    # Full: one more is refused; deleting one frees its place.
    assert _boot(user, "one-more")[:2] == (403, OVER_QUOTA)
    user.delete(f"/v2.1/servers/{accepted[0]}")
    user.wait_for_gone(accepted[0])
    status, body, _ = _boot(user, "after-delete")
    assert status == 202, body
    assert _rows(deployment, PROJECT) == QUOTA


def test_cores_quota_refuses_a_big_flavor(deployment):
    user = deployment.api.as_user("dave:coresproj")
    # m1.xlarge has 8 vCPUs: 3 need 24 of the default 20 cores.
    status, body, _ = _boot(user, "big", flavor="5", min_count=3, max_count=3)
    assert status == 403
    assert body["forbidden"]["message"] == (
        "Quota exceeded for cores: Requested 24, but already used 0 of 20 cores")
    assert _rows(deployment, "coresproj") == 0
    # With max_count above what fits, Nova builds what fits (here 2).
    status, body, _ = _boot(user, "big", flavor="5", min_count=1, max_count=3)
    assert status == 202, body
    wait_for(lambda: _rows(deployment, "coresproj") == 2, 10, message="two big servers")


def test_quota_sets_api_round_trip(deployment):
    admin, user = deployment.api, deployment.api.as_user("erin:apiproj")
    status, body, _ = user.get("/v2.1/os-quota-sets/apiproj")
    assert status == 200 and body["quota_set"]["instances"] == 10
    assert user.get(f"/v2.1/os-quota-sets/{PROJECT}")[0] == 403
    assert user.request("PUT", "/v2.1/os-quota-sets/apiproj",
                        {"quota_set": {"instances": 50}})[0] == 403
    assert admin.request("PUT", "/v2.1/os-quota-sets/apiproj",
                         {"quota_set": {"server_groups": 0}})[0] == 200
    status, body, _ = user.post("/v2.1/os-server-groups",
                                {"server_group": {"name": "g", "policies": ["affinity"]}})
    assert status == 403
    assert body["forbidden"]["message"] == "Quota exceeded, too many server groups."
    assert admin.delete("/v2.1/os-quota-sets/apiproj")[0] == 202
    assert user.get("/v2.1/os-quota-sets/apiproj")[1]["quota_set"]["server_groups"] == 10
