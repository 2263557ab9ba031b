"""``GET /servers/{server_id}/diagnostics``: admins only by default, the
2.48 standardised shape (checked against its response schema, as the API
unit tests validate every answer), the driver's names before 2.48, 409
for a server without a host."""

import uuid

import pytest

from .. import fakes

SERVER = str(uuid.UUID(int=1))
UNPLACED = str(uuid.UUID(int=3))


@pytest.fixture
def client():
    return fakes.Client(fakes.FakeComputeAPI([
        fakes.make_instance(1), fakes.make_instance(3, host=None)]))


def _get(client, server: str, version: str, token=fakes.ADMIN_TOKEN):
    return client.get(f"/v2.1/servers/{server}/diagnostics",
                      headers=fakes.microversion(version), token=token)


def test_v248_standardised_shape(client):
    resp = _get(client, SERVER, "2.48")
    assert resp.status_int == 200
    body = resp.json
    assert (body["state"], body["driver"], body["num_cpus"], body["num_nics"],
            body["num_disks"]) == ("running", "libvirt", 1, 1, 1)
    assert body["memory_details"] == {"maximum": 512, "used": 512}
    assert body["cpu_details"] == [{"id": 0, "time": 10**10, "utilisation": None}]
    assert body["nic_details"][0]["mac_address"] == "fa:16:3e:00:00:01"
    assert body["nic_details"][0]["rx_octets"] is None
    assert set(body["disk_details"][0]) == {"read_bytes", "read_requests", "write_bytes",
                                            "write_requests", "errors_count"}


def test_before_2_48_the_drivers_names(client):
    resp = _get(client, SERVER, "2.47")
    assert resp.status_int == 200
    assert resp.json == {"cpu0_time": 10**10, "memory": 524288, "vda_read": 1}
    assert [c[0] for c in client.compute_api.calls][-1] == "get_diagnostics"


def test_admins_only_by_default(client):
    resp = _get(client, SERVER, "2.48", token=fakes.USER_TOKEN)
    assert resp.status_int == 403
    assert "get_instance_diagnostics" not in [c[0] for c in client.compute_api.calls]


def test_unknown_server_is_404_and_unplaced_is_409(client):
    assert _get(client, "nope", "2.48").status_int == 404
    resp = _get(client, UNPLACED, "2.48")
    assert resp.status_int == 409 and "conflictingRequest" in resp.json
