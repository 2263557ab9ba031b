"""``addSecurityGroup`` / ``removeSecurityGroup``: no networking service, no groups."""

import uuid

import pytest

from .. import fakes

SERVER = str(uuid.UUID(int=1))
OTHERS = str(uuid.UUID(int=3))
URL = f"/v2.1/servers/{SERVER}/action"


@pytest.fixture
def client():
    return fakes.Client(fakes.FakeComputeAPI([
        fakes.make_instance(1), fakes.make_instance(3, project_id=fakes.OTHER_PROJECT)]))


@pytest.mark.parametrize("action", ["addSecurityGroup", "removeSecurityGroup"])
def test_every_group_is_not_found_for_the_project(client, action):
    resp = client.post(URL, {action: {"name": "default"}})
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == (
        f"Security group default is not found for project {fakes.PROJECT}")
    assert client.compute_api.mutating_calls() == []


@pytest.mark.parametrize("body", [
    {"addSecurityGroup": {}}, {"addSecurityGroup": {"name": ""}},
    {"addSecurityGroup": {"name": "a", "x": 1}}, {"removeSecurityGroup": None},
    {"addSecurityGroup": "default"},
])
def test_bad_bodies_are_400(client, body):
    assert client.post(URL, body).status_int == 400


def test_blank_name_is_400(client):
    resp = client.post(URL, {"addSecurityGroup": {"name": "  "}})
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == "Security group name cannot be empty"


def test_another_projects_server_is_404(client):
    resp = client.post(f"/v2.1/servers/{OTHERS}/action",
                       {"addSecurityGroup": {"name": "default"}})
    assert resp.status_int == 404
    assert "Security group" not in resp.json["itemNotFound"]["message"]

