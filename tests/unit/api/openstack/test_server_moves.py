"""``migrate``, ``confirmResize`` and ``revertResize`` bodies as Nova takes
them (Tempest sends ``{}``): before 2.56 ``migrate`` is not validated and a
host in it is ignored; confirm and revert take any value."""

import uuid

import pytest

from .. import fakes

SERVER = str(uuid.UUID(int=1))
URL = f"/v2.1/servers/{SERVER}/action"


def _client(vm_state="active"):
    return fakes.Client(fakes.FakeComputeAPI([fakes.make_instance(1, vm_state=vm_state)]))


def _moves(client):
    return [kw for name, kw in client.compute_api.calls if name == "resize"]


@pytest.mark.parametrize("body", [{"migrate": None}, {"migrate": {}},
                                  {"migrate": {"host": "compute2"}}])
def test_migrate_before_2_56_takes_any_body_and_no_host(body):
    client = _client()
    resp = client.post(URL, body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 202, resp.body
    [call] = _moves(client)
    assert call["host"] is None and call["flavor_ref"] is None


@pytest.mark.parametrize("body,host", [({"migrate": None}, None), ({"migrate": {}}, None),
                                       ({"migrate": {"host": None}}, None),
                                       ({"migrate": {"host": "compute2"}}, "compute2")])
def test_migrate_from_2_56_takes_a_host(body, host):
    client = _client()
    resp = client.post(URL, body, token=fakes.ADMIN_TOKEN, headers=fakes.microversion("2.56"))
    assert resp.status_int == 202, resp.body
    assert _moves(client)[0]["host"] == host


@pytest.mark.parametrize("body", [{"migrate": {"host": 1}}, {"migrate": {"x": "y"}},
                                  {"migrate": "compute2"}])
def test_a_bad_migrate_body_from_2_56_is_400_and_changes_nothing(body):
    client = _client()
    resp = client.post(URL, body, token=fakes.ADMIN_TOKEN, headers=fakes.microversion("2.56"))
    assert resp.status_int == 400
    assert client.compute_api.mutating_calls() == []


@pytest.mark.parametrize("action,code", [("confirmResize", 204), ("revertResize", 202)])
@pytest.mark.parametrize("value", [None, {}])
def test_confirm_and_revert_take_null_or_an_object(action, code, value):
    client = _client(vm_state="resized")
    resp = client.post(URL, {action: value})
    assert resp.status_int == code, resp.body
