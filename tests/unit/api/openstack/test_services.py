"""``/os-services`` (admin only)."""

import pytest

from minova.api import faults

from .. import fakes

BASE = "/v2.1/os-services"


def test_index(client):
    resp = client.get(BASE, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json == {"services": [
        {"id": 1, "binary": "minova-conductor", "host": "controller", "zone": "internal",
         "status": "enabled", "state": "up", "updated_at": "2026-11-21T05:35:49.123456",
         "disabled_reason": None},
        {"id": 2, "binary": "minova-compute", "host": "compute1", "zone": "nova",
         "status": "disabled", "state": "down", "updated_at": "2026-11-21T05:34:49.123456",
         "disabled_reason": "maintenance"},
    ]}


def test_filters(client):
    resp = client.get(BASE + "?binary=minova-compute&host=compute1", token=fakes.ADMIN_TOKEN)
    assert [s["id"] for s in resp.json["services"]] == [2]
    assert client.host_api.calls[-1] == (
        "service_get_all", {"binary": "minova-compute", "host": "compute1"})


def test_forbidden_for_members(client):
    resp = client.get(BASE)
    assert resp.status_int == 403
    assert resp.json["forbidden"]["message"] == (
        "Policy doesn't allow os_compute_api:os-services:list to be performed.")
    assert client.host_api.calls == []


# --- enable / disable / force down

COMPUTE_UUID = "00000000-0000-0000-0000-000000000066"  # uuid.UUID(int=102)
CONDUCTOR_UUID = "00000000-0000-0000-0000-000000000065"


def test_disable_and_enable_by_host_and_binary(client):
    body = {"host": "compute1", "binary": "minova-compute"}
    resp = client.request("PUT", BASE + "/enable", body=body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json == {"service": {"host": "compute1", "binary": "minova-compute",
                                     "status": "enabled"}}
    assert client.host_api.services[1]["disabled"] is False
    assert client.host_api.services[1]["disabled_reason"] is None

    resp = client.request("PUT", BASE + "/disable", body=body, token=fakes.ADMIN_TOKEN)
    assert resp.json == {"service": {"host": "compute1", "binary": "minova-compute",
                                     "status": "disabled"}}
    assert client.host_api.services[1]["disabled"] is True


def test_disable_log_reason(client):
    body = {"host": "compute1", "binary": "minova-compute", "disabled_reason": "disk swap"}
    resp = client.request("PUT", BASE + "/disable-log-reason", body=body,
                          token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json["service"] == {"host": "compute1", "binary": "minova-compute",
                                    "status": "disabled", "disabled_reason": "disk swap"}
    assert client.host_api.services[1]["disabled_reason"] == "disk swap"


def test_disable_log_reason_needs_a_reason(client):
    resp = client.request("PUT", BASE + "/disable-log-reason",
                          body={"host": "compute1", "binary": "minova-compute"},
                          token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == "Missing disabled reason field"
    assert "service_update" not in [c[0] for c in client.host_api.calls]


@pytest.mark.parametrize("action, body, code", [
    ("enable", {"host": "compute1"}, 400),  # binary missing
    ("enable", {"host": "compute1", "binary": "minova-compute", "x": 1}, 400),
    ("enable", {"host": "bad host!", "binary": "minova-compute"}, 400),
    ("disable-log-reason", {"host": "compute1", "binary": "minova-compute",
                            "disabled_reason": ""}, 400),
    ("reboot", {"host": "compute1", "binary": "minova-compute"}, 404),
    ("force-down", {"host": "compute1", "binary": "minova-compute"}, 404),  # 2.11+
    ("enable", {"host": "compute9", "binary": "minova-compute"}, 404),
    ("enable", {"host": "controller", "binary": "minova-conductor"}, 400),
])
def test_bad_updates_change_nothing(client, action, body, code):
    before = [dict(s) for s in client.host_api.services]
    resp = client.request("PUT", f"{BASE}/{action}", body=body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == code
    assert resp.json[faults.fault_name(code)]["message"]
    assert client.host_api.services == before


def test_unknown_host_message(client):
    resp = client.request("PUT", BASE + "/enable",
                          body={"host": "compute9", "binary": "minova-compute"},
                          token=fakes.ADMIN_TOKEN)
    assert resp.json["itemNotFound"]["message"] == (
        "Could not find binary minova-compute on host compute9.")


def test_update_forbidden_for_members(client):
    resp = client.request("PUT", BASE + "/disable",
                          body={"host": "compute1", "binary": "minova-compute"})
    assert resp.status_int == 403
    assert resp.json["forbidden"]["message"] == (
        "Policy doesn't allow os_compute_api:os-services:update to be performed.")
    assert client.host_api.services[1]["disabled"] is True


def test_force_down_at_2_11(client, latest):
    resp = client.request("PUT", BASE + "/force-down",
                          body={"host": "compute1", "binary": "minova-compute",
                                "forced_down": True},
                          token=fakes.ADMIN_TOKEN, headers=fakes.microversion("2.11"))
    assert resp.status_int == 200
    assert resp.json == {"service": {"host": "compute1", "binary": "minova-compute",
                                     "forced_down": True}}
    assert client.host_api.services[1]["forced_down"] is True
    listed = client.get(BASE, token=fakes.ADMIN_TOKEN, headers=fakes.microversion("2.11")).json
    assert [s["forced_down"] for s in listed["services"]] == [False, True]


def test_list_ids_are_uuids_at_2_53(client, latest):
    listed = client.get(BASE, token=fakes.ADMIN_TOKEN, headers=fakes.microversion("2.53")).json
    assert [s["id"] for s in listed["services"]] == [CONDUCTOR_UUID, COMPUTE_UUID]


def test_update_by_uuid_at_2_53(client, latest):
    resp = client.request("PUT", f"{BASE}/{COMPUTE_UUID}", body={"status": "enabled"},
                          token=fakes.ADMIN_TOKEN, headers=fakes.microversion("2.53"))
    assert resp.status_int == 200
    service = resp.json["service"]
    assert service["id"] == COMPUTE_UUID
    assert (service["status"], service["disabled_reason"], service["forced_down"]) == (
        "enabled", None, False)
    assert resp.headers["OpenStack-API-Version"] == "compute 2.53"

    resp = client.request("PUT", f"{BASE}/{COMPUTE_UUID}",
                          body={"status": "disabled", "disabled_reason": "drain"},
                          token=fakes.ADMIN_TOKEN, headers=fakes.microversion("2.53"))
    assert (resp.json["service"]["status"], resp.json["service"]["disabled_reason"]) == (
        "disabled", "drain")
    assert client.host_api.services[1]["disabled"] is True


@pytest.mark.parametrize("target, body, code, message", [
    (COMPUTE_UUID, {}, 400, "No updates were requested. Fields 'status' or "
     "'forced_down' should be specified."),
    (COMPUTE_UUID, {"status": "enabled", "disabled_reason": "x"}, 400,
     "Specifying 'disabled_reason' with status 'enabled' is invalid."),
    (COMPUTE_UUID, {"status": "off"}, 400, None),
    (COMPUTE_UUID, {"host": "compute1"}, 400, None),
    ("not-a-uuid", {"status": "enabled"}, 400, "Invalid uuid not-a-uuid"),
    ("00000000-0000-0000-0000-00000000ffff", {"status": "enabled"}, 404,
     "Service 00000000-0000-0000-0000-00000000ffff not found."),
    (CONDUCTOR_UUID, {"status": "disabled"}, 400,
     "Updating a minova-conductor service is not supported. Only minova-compute "
     "services can be updated."),
])
def test_bad_updates_by_uuid_change_nothing(client, latest, target, body, code, message):
    before = [dict(s) for s in client.host_api.services]
    resp = client.request("PUT", f"{BASE}/{target}", body=body, token=fakes.ADMIN_TOKEN,
                          headers=fakes.microversion("2.53"))
    assert resp.status_int == code
    if message:
        assert resp.json[faults.fault_name(code)]["message"] == message
    assert client.host_api.services == before


def test_action_urls_are_gone_at_2_53(client, latest):
    resp = client.request("PUT", BASE + "/disable",
                          body={"host": "compute1", "binary": "minova-compute"},
                          token=fakes.ADMIN_TOKEN, headers=fakes.microversion("2.53"))
    assert resp.status_int == 400  # the 2.53 schema has no host/binary


# --- 2.75: unknown query parameters are a 400


def test_v275_unknown_query_parameter(client, latest):
    admin = fakes.ADMIN_TOKEN
    assert client.get(BASE + "?bogus=1", token=admin,
                      headers=fakes.microversion("2.74")).status_int == 200
    resp = client.get(BASE + "?bogus=1", token=admin, headers=fakes.microversion("2.75"))
    assert resp.status_int == 400
    assert "'bogus' was unexpected" in resp.json["badRequest"]["message"]
    assert client.get(BASE + "?host=compute1&binary=minova-compute", token=admin,
                      headers=fakes.microversion("2.75")).status_int == 200


# --- Nova's binary names (service_binaries)

def test_filter_by_nova_binary_name_answers_in_it(client):
    resp = client.get(BASE + "?binary=nova-compute", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert [(s["id"], s["binary"]) for s in resp.json["services"]] == [(2, "nova-compute")]
    assert client.host_api.calls[-1] == (
        "service_get_all", {"binary": "minova-compute", "host": None})


def test_filter_by_minova_binary_name_answers_in_it(client):
    resp = client.get(BASE + "?binary=minova-conductor", token=fakes.ADMIN_TOKEN)
    assert [(s["id"], s["binary"]) for s in resp.json["services"]] == [
        (1, "minova-conductor")]


def test_unknown_binary_finds_nothing(client):
    resp = client.get(BASE + "?binary=xxx", token=fakes.ADMIN_TOKEN)
    assert resp.json == {"services": []}


def test_disable_by_nova_binary_name(client):
    body = {"host": "compute1", "binary": "nova-compute"}
    resp = client.request("PUT", BASE + "/disable", body=body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json == {"service": {"host": "compute1", "binary": "nova-compute",
                                     "status": "disabled"}}
    assert client.host_api.calls[-1][1]["binary"] == "minova-compute"
    assert client.host_api.services[1]["disabled"] is True


def test_nova_conductor_name_is_not_updatable(client):
    body = {"host": "controller", "binary": "nova-conductor"}
    resp = client.request("PUT", BASE + "/disable", body=body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert "Updating a nova-conductor service is not supported" in (
        resp.json["badRequest"]["message"])
