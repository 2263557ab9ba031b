"""Server groups end to end: the API, and the policies on real processes.

Three fake computes on MariaDB. A group's policy is kept twice: by the
scheduler's filters (ServerGroupAffinityFilter, ServerGroupAntiAffinityFilter)
when they choose hosts, and by the claim, under the group row's lock, when
several builds of an anti-affinity group race for the same free hosts.
"""

import concurrent.futures

import pytest

from tests.functional.deployment import Deployment, wait_for

IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"
USER_TOKEN = "alice:demo"
OTHER_TOKEN = "bob:other"
COMPUTES = ("compute1", "compute2", "compute3")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    deployment = Deployment(tmp_path_factory.mktemp("server_groups"), backend="mysql",
                            computes=COMPUTES)
    try:
        yield deployment.start()
    finally:
        deployment.stop()
        deployment.cleanup()


@pytest.fixture
def user(deployment):
    api = deployment.api.as_user(USER_TOKEN)
    yield api
    # Leave the hosts empty for the next test.
    servers = deployment.api.get("/v2.1/servers?all_tenants=1")[1]["servers"]
    for server in servers:
        deployment.api.delete(f"/v2.1/servers/{server['id']}")
    for server in servers:
        deployment.api.wait_for_gone(server["id"])
    deployment.check_alive()


def _group(api, policy: str, name: str = "g") -> dict:
    status, body, _ = api.post("/v2.1/os-server-groups",
                               {"server_group": {"name": name, "policies": [policy]}})
    assert status == 200, body
    return body["server_group"]


def _boot(api, name: str, group_id: str) -> str:
    status, body, _ = api.post("/v2.1/servers", {
        "server": {"name": name, "flavorRef": "1", "imageRef": IMAGE},
        "os:scheduler_hints": {"group": group_id}})
    assert status == 202, body
    return body["server"]["id"]


def _settled(deployment, server_id: str) -> dict:
    """The server once ACTIVE or ERROR, as the admin sees it (with its host)."""
    deployment.api.wait_for_status(server_id, timeout=120)
    return deployment.api.server(server_id)


def _members_per_host(deployment, group_id: str) -> dict[str, int]:
    rows = deployment.query(
        "SELECT i.host, COUNT(*) FROM instances i "
        "JOIN instance_group_members m ON m.instance_uuid = i.uuid "
        "JOIN instance_groups g ON g.id = m.group_id "
        "WHERE g.uuid = :group AND i.deleted = 0 AND i.host IS NOT NULL GROUP BY i.host",
        group=group_id)
    return {host: count for host, count in rows}


def test_create_list_show_delete(deployment, user):
    admin = deployment.api
    group = _group(user, "anti-affinity", "web")
    assert set(group) == {"id", "name", "policies", "members", "metadata"}
    assert group["policies"] == ["anti-affinity"] and group["members"] == []
    theirs = _group(user.as_user(OTHER_TOKEN), "affinity", "db")

    status, body, _ = user.get("/v2.1/os-server-groups")
    assert status == 200 and [g["id"] for g in body["server_groups"]] == [group["id"]]
    status, body, _ = admin.get("/v2.1/os-server-groups?all_projects=True")
    assert {g["id"] for g in body["server_groups"]} == {group["id"], theirs["id"]}

    status, body, _ = user.get(f"/v2.1/os-server-groups/{group['id']}")
    assert status == 200 and body["server_group"] == group
    status, body, _ = user.get(f"/v2.1/os-server-groups/{theirs['id']}")
    assert status == 404
    assert body["itemNotFound"]["message"] == (
        f"Instance group {theirs['id']} could not be found.")

    status, body, _ = user.post("/v2.1/os-server-groups",
                                {"server_group": {"name": "x", "policies": ["legacy"]}})
    assert status == 400 and body["badRequest"]["code"] == 400

    status, body, _ = user.post("/v2.1/servers", {
        "server": {"name": "lost", "flavorRef": "1", "imageRef": IMAGE},
        "os:scheduler_hints": {"group": theirs["id"]}})
    assert status == 400
    assert body["badRequest"]["message"] == f"Instance group {theirs['id']} could not be found."
    assert deployment.query("SELECT COUNT(*) FROM instances WHERE display_name = 'lost'"
                            )[0][0] == 0

    status, body, _ = user.delete(f"/v2.1/os-server-groups/{group['id']}")
    assert status == 204 and body == b""
    assert user.get(f"/v2.1/os-server-groups/{group['id']}")[0] == 404
    assert user.delete(f"/v2.1/os-server-groups/{theirs['id']}")[0] == 404
    assert admin.delete(f"/v2.1/os-server-groups/{theirs['id']}")[0] == 204


def test_anti_affinity_members_land_on_distinct_hosts(deployment, user):
    group = _group(user, "anti-affinity")
    ids = [_boot(user, f"anti-{i}", group["id"]) for i in range(3)]
    servers = [_settled(deployment, i) for i in ids]
    assert all(s["status"] == "ACTIVE" for s in servers), servers
    assert sorted(s["OS-EXT-SRV-ATTR:host"] for s in servers) == list(COMPUTES)
    shown = user.get(f"/v2.1/os-server-groups/{group['id']}")[1]["server_group"]
    assert shown["members"] == ids

    # A fourth member has no host left: the filter says so in its fault.
    extra = _settled(deployment, _boot(user, "anti-extra", group["id"]))
    assert extra["status"] == "ERROR"
    assert extra["fault"]["message"].startswith("No valid host was found.")
    assert "ServerGroupAntiAffinityFilter" in extra["fault"]["message"]
    assert _members_per_host(deployment, group["id"]) == {h: 1 for h in COMPUTES}

    # A deleted member leaves the group and frees its host for the next one.
    user.delete(f"/v2.1/servers/{ids[0]}")
    user.wait_for_gone(ids[0])
    shown = user.get(f"/v2.1/os-server-groups/{group['id']}")[1]["server_group"]
    assert ids[0] not in shown["members"]
    again = _settled(deployment, _boot(user, "anti-again", group["id"]))
    assert again["status"] == "ACTIVE", again
    assert again["OS-EXT-SRV-ATTR:host"] == servers[0]["OS-EXT-SRV-ATTR:host"]


def test_affinity_members_share_one_host(deployment, user):
    group = _group(user, "affinity")
    servers = [_settled(deployment, _boot(user, f"aff-{i}", group["id"])) for i in range(3)]
    assert all(s["status"] == "ACTIVE" for s in servers), servers
    assert len({s["OS-EXT-SRV-ATTR:host"] for s in servers}) == 1
    assert sum(_members_per_host(deployment, group["id"]).values()) == 3


def _race_anti_affinity_boots(deployment, user) -> None:
    """Eight boots of one anti-affinity group at once on three hosts: each
    scheduling decision is taken before the others' claims commit, so only
    the claim, under the group's lock, can keep them apart."""
    group = _group(user, "anti-affinity")
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda i: _boot(user, f"race-{i}", group["id"]), range(8)))
    servers = [_settled(deployment, i) for i in ids]
    assert {s["status"] for s in servers} <= {"ACTIVE", "ERROR"}
    active = [s for s in servers if s["status"] == "ACTIVE"]
    assert sorted(s["OS-EXT-SRV-ATTR:host"] for s in active) == list(COMPUTES)
    assert all(s["fault"]["message"].startswith("No valid host was found.")
               for s in servers if s["status"] == "ERROR")
    assert _members_per_host(deployment, group["id"]) == {h: 1 for h in COMPUTES}
    # nothing is left holding a host it does not run on
    wait_for(lambda: deployment.query(
        "SELECT COUNT(*) FROM allocations")[0][0] == 3, 30, message="3 allocations")
    deployment.check_alive()
    assert "deadlock" not in deployment.log_full("conductor").lower()


def test_concurrent_anti_affinity_boots_never_share_a_host(deployment, user):
    _race_anti_affinity_boots(deployment, user)


def test_concurrent_anti_affinity_boots_on_postgresql(deploy):
    deployment = deploy(backend="postgresql", computes=COMPUTES)
    _race_anti_affinity_boots(deployment, deployment.api.as_user(USER_TOKEN))
