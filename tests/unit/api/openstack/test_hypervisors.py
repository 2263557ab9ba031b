"""``/os-hypervisors`` (admin only)."""

import copy

import pytest

from .. import fakes

BASE = "/v2.1/os-hypervisors"


def test_index(client):
    resp = client.get(BASE, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json == {"hypervisors": [{
        "id": 1, "hypervisor_hostname": "compute1.example.org",
        "state": "down", "status": "disabled",
    }]}


def test_detail(client):
    resp = client.get(BASE + "/detail", token=fakes.ADMIN_TOKEN)
    assert resp.json == {"hypervisors": [{
        "id": 1,
        "hypervisor_hostname": "compute1.example.org",
        "state": "down",
        "status": "disabled",
        "cpu_info": '{"arch": "x86_64"}',
        "current_workload": 0,
        "disk_available_least": 98,
        "free_disk_gb": 98,
        "free_ram_mb": 15360,
        "host_ip": "192.0.2.10",
        "hypervisor_type": "fake",
        "hypervisor_version": 1000,
        "local_gb": 100,
        "local_gb_used": 2,
        "memory_mb": 16384,
        "memory_mb_used": 1024,
        "running_vms": 2,
        "service": {"host": "compute1", "id": 2, "disabled_reason": "maintenance"},
        "vcpus": 8,
        "vcpus_used": 2,
    }]}


def test_enabled_and_up(client):
    node = client.host_api.compute_nodes[0]
    node["service"].update(disabled=False, disabled_reason=None, state="up")
    hyp = client.get(BASE, token=fakes.ADMIN_TOKEN).json["hypervisors"][0]
    assert (hyp["state"], hyp["status"]) == ("up", "enabled")


def test_show(client):
    resp = client.get(BASE + "/1", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json["hypervisor"]["hypervisor_hostname"] == "compute1.example.org"
    assert "vcpus_used" in resp.json["hypervisor"]


@pytest.mark.parametrize("hyp_id", ["2", "abc"])
def test_show_unknown(client, hyp_id):
    resp = client.get(f"{BASE}/{hyp_id}", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == (
        f"Hypervisor with ID '{hyp_id}' could not be found.")


@pytest.mark.parametrize("path", [BASE, BASE + "/detail", BASE + "/1"])
def test_forbidden_for_members(client, path):
    resp = client.get(path)
    assert resp.status_int == 403
    assert "forbidden" in resp.json
    assert not any(c[0].startswith("compute_node") for c in client.host_api.calls)


# --- microversions

NODE_UUID = "00000000-0000-0000-0000-0000000000c9"  # uuid.UUID(int=201)
SERVICE_UUID = "00000000-0000-0000-0000-000000000066"  # uuid.UUID(int=102)


@pytest.fixture
def two_nodes(client, latest):
    """A second node, compute2, with one server on it."""
    node = copy.deepcopy(client.host_api.compute_nodes[0])
    node.update(id=2, uuid="00000000-0000-0000-0000-0000000000ca", host="compute2",
                hypervisor_hostname="compute2.example.org", cpu_info="")
    node["service"].update(id=3, uuid="00000000-0000-0000-0000-000000000067",
                           host="compute2", disabled=False, state="up")
    client.host_api.compute_nodes.append(node)
    client.host_api.host_instances["compute2"] = [fakes.make_instance(7)]
    return client


def _get(client, path: str, version: str):
    return client.get(BASE + path, token=fakes.ADMIN_TOKEN,
                      headers=fakes.microversion(version))


def test_v228_cpu_info_is_an_object(two_nodes):
    hyps = _get(two_nodes, "/detail", "2.27").json["hypervisors"]
    assert [h["cpu_info"] for h in hyps] == ['{"arch": "x86_64"}', "{}"]
    hyps = _get(two_nodes, "/detail", "2.28").json["hypervisors"]
    assert [h["cpu_info"] for h in hyps] == [{"arch": "x86_64"}, {}]
    assert _get(two_nodes, "/1", "2.28").json["hypervisor"]["cpu_info"] == {"arch": "x86_64"}


@pytest.mark.parametrize("path", ["", "/detail"])
def test_v233_paging(two_nodes, path):
    resp = _get(two_nodes, path + "?limit=1", "2.32")
    assert [h["id"] for h in resp.json["hypervisors"]] == [1, 2]
    assert "hypervisors_links" not in resp.json

    resp = _get(two_nodes, path + "?limit=1", "2.33")
    assert [h["id"] for h in resp.json["hypervisors"]] == [1]
    assert resp.json["hypervisors_links"] == [{
        "rel": "next",
        "href": f"http://localhost/v2.1/os-hypervisors{path}?limit=1&marker=1"}]
    resp = _get(two_nodes, path + "?limit=1&marker=1", "2.33")
    assert [h["id"] for h in resp.json["hypervisors"]] == [2]
    assert _get(two_nodes, path + "?marker=2", "2.33").json == {"hypervisors": []}


@pytest.mark.parametrize("query,message", [
    ("?marker=99", "marker [99] not found"),
    ("?limit=x", "limit param must be an integer"),
    ("?limit=-1", "limit param must be positive"),
])
def test_v233_bad_paging(two_nodes, query, message):
    resp = _get(two_nodes, query, "2.33")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == message


def test_v253_uuids(two_nodes):
    hyp = _get(two_nodes, "/detail", "2.52").json["hypervisors"][0]
    assert (hyp["id"], hyp["service"]["id"]) == (1, 2)
    hyp = _get(two_nodes, "/detail", "2.53").json["hypervisors"][0]
    assert (hyp["id"], hyp["service"]["id"]) == (NODE_UUID, SERVICE_UUID)
    assert _get(two_nodes, "", "2.53").json["hypervisors"][0]["id"] == NODE_UUID


def test_v253_paging_by_uuid(two_nodes):
    resp = _get(two_nodes, "?limit=1", "2.53")
    assert resp.json["hypervisors_links"][0]["href"].endswith(f"marker={NODE_UUID}")
    resp = _get(two_nodes, f"?marker={NODE_UUID}", "2.53")
    assert [h["hypervisor_hostname"] for h in resp.json["hypervisors"]] == [
        "compute2.example.org"]
    assert _get(two_nodes, "?marker=1", "2.53").status_int == 400


def test_v253_show_by_uuid(two_nodes):
    resp = _get(two_nodes, f"/{NODE_UUID}", "2.53")
    assert resp.status_int == 200
    assert resp.json["hypervisor"]["id"] == NODE_UUID
    assert "servers" not in resp.json["hypervisor"]

    resp = _get(two_nodes, "/1", "2.53")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == "Invalid uuid 1"
    assert _get(two_nodes, f"/{NODE_UUID}", "2.52").status_int == 404
    missing = "00000000-0000-0000-0000-0000000000ff"
    resp = _get(two_nodes, f"/{missing}", "2.53")
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == (
        f"Hypervisor with ID '{missing}' could not be found.")


def test_v253_with_servers(two_nodes):
    server = {"name": "instance-00000007", "uuid": "00000000-0000-0000-0000-000000000007"}
    hyps = _get(two_nodes, "?with_servers=true", "2.53").json["hypervisors"]
    assert "servers" not in hyps[0]  # no server on compute1: no key (until 2.75)
    assert hyps[1]["servers"] == [server]
    hyps = _get(two_nodes, "/detail?with_servers=1", "2.53").json["hypervisors"]
    assert hyps[1]["servers"] == [server] and "vcpus" in hyps[1]
    hyp = _get(two_nodes, "/00000000-0000-0000-0000-0000000000ca?with_servers=yes",
               "2.53").json["hypervisor"]
    assert hyp["servers"] == [server]
    hyps = _get(two_nodes, "?with_servers=false", "2.53").json["hypervisors"]
    assert all("servers" not in h for h in hyps)


def test_v253_hostname_pattern(two_nodes):
    resp = _get(two_nodes, "?hypervisor_hostname_pattern=COMPUTE2", "2.53")
    assert [h["hypervisor_hostname"] for h in resp.json["hypervisors"]] == [
        "compute2.example.org"]
    assert "hypervisors_links" not in resp.json
    resp = _get(two_nodes, "/detail?hypervisor_hostname_pattern=compute_.example", "2.53")
    assert len(resp.json["hypervisors"]) == 2  # "_" is any one character, as in SQL LIKE

    resp = _get(two_nodes, "?hypervisor_hostname_pattern=nope", "2.53")
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == (
        "No hypervisor matching 'nope' could be found.")
    resp = _get(two_nodes, "?hypervisor_hostname_pattern=compute&limit=1", "2.53")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == (
        "Paging over hypervisors with the hypervisor_hostname_pattern query parameter "
        "is not supported.")


@pytest.mark.parametrize("query", [
    "?bogus=1", "?with_servers=maybe", "?hypervisor_hostname_pattern=a%20b",
    "?limit=1&limit=2", "?with_servers=true&with_servers=false",
])
def test_v253_query_is_checked(two_nodes, query):
    assert _get(two_nodes, query, "2.52").status_int == 200  # ignored before
    resp = _get(two_nodes, query, "2.53")
    assert resp.status_int == 400
    assert "badRequest" in resp.json
    assert not any(c[0] == "instance_get_all_by_host" for c in two_nodes.host_api.calls)


def test_v253_show_query_is_checked(two_nodes):
    resp = _get(two_nodes, f"/{NODE_UUID}?limit=1", "2.53")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == (
        "Additional properties are not allowed ('limit' was unexpected)")


# --- 2.75: an asked-for server list even when empty; 2.88: no usage, uptime


def test_v275_empty_servers_list_is_shown(two_nodes):
    hyps = _get(two_nodes, "?with_servers=true", "2.74").json["hypervisors"]
    assert "servers" not in hyps[0]
    hyps = _get(two_nodes, "?with_servers=true", "2.75").json["hypervisors"]
    assert hyps[0]["servers"] == [] and len(hyps[1]["servers"]) == 1
    hyps = _get(two_nodes, "", "2.75").json["hypervisors"]
    assert all("servers" not in h for h in hyps)  # not asked for


_USAGE_KEYS = {"vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used",
               "local_gb_used", "free_ram_mb", "free_disk_gb", "current_workload",
               "running_vms", "disk_available_least", "cpu_info"}


def test_v288_usage_fields_are_gone(two_nodes):
    hyp = _get(two_nodes, "/detail", "2.87").json["hypervisors"][0]
    assert _USAGE_KEYS <= set(hyp) and "uptime" not in hyp
    hyp = _get(two_nodes, "/detail", "2.88").json["hypervisors"][0]
    assert not _USAGE_KEYS & set(hyp)
    assert set(hyp) == {"id", "hypervisor_hostname", "state", "status", "hypervisor_type",
                        "hypervisor_version", "host_ip", "service", "uptime"}


def test_v288_show_has_uptime(two_nodes):
    path = "/00000000-0000-0000-0000-0000000000ca"
    assert "uptime" not in _get(two_nodes, path, "2.87").json["hypervisor"]
    hyp = _get(two_nodes, path, "2.88").json["hypervisor"]
    assert hyp["uptime"].startswith(" 10:00:00 up 3 days")  # asked of its up host
    assert two_nodes.host_api.calls[-1] == ("get_host_uptime", {"host": "compute2"})
    assert not _USAGE_KEYS & set(hyp)


def test_v288_detail_asks_only_up_hosts_for_their_uptime(two_nodes):
    hyps = _get(two_nodes, "/detail", "2.88").json["hypervisors"]
    assert [h["uptime"] is None for h in hyps] == [True, False]  # compute1 is down
    asked = [c[1]["host"] for c in two_nodes.host_api.calls if c[0] == "get_host_uptime"]
    assert asked == ["compute2"]


def test_v288_a_host_that_does_not_answer_shows_no_uptime(two_nodes, monkeypatch):
    import oslo_messaging as messaging

    def no_answer(ctxt, host):
        raise messaging.MessagingTimeout("no answer")

    monkeypatch.setattr(two_nodes.host_api, "get_host_uptime", no_answer)
    resp = _get(two_nodes, "/00000000-0000-0000-0000-0000000000ca", "2.88")
    assert resp.status_int == 200 and resp.json["hypervisor"]["uptime"] is None


# --- routes Nova removed: /statistics and /{id}/uptime (to 2.87),
# /{pattern}/search and /{pattern}/servers (to 2.52)

def test_statistics_sum_the_enabled_nodes(two_nodes):
    """compute1's service is disabled: only compute2 counts, as Nova's."""
    resp = _get(two_nodes, "/statistics", "2.1")
    assert resp.status_int == 200
    assert resp.json == {"hypervisor_statistics": {
        "count": 1, "vcpus": 8, "memory_mb": 16384, "local_gb": 100, "vcpus_used": 2,
        "memory_mb_used": 1024, "local_gb_used": 2, "running_vms": 2,
        "free_ram_mb": 15360, "free_disk_gb": 98, "disk_available_least": 98,
        "current_workload": 0}}
    assert _get(two_nodes, "/statistics", "2.87").status_int == 200
    assert _get(two_nodes, "/statistics", "2.88").status_int == 404


def test_uptime(two_nodes):
    resp = _get(two_nodes, "/2/uptime", "2.1")
    assert resp.status_int == 200
    assert resp.json == {"hypervisor": {
        "id": 2, "hypervisor_hostname": "compute2.example.org", "state": "up",
        "status": "enabled",
        "uptime": " 10:00:00 up 3 days,  2:00,  0 users,  load average: 0.00, 0.01, 0.05\n"}}
    assert two_nodes.host_api.calls[-1] == ("get_host_uptime", {"host": "compute2"})
    resp = _get(two_nodes, "/00000000-0000-0000-0000-0000000000ca/uptime", "2.53")
    assert resp.json["hypervisor"]["id"] == "00000000-0000-0000-0000-0000000000ca"
    assert _get(two_nodes, "/00000000-0000-0000-0000-0000000000ca/uptime",
                "2.88").status_int == 404


def test_uptime_of_a_down_host_is_400(two_nodes):
    resp = _get(two_nodes, "/1/uptime", "2.1")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == (
        "Compute service of compute1 is unavailable at this time.")
    assert not any(c[0] == "get_host_uptime" for c in two_nodes.host_api.calls)


@pytest.mark.parametrize("path, version, code", [
    ("/9/uptime", "2.1", 404), ("/abc/uptime", "2.1", 404), ("/abc/uptime", "2.53", 400),
])
def test_uptime_of_an_unknown_hypervisor(two_nodes, path, version, code):
    assert _get(two_nodes, path, version).status_int == code


def test_uptime_not_supported_is_501(two_nodes, monkeypatch):
    def refuse(ctxt, host):
        raise NotImplementedError()

    monkeypatch.setattr(two_nodes.host_api, "get_host_uptime", refuse)
    resp = _get(two_nodes, "/2/uptime", "2.1")
    assert resp.status_int == 501
    assert resp.json["notImplemented"]["message"] == (
        "The requested functionality is not supported.")


def test_search(two_nodes):
    resp = _get(two_nodes, "/COMPUTE/search", "2.1")
    assert resp.status_int == 200
    assert [h["hypervisor_hostname"] for h in resp.json["hypervisors"]] == [
        "compute1.example.org", "compute2.example.org"]
    assert set(resp.json["hypervisors"][0]) == {"id", "hypervisor_hostname", "state",
                                                "status"}
    resp = _get(two_nodes, "/nowhere/search", "2.52")
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == (
        "No hypervisor matching 'nowhere' could be found.")
    assert _get(two_nodes, "/compute/search", "2.53").status_int == 404


def test_servers(two_nodes):
    resp = _get(two_nodes, "/compute/servers", "2.1")
    assert resp.status_int == 200
    hyps = resp.json["hypervisors"]
    assert "servers" not in hyps[0]  # no server on compute1: no key
    assert hyps[1]["servers"] == [{"name": "instance-00000007",
                                   "uuid": "00000000-0000-0000-0000-000000000007"}]
    assert _get(two_nodes, "/compute/servers", "2.53").status_int == 404


@pytest.mark.parametrize("path", ["/statistics", "/2/uptime", "/compute/search",
                                  "/compute/servers"])
def test_removed_routes_are_admin_only(two_nodes, path):
    resp = two_nodes.get(BASE + path)
    assert resp.status_int == 403
    assert not any(c[0] == "get_host_uptime" for c in two_nodes.host_api.calls)
