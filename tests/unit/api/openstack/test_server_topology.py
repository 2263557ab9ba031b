"""``GET /servers/{server_id}/topology`` (2.78)."""

import uuid

import pytest

from .. import fakes

SERVER = str(uuid.UUID(int=1))
OTHER = str(uuid.UUID(int=2))


pytestmark = pytest.mark.usefixtures("latest")


@pytest.fixture
def client():
    return fakes.Client(fakes.FakeComputeAPI([
        fakes.make_instance(1), fakes.make_instance(2, project_id=fakes.OTHER_PROJECT)]))


def _get(client, server: str, version: str, **kwargs):
    return client.get(f"/v2.1/servers/{server}/topology",
                      headers=fakes.microversion(version), **kwargs)


def test_v278_topology_of_a_server_without_numa(client):
    assert _get(client, SERVER, "2.77").status_int == 404
    resp = _get(client, SERVER, "2.78")
    assert resp.status_int == 200
    assert resp.json == {"nodes": [], "pagesize_kb": None}


def test_v278_another_projects_server_is_a_404(client):
    assert _get(client, OTHER, "2.78").status_int == 404
    assert _get(client, OTHER, "2.78", token=fakes.ADMIN_TOKEN).status_int == 200
    assert _get(client, "nope", "2.78").status_int == 404
