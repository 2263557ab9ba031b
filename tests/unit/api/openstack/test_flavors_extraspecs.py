"""``/flavors/{id}/os-extra_specs``: read by projects, written by admins."""

import pytest

from minova.api import api_version_request as api_version

from .. import fakes

BASE = "/v2.1/flavors/1/os-extra_specs"


def _specs(client, flavorid="1") -> dict:
    return client.flavor_api.flavors[flavorid]["extra_specs"]


def test_create_merges_and_stringifies(client):
    resp = client.post(BASE, {"extra_specs": {"ssd": "true", "gpus": 2, "fast": True}},
                       token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json == {"extra_specs": {"ssd": "true", "gpus": "2", "fast": "True"}}
    client.post(BASE, {"extra_specs": {"hw:cpu_policy": "dedicated"}},
                token=fakes.ADMIN_TOKEN)
    assert _specs(client) == {"ssd": "true", "gpus": "2", "fast": "True",
                              "hw:cpu_policy": "dedicated"}


def test_index_and_show_for_a_project(client):
    _specs(client)["ssd"] = "true"
    resp = client.get(BASE, token=fakes.USER_TOKEN)
    assert resp.status_int == 200 and resp.json == {"extra_specs": {"ssd": "true"}}
    resp = client.get(BASE + "/ssd", token=fakes.USER_TOKEN)
    assert resp.status_int == 200 and resp.json == {"ssd": "true"}
    resp = client.get(BASE + "/nope", token=fakes.USER_TOKEN)
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == (
        "Flavor 1 has no extra specs with key nope.")


def test_private_flavor_is_404_for_a_project(client):
    resp = client.get("/v2.1/flavors/3/os-extra_specs", token=fakes.USER_TOKEN)
    assert resp.status_int == 404


def test_update_one_key(client):
    resp = client.request("PUT", BASE + "/ssd", body={"ssd": "false"},
                          token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200 and resp.json == {"ssd": "false"}
    assert _specs(client) == {"ssd": "false"}


@pytest.mark.parametrize("body", [{"other": "x"}, {"ssd": "a", "b": "c"}, {},
                                  {"ssd": "x" * 256}, {"ssd": None}])
def test_update_bad_bodies_are_400_and_change_nothing(client, body):
    resp = client.request("PUT", BASE + "/ssd", body=body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert "badRequest" in resp.json
    assert client.flavor_api.mutating_calls() == []


@pytest.mark.parametrize("body", [{}, {"extra_specs": {"bad/key": "v"}},
                                  {"extra_specs": {"k": ["v"]}}, {"extra_specs": "x"}])
def test_create_bad_bodies_are_400(client, body):
    resp = client.post(BASE, body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert client.flavor_api.mutating_calls() == []


def test_delete(client):
    _specs(client)["ssd"] = "true"
    resp = client.delete(BASE + "/ssd", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200 and resp.body == b""  # Nova's status, no body
    assert _specs(client) == {}
    assert client.delete(BASE + "/ssd", token=fakes.ADMIN_TOKEN).status_int == 404


@pytest.mark.parametrize("method,path,body", [
    ("POST", BASE, {"extra_specs": {"a": "b"}}),
    ("PUT", BASE + "/a", {"a": "b"}),
    ("DELETE", BASE + "/a", None),
])
def test_writes_are_403_for_non_admins(client, method, path, body):
    resp = client.request(method, path, body=body, token=fakes.USER_TOKEN)
    assert resp.status_int == 403
    assert client.flavor_api.mutating_calls() == []


def test_unknown_flavor_is_404(client):
    assert client.get("/v2.1/flavors/99/os-extra_specs",
                      token=fakes.ADMIN_TOKEN).status_int == 404
    resp = client.post("/v2.1/flavors/99/os-extra_specs", {"extra_specs": {"a": "b"}},
                       token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 404


# --- 2.86: validation of the specs of namespaces Nova knows


@pytest.fixture
def versions_beyond_the_maximum(monkeypatch):
    """2.86 may be above the advertised maximum."""
    monkeypatch.setattr(api_version, "MAX_API_VERSION", "2.100")


def _at(version: str) -> dict:
    return {"OpenStack-API-Version": f"compute {version}"}


def _write(client, method: str, key: str, value, version: str):
    if method == "POST":
        return client.post(BASE, {"extra_specs": {"ssd": "true", key: value}},
                           token=fakes.ADMIN_TOKEN, headers=_at(version))
    return client.request("PUT", f"{BASE}/{key}", body={key: value},
                          token=fakes.ADMIN_TOKEN, headers=_at(version))


INVALID = [
    ("hw:cpu_policy", "pinned",
     "Validation failed; 'pinned' is not one of: dedicated, shared, mixed."),
    ("hw:cpu_polcy", "dedicated",
     "Validation failed; extra spec 'hw:cpu_polcy' does not appear to be a valid extra spec."),
    ("hw:numa_nodes", 0, "Validation failed; '0' is less than the min value of '1'."),
    ("hw:numa_mem.0", "lots", "Validation failed; 'lots' is not a valid integer value."),
    ("hw_rng:allowed", "maybe",
     "Validation failed; 'maybe' is not a valid boolean-like value."),
    ("resources1:VCPU", "2.5", "Validation failed; '2.5' is not a valid integer value."),
    ("capabilities:no_such_attribute", "x",
     "Validation failed; extra spec 'capabilities:no_such_attribute' does not appear "
     "to be a valid extra spec."),
]


@pytest.mark.usefixtures("versions_beyond_the_maximum")
@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize("key, value, message", INVALID)
def test_invalid_known_specs_are_400_from_2_86_and_nothing_is_stored(
        client, method, key, value, message):
    resp = _write(client, method, key, value, "2.86")
    assert resp.status_int == 400
    assert resp.json == {"badRequest": {"code": 400, "message": message}}
    assert client.flavor_api.mutating_calls() == []
    assert _specs(client) == {}


@pytest.mark.usefixtures("versions_beyond_the_maximum")
@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize("key, value, message", INVALID)
def test_the_same_specs_are_stored_at_2_85(client, method, key, value, message):
    resp = _write(client, method, key, value, "2.85")
    assert resp.status_int == 200
    assert _specs(client)[key] == str(value)


@pytest.mark.usefixtures("versions_beyond_the_maximum")
@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize("key, value", [
    ("hw:cpu_policy", "dedicated"), ("hw:numa_cpus.0", "0-1,^1"), ("hw:numa_nodes", 2),
    ("hw:pmu", True), ("trait:CUSTOM_FAST", "required"),
    ("capabilities:hypervisor_type", "s== QEMU"),
    ("capabilities:cpu_info:arch", "x86_64"),
    ("aggregate_instance_extra_specs:ssd", "true"),
    ("mycloud:tier", "gold"), ("ssd", "true"),
])
def test_valid_and_unknown_namespace_specs_are_stored_at_2_86(client, method, key, value):
    resp = _write(client, method, key, value, "2.86")
    assert resp.status_int == 200
    assert _specs(client)[key] == str(value)


@pytest.mark.usefixtures("versions_beyond_the_maximum")
def test_one_bad_spec_refuses_the_whole_create(client):
    resp = client.post(BASE, {"extra_specs": {"hw:cpu_policy": "dedicated",
                                              "hw:cpu_thread_policy": "sometimes"}},
                       token=fakes.ADMIN_TOKEN, headers=_at("2.86"))
    assert resp.status_int == 400
    assert _specs(client) == {}


@pytest.mark.usefixtures("versions_beyond_the_maximum")
def test_validation_comes_before_the_flavor_lookup(client):
    """As in Nova: a bad spec is a 400 even for a flavor that does not exist."""
    resp = client.post("/v2.1/flavors/99/os-extra_specs",
                       {"extra_specs": {"hw:cpu_policy": "x"}},
                       token=fakes.ADMIN_TOKEN, headers=_at("2.86"))
    assert resp.status_int == 400


def test_long_numbers_are_400_at_every_version(client):
    resp = client.post(BASE, {"extra_specs": {"n": 10 ** 300}}, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == (
        "extra_specs value has more than 255 characters.")
    assert client.flavor_api.mutating_calls() == []

