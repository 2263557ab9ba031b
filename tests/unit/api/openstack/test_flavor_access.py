"""Private flavors through the API: os-flavor-access, its actions, and who sees what.

The fake flavor facade's methods use the real database layer and
conductor endpoint (SQLite), so access lists are the stored ones.
"""

import pytest

from minova.conductor import flavor_access
from minova.db import flavors

from .. import fakes

ACTION = "/v2.1/flavors/{}/action"
ACCESS = "/v2.1/flavors/{}/os-flavor-access"


class StoredFlavors(fakes.FakeFlavorAPI):
    """Flavors and their access over the real database and endpoint."""

    def __init__(self) -> None:
        super().__init__()
        self.manager = flavor_access.FlavorAccessManager("test")

    def get_all(self, ctxt):
        self._call("get_all")
        return flavors.flavor_get_all()

    def get(self, ctxt, flavorid):
        self._call("get", flavorid=flavorid)
        return flavors.flavor_get(flavorid)

    def create(self, ctxt, values):
        self._call("create", values=values)
        return flavors.flavor_create(values)

    def add_access(self, ctxt, flavorid, project_id):
        self._call("add_access", flavorid=flavorid, project_id=project_id)
        return self.manager.flavor_access_add(ctxt, flavorid, project_id)

    def remove_access(self, ctxt, flavorid, project_id):
        self._call("remove_access", flavorid=flavorid, project_id=project_id)
        return self.manager.flavor_access_remove(ctxt, flavorid, project_id)


@pytest.fixture
def client(sqlite_db):
    flavors.bootstrap()
    return fakes.Client(flavor_api=StoredFlavors())


@pytest.fixture
def private(client):
    """A private flavor created through the API, shared with nobody yet."""
    body = {"flavor": {"name": "secret", "id": "p1", "ram": 256, "vcpus": 1, "disk": 1,
                       "os-flavor-access:is_public": False}}
    resp = client.post("/v2.1/flavors", body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200, resp.json
    assert resp.json["flavor"]["os-flavor-access:is_public"] is False
    return "p1"


def _add(client, flavor_id, tenant, token=fakes.ADMIN_TOKEN, version=None):
    return client.post(ACTION.format(flavor_id), {"addTenantAccess": {"tenant": tenant}},
                       token=token, headers=fakes.microversion(version))


def _remove(client, flavor_id, tenant, token=fakes.ADMIN_TOKEN):
    return client.post(ACTION.format(flavor_id), {"removeTenantAccess": {"tenant": tenant}},
                       token=token)


def _listed(client, token, query="") -> list[str]:
    return [f["id"] for f in client.get(f"/v2.1/flavors{query}", token=token).json["flavors"]]


def test_add_list_remove(client, private):
    resp = _add(client, private, fakes.PROJECT)
    assert resp.status_int == 200
    assert resp.json == {"flavor_access": [{"flavor_id": "p1", "tenant_id": fakes.PROJECT}]}
    _add(client, private, "third")
    listed = client.get(ACCESS.format(private), token=fakes.ADMIN_TOKEN)
    assert listed.status_int == 200
    assert [a["tenant_id"] for a in listed.json["flavor_access"]] == [fakes.PROJECT, "third"]
    resp = _remove(client, private, fakes.PROJECT)
    assert resp.status_int == 200
    assert resp.json == {"flavor_access": [{"flavor_id": "p1", "tenant_id": "third"}]}
    assert flavors.flavor_get("p1")["projects"] == ["third"]


def test_add_twice_is_409_and_remove_absent_is_404(client, private):
    _add(client, private, fakes.PROJECT)
    resp = _add(client, private, fakes.PROJECT)
    assert resp.status_int == 409
    assert resp.json == {"conflictingRequest": {"code": 409, "message": (
        f"Flavor access already exists for flavor p1 and project {fakes.PROJECT} "
        "combination.")}}
    resp = _remove(client, private, "nobody")
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {"code": 404, "message": (
        "Flavor access not found for p1 / nobody combination.")}}
    assert flavors.flavor_get("p1")["projects"] == [fakes.PROJECT]


def test_unknown_flavor_is_404(client):
    for resp in (_add(client, "nope", "x"), _remove(client, "nope", "x"),
                 client.get(ACCESS.format("nope"), token=fakes.ADMIN_TOKEN)):
        assert resp.status_int == 404
        assert resp.json["itemNotFound"]["message"] == "Flavor nope could not be found."


def test_public_flavor_access_is_409_from_2_7(client, latest):
    resp = _add(client, "1", "x", version="2.7")
    assert resp.status_int == 409
    assert resp.json == {"conflictingRequest": {
        "code": 409, "message": "Can not add access to a public flavor."}}
    assert flavors.flavor_get("1")["projects"] == []
    # before 2.7 Nova stored it (meaningless: the flavor is public anyway)
    assert _add(client, "1", "x", version="2.6").status_int == 200
    assert flavors.flavor_get("1")["projects"] == ["x"]


def test_public_flavor_has_no_access_list(client):
    resp = client.get(ACCESS.format("1"), token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {
        "code": 404, "message": "Access list not available for public flavors."}}


def test_members_may_not_list_or_change_access(client, private):
    for resp, rule in (
            (client.get(ACCESS.format(private)), "os_compute_api:os-flavor-access"),
            (_add(client, private, fakes.PROJECT, token=fakes.USER_TOKEN),
             "os_compute_api:os-flavor-access:add_tenant_access"),
            (_remove(client, private, fakes.PROJECT, token=fakes.USER_TOKEN),
             "os_compute_api:os-flavor-access:remove_tenant_access")):
        assert resp.status_int == 403
        assert resp.json["forbidden"]["message"] == (
            f"Policy doesn't allow {rule} to be performed.")
    assert flavors.flavor_get("p1")["projects"] == []


@pytest.mark.parametrize("body", [
    {"addTenantAccess": {}}, {"addTenantAccess": {"tenant": ""}},
    {"addTenantAccess": {"tenant": "x", "extra": 1}}, {"removeTenantAccess": {"tenant": 5}},
    {"addTenantAccess": {"tenant": "x" * 256}}, {"fooAccess": {"tenant": "x"}}, [],
])
def test_bad_action_bodies_are_400(client, private, body):
    resp = client.post(ACTION.format(private), body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400 and resp.json["badRequest"]["code"] == 400
    assert flavors.flavor_get("p1")["projects"] == []


def test_a_private_flavor_is_seen_by_admins_and_the_projects_it_is_shared_with(client,
                                                                               private):
    assert private not in _listed(client, fakes.USER_TOKEN)
    assert client.get(f"/v2.1/flavors/{private}").status_int == 404
    _add(client, private, fakes.PROJECT)
    assert private in _listed(client, fakes.USER_TOKEN)
    detail = client.get("/v2.1/flavors/detail").json["flavors"]
    assert [f["os-flavor-access:is_public"] for f in detail if f["id"] == private] == [False]
    shown = client.get(f"/v2.1/flavors/{private}")
    assert shown.status_int == 200
    assert shown.json["flavor"]["os-flavor-access:is_public"] is False
    # another project: neither listed nor shown
    assert private not in _listed(client, fakes.OTHER_TOKEN)
    assert client.get(f"/v2.1/flavors/{private}", token=fakes.OTHER_TOKEN).status_int == 404
    # admins: by id always; in lists with Nova's is_public filter
    assert client.get(f"/v2.1/flavors/{private}", token=fakes.ADMIN_TOKEN).status_int == 200
    assert private not in _listed(client, fakes.ADMIN_TOKEN)
    assert private in _listed(client, fakes.ADMIN_TOKEN, "?is_public=none")
    assert _listed(client, fakes.ADMIN_TOKEN, "?is_public=false") == [private]


def test_admins_default_list_includes_private_flavors_shared_with_their_project(client,
                                                                                private):
    _add(client, private, "admin")
    assert private in _listed(client, fakes.ADMIN_TOKEN)
