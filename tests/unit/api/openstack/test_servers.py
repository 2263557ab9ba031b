"""``/servers``: create (with every validation failure), list, show, delete."""

import hashlib
import uuid

import pytest

from minova import exception

from .. import fakes

BASE = "/v2.1/servers"

MEMBER_KEYS = {
    "accessIPv4", "accessIPv6", "addresses", "config_drive", "created", "flavor", "hostId",
    "id", "image", "key_name", "links", "metadata", "name", "OS-DCF:diskConfig",
    "OS-EXT-AZ:availability_zone", "OS-EXT-STS:power_state", "OS-EXT-STS:task_state",
    "OS-EXT-STS:vm_state", "OS-SRV-USG:launched_at", "OS-SRV-USG:terminated_at",
    "os-extended-volumes:volumes_attached", "progress", "security_groups", "status",
    "tenant_id", "updated", "user_id",
}
ADMIN_KEYS = MEMBER_KEYS | {
    "OS-EXT-SRV-ATTR:host", "OS-EXT-SRV-ATTR:hypervisor_hostname",
    "OS-EXT-SRV-ATTR:instance_name",
}


def _server(**overrides) -> dict:
    server = {"name": "web-1", "imageRef": fakes.IMAGE_ID, "flavorRef": "1"}
    server.update(overrides)
    return {"server": server}


@pytest.fixture
def populated():
    instances = [
        fakes.make_instance(1),
        fakes.make_instance(2),
        fakes.make_instance(3, project_id=fakes.OTHER_PROJECT),
        fakes.make_instance(4, vm_state="error", host=None, node=None,
                            fault={"code": 500, "message": "No valid host was found.",
                                   "details": "Traceback: secret",
                                   "created_at": "2026-11-21T05:40:00"}),
        fakes.make_instance(5, task_state="rebooting"),
    ]
    return fakes.Client(fakes.FakeComputeAPI(instances))


def _uuid(index: int) -> str:
    return str(uuid.UUID(int=index))


# --- create


def test_create(client):
    resp = client.post(BASE, _server(metadata={"a": "b"}, availability_zone="nova",
                                     key_name="key", accessIPv4="192.0.2.1",
                                     accessIPv6="2001:db8::1", config_drive=True,
                                     user_data="aGVsbG8=", networks=[]))
    assert resp.status_int == 202
    server = resp.json["server"]
    assert set(server) == {"id", "links", "OS-DCF:diskConfig", "security_groups", "adminPass"}
    assert server["OS-DCF:diskConfig"] == "MANUAL"
    assert server["security_groups"] == [{"name": "default"}]
    assert len(server["adminPass"]) == 12
    assert server["links"] == [
        {"rel": "self", "href": f"http://localhost/v2.1/servers/{server['id']}"},
        {"rel": "bookmark", "href": f"http://localhost/servers/{server['id']}"},
    ]
    assert resp.headers["Location"] == server["links"][0]["href"]
    _name, kwargs = client.compute_api.mutating_calls()[0]
    assert kwargs == {
        "name": "web-1", "flavor_ref": "1", "image_ref": fakes.IMAGE_ID,
        "availability_zone": "nova", "metadata": {"a": "b"}, "min_count": 1,
        "max_count": 1, "key_name": "key", "access_ip_v4": "192.0.2.1",
        "access_ip_v6": "2001:db8::1", "config_drive": True, "scheduler_hints": None,
        "user_data": "aGVsbG8=", "description": "web-1", "tags": None,
    }


def test_create_keeps_access_ips_in_canonical_form(client):
    client.post(BASE, _server(accessIPv6="2001:0DB8:0000::0001", networks=[]))
    assert client.compute_api.mutating_calls()[0][1]["access_ip_v6"] == "2001:db8::1"


def test_create_passes_the_callers_context(client):
    seen = {}
    original = client.compute_api.create

    def spy(ctxt, **kwargs):
        seen["ctxt"] = ctxt
        return original(ctxt, **kwargs)

    client.compute_api.create = spy
    client.post(BASE, _server())
    assert (seen["ctxt"].user_id, seen["ctxt"].project_id) == (fakes.USER, fakes.PROJECT)


def test_create_echoes_admin_pass_and_security_groups(client):
    resp = client.post(BASE, _server(adminPass="s3cret", security_groups=[{"name": "web"}]))
    assert resp.json["server"]["adminPass"] == "s3cret"
    assert resp.json["server"]["security_groups"] == [{"name": "web"}]


@pytest.mark.parametrize("flavor_ref", [1, "1", "http://localhost/flavors/1"])
def test_create_flavor_ref_forms(client, flavor_ref):
    assert client.post(BASE, _server(flavorRef=flavor_ref)).status_int == 202
    assert client.compute_api.mutating_calls()[0][1]["flavor_ref"] == "1"


def test_create_multiple(client):
    resp = client.post(BASE, _server(min_count="2", max_count=3))
    assert resp.status_int == 202
    kwargs = client.compute_api.mutating_calls()[0][1]
    assert (kwargs["min_count"], kwargs["max_count"]) == (2, 3)


def test_create_return_reservation_id(client):
    resp = client.post(BASE, _server(return_reservation_id=True))
    assert resp.status_int == 202
    assert resp.json == {"reservation_id": "r-fake0001"}


def test_create_scheduler_hints(client):
    body = _server()
    body["os:scheduler_hints"] = {"same_host": [_uuid(1)], "custom": "x"}
    assert client.post(BASE, body).status_int == 202
    assert client.compute_api.mutating_calls()[0][1]["scheduler_hints"] == {
        "same_host": [_uuid(1)], "custom": "x"}


def test_create_accepts_network_list(client):
    networks = [{"uuid": "net", "fixed_ip": "10.0.0.5"}]
    assert client.post(BASE, _server(networks=networks)).status_int == 202


def _bad_request(client, body) -> str:
    resp = client.post(BASE, body)
    assert resp.status_int == 400, resp.text
    assert resp.content_type == "application/json"
    assert client.compute_api.mutating_calls() == []
    return resp.json["badRequest"]["message"]


def test_create_missing_server(client):
    assert _bad_request(client, {"name": "x"}) in (
        "'server' is a required property",
        "Additional properties are not allowed ('name' was unexpected)",
    )
    assert _bad_request(client, {}) == "'server' is a required property"


@pytest.mark.parametrize("body", [None, [], "server", 1])
def test_create_body_not_an_object(client, body):
    if body is None:
        resp = client.request("POST", BASE, raw=b"")
        assert resp.status_int == 400
        assert client.compute_api.mutating_calls() == []
    else:
        _bad_request(client, body)


def test_create_missing_name(client):
    body = _server()
    del body["server"]["name"]
    message = _bad_request(client, body)
    assert message.startswith("Invalid input for field/attribute server. Value: ")
    assert message.endswith("'name' is a required property")


def test_create_missing_flavor_ref(client):
    body = _server()
    del body["server"]["flavorRef"]
    assert _bad_request(client, body).endswith("'flavorRef' is a required property")


def test_create_name_too_long(client):
    name = "a" * 256
    assert _bad_request(client, _server(name=name)) == (
        f"Invalid input for field/attribute name. Value: {name}. '{name}' is too long")


def test_create_name_255_is_fine(client):
    assert client.post(BASE, _server(name="a" * 255)).status_int == 202


@pytest.mark.parametrize("name", [" web", "web ", "\tweb"])
def test_create_name_with_surrounding_whitespace(client, name):
    assert _bad_request(client, _server(name=name)) == (
        "An invalid 'name' value was provided. The name must be: printable characters. "
        "Can not start or end with whitespace.")


def test_create_empty_name(client):
    message = _bad_request(client, _server(name=""))
    assert message.startswith("Invalid input for field/attribute name. Value: . ")


def test_create_name_wrong_type(client):
    assert _bad_request(client, _server(name=12)) == (
        "Invalid input for field/attribute name. Value: 12. 12 is not of type 'string'")


@pytest.mark.parametrize("flavor_ref", [1.5, True, None, [], {}, ""])
def test_create_bad_flavor_ref_type(client, flavor_ref):
    message = _bad_request(client, _server(flavorRef=flavor_ref))
    assert message.startswith("Invalid input for field/attribute flavorRef.")


def test_create_unknown_flavor(client):
    resp = client.post(BASE, _server(flavorRef="99"))
    assert resp.status_int == 400
    assert resp.json == {"badRequest": {"code": 400, "message": "Flavor 99 could not be found."}}


def test_create_unknown_image(client):
    image = str(uuid.uuid4())
    resp = client.post(BASE, _server(imageRef=image))
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == f"Image {image} could not be found."


@pytest.mark.parametrize("image_ref", ["not-a-uuid", 42, "http://glance/images/x"])
def test_create_bad_image_ref(client, image_ref):
    message = _bad_request(client, _server(imageRef=image_ref))
    assert message.startswith("Invalid input for field/attribute imageRef.")


@pytest.mark.parametrize("image_ref", [None, ""])
def test_create_missing_image_ref(client, image_ref):
    body = _server(imageRef=image_ref) if image_ref is not None else _server()
    if image_ref is None:
        del body["server"]["imageRef"]
    assert _bad_request(client, body) == "Missing imageRef attribute"


def test_create_extra_property(client):
    assert _bad_request(client, _server(color="blue")).endswith(
        "Additional properties are not allowed ('color' was unexpected)")


def test_create_extra_top_level_property(client):
    body = _server()
    body["extra"] = 1
    assert _bad_request(client, body) == (
        "Additional properties are not allowed ('extra' was unexpected)")


@pytest.mark.parametrize("field,value", [
    ("min_count", "abc"),
    ("min_count", 0),
    ("max_count", -1),
    ("config_drive", "maybe"),
    ("accessIPv4", "300.1.1.1"),
    ("accessIPv6", "192.0.2.1"),
    ("OS-DCF:diskConfig", "SOMETIMES"),
    ("user_data", "not base64!"),
    ("user_data", "a" * 65536),
    ("availability_zone", ""),
    ("key_name", 5),
    ("networks", "everything"),
    ("networks", [{"uuid": "net", "bogus": 1}]),
    ("security_groups", [{"name": " sg"}]),
    ("adminPass", 1234),
    ("block_device_mapping_v2", []),
    ("personality", []),
])
def test_create_wrong_types(client, field, value):
    _bad_request(client, _server(**{field: value}))


@pytest.mark.parametrize("metadata", [
    "not-a-dict",
    {"k": 1},
    {"k": "v" * 256},
    {"": "v"},
    {"k" * 256: "v"},
    {"bad/key": "v"},
    {"k": None},
])
def test_create_bad_metadata(client, metadata):
    message = _bad_request(client, _server(metadata=metadata))
    # the field named is the offending key, or metadata itself
    assert message.startswith("Invalid input for field/attribute ")


def test_create_metadata_limits_are_inclusive(client):
    metadata = {"k" * 255: "v" * 255, "dotted.key-with_all: chars": ""}
    assert client.post(BASE, _server(metadata=metadata)).status_int == 202


def test_create_min_count_above_max_count(client):
    assert _bad_request(client, _server(min_count=3, max_count=2)) == (
        "min_count must be <= max_count")


def test_create_refused_by_policy_calls_nothing(client, tmp_path):
    from oslo_config import cfg

    from minova import policy

    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"os_compute_api:servers:create": "!"\n')
    policy.init()
    cfg.CONF.set_override("policy_file", str(policy_file), group="oslo_policy")
    policy.reset()
    resp = client.post(BASE, _server())
    assert resp.status_int == 403
    assert resp.json["forbidden"]["message"] == (
        "Policy doesn't allow os_compute_api:servers:create to be performed.")
    assert client.compute_api.mutating_calls() == []


# --- list


def test_index(populated):
    resp = populated.get(BASE)
    assert resp.status_int == 200
    servers = resp.json["servers"]
    assert [s["id"] for s in servers] == [_uuid(5), _uuid(4), _uuid(2), _uuid(1)]
    assert set(servers[0]) == {"id", "name", "links"}
    assert servers[0]["name"] == "server-5"
    assert "servers_links" not in resp.json
    _name, call = populated.compute_api.calls[-1]
    assert call["filters"] == {"project_id": fakes.PROJECT}
    assert call["limit"] == 1000
    assert (call["sort_keys"], call["sort_dirs"]) == (["created_at"], ["desc"])


def test_detail_member(populated):
    resp = populated.get(BASE + "/detail")
    servers = resp.json["servers"]
    assert len(servers) == 4
    active = servers[-1]
    assert set(active) == MEMBER_KEYS
    assert not any(key.startswith("OS-EXT-SRV-ATTR:") for s in servers for key in s)


def test_detail_admin_sees_extended_attributes(populated):
    resp = populated.get(BASE + "/detail", token=fakes.ADMIN_TOKEN)
    # an admin without all_tenants sees its own project only
    assert resp.json["servers"] == []
    resp = populated.get(BASE + "/detail?all_tenants=1", token=fakes.ADMIN_TOKEN)
    servers = {s["id"]: s for s in resp.json["servers"]}
    assert len(servers) == 5
    one = servers[_uuid(1)]
    assert set(one) == ADMIN_KEYS
    assert one["OS-EXT-SRV-ATTR:host"] == "compute1"
    assert one["OS-EXT-SRV-ATTR:hypervisor_hostname"] == "compute1.example.org"
    assert one["OS-EXT-SRV-ATTR:instance_name"] == "instance-00000001"


def test_all_tenants_for_admin_omits_project_filter(populated):
    resp = populated.get(BASE + "?all_tenants=true", token=fakes.ADMIN_TOKEN)
    assert len(resp.json["servers"]) == 5
    assert "project_id" not in populated.compute_api.calls[-1][1]["filters"]


@pytest.mark.parametrize("param", ["project_id", "tenant_id"])
def test_all_tenants_with_project_for_admin(populated, param):
    resp = populated.get(f"{BASE}?all_tenants&{param}={fakes.OTHER_PROJECT}",
                         token=fakes.ADMIN_TOKEN)
    assert [s["id"] for s in resp.json["servers"]] == [_uuid(3)]
    assert populated.compute_api.calls[-1][1]["filters"]["project_id"] == fakes.OTHER_PROJECT


def test_project_filter_without_all_tenants_is_the_callers(populated):
    populated.get(f"{BASE}?project_id={fakes.OTHER_PROJECT}", token=fakes.ADMIN_TOKEN)
    assert populated.compute_api.calls[-1][1]["filters"]["project_id"] == "admin"


@pytest.mark.parametrize("path", [BASE, BASE + "/detail"])
def test_all_tenants_forbidden_for_members(populated, path):
    resp = populated.get(path + "?all_tenants=1")
    assert resp.status_int == 403
    assert "get_all_tenants" in resp.json["forbidden"]["message"]
    assert not any(c[0] == "get_all" for c in populated.compute_api.calls)


def test_all_tenants_false_is_the_callers_project(populated):
    resp = populated.get(BASE + "?all_tenants=0")
    assert resp.status_int == 200
    assert populated.compute_api.calls[-1][1]["filters"] == {"project_id": fakes.PROJECT}


def test_all_tenants_bad_value(populated):
    resp = populated.get(BASE + "?all_tenants=perhaps", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400


def test_other_project_server_not_listed(populated):
    ids = [s["id"] for s in populated.get(BASE, token=fakes.OTHER_TOKEN).json["servers"]]
    assert ids == [_uuid(3)]


def test_filter_by_name(populated):
    populated.get(BASE + "?name=server-1")
    assert populated.compute_api.calls[-1][1]["filters"]["display_name"] == "server-1"


def test_host_filter_is_for_admins_only(populated):
    populated.get(BASE + "?host=compute1")
    assert "host" not in populated.compute_api.calls[-1][1]["filters"]
    populated.get(BASE + "?host=compute1", token=fakes.ADMIN_TOKEN)
    assert populated.compute_api.calls[-1][1]["filters"]["host"] == "compute1"


def test_filter_by_status(populated):
    resp = populated.get(BASE + "?status=ERROR")
    assert [s["id"] for s in resp.json["servers"]] == [_uuid(4)]
    assert populated.compute_api.calls[-1][1]["filters"]["vm_state"] == ["error"]


def test_filter_by_status_with_task_state(populated):
    resp = populated.get(BASE + "/detail?status=reboot")
    assert [(s["id"], s["status"]) for s in resp.json["servers"]] == [(_uuid(5), "REBOOT")]


def test_filter_by_unknown_status_matches_nothing(populated):
    resp = populated.get(BASE + "?status=SLEEPY")
    assert resp.json == {"servers": []}
    assert not any(c[0] == "get_all" for c in populated.compute_api.calls)


def test_deleted_status_is_for_admins(populated):
    assert populated.get(BASE + "?status=DELETED").status_int == 403
    assert populated.get(BASE + "?status=DELETED", token=fakes.ADMIN_TOKEN).status_int == 200


def test_limit_gives_next_link(populated):
    resp = populated.get(BASE + "?limit=2")
    assert len(resp.json["servers"]) == 2
    assert resp.json["servers_links"] == [{
        "rel": "next",
        "href": f"http://localhost/v2.1/servers?limit=2&marker={_uuid(4)}",
    }]
    resp = populated.get(f"{BASE}?limit=2&marker={_uuid(4)}")
    assert [s["id"] for s in resp.json["servers"]] == [_uuid(2), _uuid(1)]


def test_detail_next_link(populated):
    resp = populated.get(BASE + "/detail?limit=1")
    assert resp.json["servers_links"][0]["href"] == (
        f"http://localhost/v2.1/servers/detail?limit=1&marker={_uuid(5)}")


def test_limit_is_capped_by_max_limit(populated):
    from oslo_config import cfg

    cfg.CONF.set_override("max_limit", 3, group="api")
    resp = populated.get(BASE + "?limit=50")
    assert len(resp.json["servers"]) == 3
    assert populated.compute_api.calls[-1][1]["limit"] == 3
    assert "servers_links" in resp.json


def test_marker_not_found(populated):
    marker = str(uuid.uuid4())
    resp = populated.get(f"{BASE}?marker={marker}")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == f"marker [{marker}] not found"


@pytest.mark.parametrize("limit,message", [
    ("abc", "limit param must be an integer"),
    ("-1", "limit param must be positive"),
])
def test_bad_limit(populated, limit, message):
    resp = populated.get(f"{BASE}?limit={limit}")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == message


def test_sort_params(populated):
    populated.get(BASE + "?sort_key=display_name&sort_dir=asc")
    call = populated.compute_api.calls[-1][1]
    assert (call["sort_keys"], call["sort_dirs"]) == (["display_name"], ["asc"])


@pytest.mark.parametrize("query", ["sort_key=password", "sort_dir=sideways"])
def test_bad_sort_params(populated, query):
    assert populated.get(f"{BASE}?{query}").status_int == 400


# --- show


def test_show(populated):
    resp = populated.get(f"{BASE}/{_uuid(1)}")
    assert resp.status_int == 200
    server = resp.json["server"]
    assert set(server) == MEMBER_KEYS
    assert server["id"] == _uuid(1)
    assert server["name"] == "server-1"
    assert server["status"] == "ACTIVE"
    assert server["tenant_id"] == fakes.PROJECT
    assert server["user_id"] == fakes.USER
    assert server["metadata"] == {"role": "web"}
    assert server["hostId"] == hashlib.sha224(
        (fakes.PROJECT + "compute1").encode()).hexdigest()
    assert server["image"] == {
        "id": fakes.IMAGE_ID,
        "links": [{"rel": "bookmark",
                   "href": f"http://localhost/images/{fakes.IMAGE_ID}"}],
    }
    assert server["flavor"] == {
        "id": "1", "links": [{"rel": "bookmark", "href": "http://localhost/flavors/1"}]}
    assert server["created"] == "2026-11-21T05:31:49Z"
    assert server["updated"] == "2026-11-21T05:32:49Z"
    assert server["OS-SRV-USG:launched_at"] == "2026-11-21T05:32:49.123456"
    assert server["OS-SRV-USG:terminated_at"] is None
    assert server["addresses"] == {}
    assert server["accessIPv4"] == "" and server["accessIPv6"] == ""
    assert server["OS-DCF:diskConfig"] == "MANUAL"
    assert server["OS-EXT-AZ:availability_zone"] == "nova"
    assert server["OS-EXT-STS:vm_state"] == "active"
    assert server["OS-EXT-STS:task_state"] is None
    assert server["OS-EXT-STS:power_state"] == 1
    assert server["os-extended-volumes:volumes_attached"] == []
    assert server["security_groups"] == [{"name": "default"}]
    assert server["progress"] == 0
    assert server["key_name"] is None
    assert server["config_drive"] == ""
    assert server["links"][0]["href"] == f"http://localhost/v2.1/servers/{_uuid(1)}"


def test_show_admin(populated):
    server = populated.get(f"{BASE}/{_uuid(3)}", token=fakes.ADMIN_TOKEN).json["server"]
    assert set(server) == ADMIN_KEYS


def test_show_error_server_with_fault(populated):
    server = populated.get(f"{BASE}/{_uuid(4)}").json["server"]
    assert server["status"] == "ERROR"
    assert "progress" not in server
    assert server["hostId"] == ""
    # details of an internal (500) fault are for admins only
    assert server["fault"] == {"code": 500, "created": "2026-11-21T05:40:00Z",
                               "message": "No valid host was found."}
    admin = populated.get(f"{BASE}/{_uuid(4)}", token=fakes.ADMIN_TOKEN).json["server"]
    assert admin["fault"]["details"] == "Traceback: secret"


def test_fault_hidden_unless_error(populated):
    inst = fakes.make_instance(9, fault={"code": 500, "message": "old", "details": None,
                                         "created_at": "2026-11-21T05:40:00"})
    populated.compute_api.instances[inst["uuid"]] = inst
    assert "fault" not in populated.get(f"{BASE}/{_uuid(9)}").json["server"]


def test_show_without_image(populated):
    inst = fakes.make_instance(9, image_ref="")
    populated.compute_api.instances[inst["uuid"]] = inst
    assert populated.get(f"{BASE}/{_uuid(9)}").json["server"]["image"] == ""


def test_show_building_server(populated):
    inst = fakes.make_instance(9, vm_state="building", task_state="scheduling", host=None,
                               launched_at=None)
    populated.compute_api.instances[inst["uuid"]] = inst
    server = populated.get(f"{BASE}/{_uuid(9)}").json["server"]
    assert server["status"] == "BUILD"
    assert server["OS-SRV-USG:launched_at"] is None


def test_show_other_projects_server_is_not_found(populated):
    resp = populated.get(f"{BASE}/{_uuid(3)}")
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {
        "code": 404, "message": f"Instance {_uuid(3)} could not be found."}}


def test_show_invalid_uuid_is_not_found_without_lookup(populated):
    resp = populated.get(f"{BASE}/not-a-uuid")
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == "Instance not-a-uuid could not be found."
    assert populated.compute_api.calls == []


# --- delete


def test_delete(populated):
    resp = populated.delete(f"{BASE}/{_uuid(1)}")
    assert resp.status_int == 204
    assert resp.body == b""
    assert populated.compute_api.mutating_calls() == [
        ("delete", {"instance_uuid": _uuid(1)})]


def test_delete_other_projects_server(populated):
    resp = populated.delete(f"{BASE}/{_uuid(3)}")
    assert resp.status_int == 404
    assert populated.compute_api.mutating_calls() == []


def test_delete_invalid_uuid(populated):
    assert populated.delete(f"{BASE}/nope").status_int == 404
    assert populated.compute_api.mutating_calls() == []


def test_delete_vanished_during_delete(populated):
    populated.compute_api.fail_with["delete"] = exception.InstanceNotFound(instance_id="x")
    resp = populated.delete(f"{BASE}/{_uuid(1)}")
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == "Instance could not be found"


def test_delete_conflict_is_409(populated):
    populated.compute_api.fail_with["delete"] = exception.InstanceInvalidState(
        action="delete", instance_uuid=_uuid(1), attr="task_state", state="deleting")
    resp = populated.delete(f"{BASE}/{_uuid(1)}")
    assert resp.status_int == 409
    assert "conflictingRequest" in resp.json


def _image_root_disk(**overrides) -> dict:
    bdm = {"uuid": fakes.IMAGE_ID, "boot_index": 0, "source_type": "image",
           "destination_type": "local", "delete_on_termination": True}
    bdm.update(overrides)
    return bdm


def test_create_with_the_clis_image_root_disk_mapping(client):
    # What `openstack server create --image` sends along with imageRef.
    resp = client.post(BASE, _server(block_device_mapping_v2=[_image_root_disk()]))
    assert resp.status_int == 202, resp.text
    _name, kwargs = client.compute_api.mutating_calls()[0]
    assert kwargs["image_ref"] == fakes.IMAGE_ID


def test_create_from_the_image_root_disk_mapping_alone(client):
    body = _server(block_device_mapping_v2=[_image_root_disk(boot_index="0")])
    del body["server"]["imageRef"]
    assert client.post(BASE, body).status_int == 202
    _name, kwargs = client.compute_api.mutating_calls()[0]
    assert kwargs["image_ref"] == fakes.IMAGE_ID


@pytest.mark.parametrize("bdm", [
    _image_root_disk(destination_type="volume"),
    _image_root_disk(source_type="volume"),
    _image_root_disk(boot_index=1),
    _image_root_disk(volume_size=1),
    _image_root_disk(uuid="not-a-uuid"),
])
def test_create_refuses_any_other_mapping(client, bdm):
    assert _bad_request(client, _server(block_device_mapping_v2=[bdm])).startswith(
        "Invalid input for field/attribute ")


def test_create_refuses_a_root_disk_of_another_image(client):
    other = str(uuid.uuid4())
    message = _bad_request(client, _server(block_device_mapping_v2=[_image_root_disk(
        uuid=other)]))
    assert message.startswith("Block Device Mapping is Invalid") and other in message
