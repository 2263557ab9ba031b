"""A project never learns the deployment's host names, whatever it reads.

Nova shows compute host names to admins only (``OS-EXT-SRV-ATTR:host``,
instance action events' ``host`` and ``details``, the fault details of a
500, the host-level APIs); a project sees ``hostId``, a hash of its
project and the host. This walks everything a project member and a
reader can read, at several microversions, on servers that went through
the paths that record hosts (a build that was scheduled and weighed, one
that failed on every host, one no host could take), and looks for each
host name in every answer. The admin's walk of the same resources must
find them, or the search proves nothing.
"""

import json

import pytest

from tests.functional.deployment import Deployment

COMPUTES = ("leakcmp-alpha", "leakcmp-beta")
CONTROL = "leakctl-gamma"  # conductor, scheduler and api
NEEDLES = (*COMPUTES, CONTROL)
VERSIONS = ("2.1", "2.16", "2.47", "2.62", "2.84", "latest")
STANDIN_IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


def _version(version: str) -> dict:
    return {"OpenStack-API-Version": f"compute {version}"}


def _text(body, headers: dict) -> str:
    raw = body.decode(errors="replace") if isinstance(body, bytes) else json.dumps(body)
    return raw + "\n" + json.dumps(headers)


def _leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [needle for needle in NEEDLES if needle in lowered]


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    failing = {"fake_driver": {"fail_spawn_for_name": "^doomed"}}
    deployment = Deployment(
        tmp_path_factory.mktemp("hosts"), computes=COMPUTES,
        conf={"DEFAULT": {"host": CONTROL}},
        compute_conf={host: failing for host in COMPUTES})
    try:
        deployment.start()
        yield deployment
    finally:
        deployment.stop()
        deployment.cleanup()


def _boot(user, name: str, flavor: str = "1", hints: dict | None = None) -> str:
    body = {"server": {"name": name, "flavorRef": flavor, "imageRef": STANDIN_IMAGE}}
    if hints:
        body["os:scheduler_hints"] = hints
    status, answer, _ = user.post("/v2.1/servers", body)
    assert status == 202, answer
    return answer["server"]["id"]


@pytest.fixture(scope="module")
def servers(cloud):
    """name -> id of demo's servers: one ACTIVE in a group, two in ERROR."""
    admin, demo = cloud.api, cloud.api.as_user("demo:demo")
    status, body, _ = admin.post("/v2.1/flavors", {"flavor": {
        "name": "enormous", "ram": 10 ** 8, "vcpus": 1, "disk": 1, "id": "enormous"}})
    assert status == 200, body
    status, body, _ = demo.post("/v2.1/os-server-groups", {"server_group": {
        "name": "spread", "policies": ["anti-affinity"]}})
    assert status == 200, body
    made = {
        "active": _boot(demo, "fine", hints={"group": body["server_group"]["id"]}),
        "failed": _boot(demo, "doomed"),  # fails on each host, then ERROR
        "unplaced": _boot(demo, "too-big", flavor="enormous"),  # NoValidHost
    }
    for name, expected in (("active", "ACTIVE"), ("failed", "ERROR"), ("unplaced", "ERROR")):
        server = cloud.api.wait_for_status(made[name])
        assert server["status"] == expected, server
    return made


def _paths(cloud, servers: dict, version: str) -> list[tuple[str, str, dict | None]]:
    """(method, path, body) of everything a project may read at ``version``."""
    admin = cloud.api
    paths = [("GET", p, None) for p in (
        "/", "/v2.1", "/v2.1/servers", "/v2.1/servers/detail",
        "/v2.1/servers/detail?all_tenants=1", "/v2.1/flavors/detail", "/v2.1/os-keypairs",
        "/v2.1/os-server-groups", "/v2.1/limits", "/v2.1/os-quota-sets/demo",
        "/v2.1/os-quota-sets/demo/detail", "/v2.1/os-quota-sets/demo/defaults",
        "/v2.1/os-simple-tenant-usage/demo", "/v2.1/os-availability-zone",
        "/v2.1/images/detail", "/image/v2/images",
        # admin-only: their refusals must not name hosts either
        "/v2.1/os-hypervisors", "/v2.1/os-hypervisors/detail", "/v2.1/os-services",
        "/v2.1/os-aggregates", "/v2.1/os-availability-zone/detail",
        "/v2.1/os-simple-tenant-usage",
    )]
    status, groups, _ = admin.get("/v2.1/os-server-groups?all_projects=True")
    assert status == 200
    paths += [("GET", f"/v2.1/os-server-groups/{g['id']}", None)
              for g in groups["server_groups"]]
    for server_id in servers.values():
        base = f"/v2.1/servers/{server_id}"
        paths += [("GET", p, None) for p in (
            base, f"{base}/os-instance-actions", f"{base}/topology", f"{base}/metadata",
            f"{base}/tags")]
        status, actions, _ = admin.get(f"{base}/os-instance-actions")
        assert status == 200
        paths += [("GET", f"{base}/os-instance-actions/{a['request_id']}", None)
                  for a in actions["instanceActions"]]
    paths.append(("POST", f"/v2.1/servers/{servers['active']}/action",
                  {"os-getConsoleOutput": {}}))
    return paths


def _walk(cloud, servers: dict, token: str, roles: str | None = None) -> dict:
    """(version, method, path) -> (status, the answer's text)."""
    user = cloud.api.as_user(token)
    seen = {}
    for version in VERSIONS:
        headers = _version(version)
        if roles is not None:
            headers["X-Roles"] = roles
        for method, path, body in _paths(cloud, servers, version):
            status, answer, answer_headers = user.request(method, path, body=body,
                                                          headers=headers)
            seen[(version, method, path)] = (status, _text(answer, answer_headers))
    return seen


@pytest.mark.parametrize("roles", [None, "reader"])
def test_a_project_sees_no_host_names(cloud, servers, roles):
    seen = _walk(cloud, servers, "demo:demo", roles)
    leaks = {key: (status, _leaks(text)) for key, (status, text) in seen.items()
             if _leaks(text)}
    assert leaks == {}
    # The walk read what it meant to: the servers, their actions, their faults.
    for version in VERSIONS:
        for server_id in servers.values():
            assert seen[(version, "GET", f"/v2.1/servers/{server_id}")][0] == 200
        for path in ("/v2.1/os-hypervisors", "/v2.1/os-hypervisors/detail",
                     "/v2.1/os-services", "/v2.1/os-aggregates"):
            assert seen[(version, "GET", path)][0] == 403, path
    failed = json.loads(seen[("latest", "GET", f"/v2.1/servers/{servers['failed']}")][1]
                        .split("\n")[0])["server"]
    assert failed["fault"]["code"] == 500
    assert "told to fail spawning doomed" in failed["fault"]["message"]
    assert "details" not in failed["fault"]
    assert failed["hostId"] == ""  # no host now: it failed on every one
    active = json.loads(seen[("latest", "GET", f"/v2.1/servers/{servers['active']}")][1]
                        .split("\n")[0])["server"]
    assert len(active["hostId"]) == 56  # Nova's sha224: allowed, it is a hash
    assert active["scheduler_hints"]["group"]


def test_the_admin_walk_finds_the_host_names(cloud, servers):
    # What the project's walk must not see is there to be seen, for admins.
    seen = _walk(cloud, servers, "admin:admin")
    found = {needle for _status, text in seen.values() for needle in _leaks(text)}
    assert set(COMPUTES) <= found
    status, failed, _ = cloud.api.get(f"/v2.1/servers/{servers['failed']}")
    assert status == 200
    assert failed["server"]["fault"]["details"].startswith("On compute host leakcmp-")
    status, active, _ = cloud.api.get(f"/v2.1/servers/{servers['active']}")
    host = active["server"]["OS-EXT-SRV-ATTR:host"]
    assert host in COMPUTES
    status, actions, _ = cloud.api.get(f"/v2.1/servers/{servers['active']}/os-instance-actions")
    [create] = actions["instanceActions"]
    status, action, _ = cloud.api.get(
        f"/v2.1/servers/{servers['active']}/os-instance-actions/{create['request_id']}",
        headers=_version("latest"))
    details = [e.get("details") or "" for e in action["instanceAction"]["events"]]
    # The scheduler's decision, weights by host, is what events:details guards.
    assert any(h in d for d in details for h in COMPUTES), details
