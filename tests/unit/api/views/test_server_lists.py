"""The server lists render exactly what the single-server view does.

``GET /servers/detail`` asks the compute API for only the columns the view
reads (servers_view.detail_columns) and renders every server with answers
worked out once per request (servers_view._View). Neither may change a
byte: here each list is rendered from the cut instances and from the full
ones, and each server of it compared with ``GET /servers/{id}``, at every
microversion the view changes at, for an admin and for a member.
"""

import json

import pytest

from minova.api.views import servers as servers_view
from tests.unit.api import fakes
from tests.unit.api.fakes.data import ts

VERSIONS = [None, "2.3", "2.9", "2.16", "2.19", "2.26", "2.47", "2.63", "2.71", "2.73",
            "2.75", "2.90", "2.96", "2.98", "2.100"]


class UncutComputeAPI(fakes.FakeComputeAPI):
    """The fake compute API answering every list with whole instances, as
    the conductor does when no columns are asked for."""

    def get_all(self, ctxt, *, filters=None, limit=None, marker=None, sort_keys=None,
                sort_dirs=None, columns=None):
        return super().get_all(ctxt, filters=filters, limit=limit, marker=marker,
                               sort_keys=sort_keys, sort_dirs=sort_dirs)


def _instances() -> list[dict]:
    """Servers that take every branch of the view, every column filled."""
    rich = {
        "hostname": "rich-host", "user_data": "IyEvYmluL3NoCg==", "kernel_id": "k-1",
        "ramdisk_id": "r-1", "root_device_name": "/dev/vda", "description": "about it",
        "tags": ["blue", "red"], "trusted_certs": ["cert-a", "cert-b"],
        "pinned_availability_zone": "az1", "key_name": "mykey",
        "scheduler_hints": {"group": "g-1", "same_host": ["a", "b"]},
        "image_properties": {"os_distro": "cirros", "hw_disk_bus": "virtio"},
        "access_ip_v4": "192.0.2.1", "access_ip_v6": "2001:db8::1", "config_drive": "True",
        "flavor": {"flavorid": "2", "name": "m1.small", "vcpus": 2, "memory_mb": 2048,
                   "root_gb": 20, "ephemeral_gb": 1, "swap": 512, "rxtx_factor": 1.0,
                   "extra_specs": {"hw:cpu_policy": "dedicated"}},
    }
    return [
        fakes.make_instance(1, **rich),
        fakes.make_instance(2, host="compute2", node="compute2.example.org",
                            launched_at="2026-11-21T05:30:49", metadata={}),
        fakes.make_instance(3, vm_state="error", host=None, node=None, hostname=None,
                            display_name="Bad Name!", launched_at=None,
                            fault={"code": 500, "message": "boom", "details": "trace",
                                   "created_at": ts(9)}),
        fakes.make_instance(4, vm_state="error", fault={"code": 404, "message": "gone",
                                                        "details": "why",
                                                        "created_at": ts(8)}),
        fakes.make_instance(5, vm_state="building", task_state="spawning", image_ref=None,
                            progress=40, tags=["x"]),
        fakes.make_instance(6, project_id="other", host="compute2", flavor={}),
    ]


def _get(client: fakes.Client, path: str, token: str, version: str | None):
    resp = client.get(path, token=token, headers=fakes.microversion(version))
    assert resp.status_int == 200, resp.body
    return resp


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("token", [fakes.ADMIN_TOKEN, fakes.USER_TOKEN], ids=["admin", "member"])
@pytest.mark.parametrize("path", ["/v2.1/servers/detail", "/v2.1/servers",
                                  "/v2.1/servers/detail?limit=3"])
def test_a_list_of_cut_instances_is_the_list_of_whole_ones(latest, token, version, path):
    if token == fakes.ADMIN_TOKEN:
        path += ("&" if "?" in path else "?") + "all_tenants=1"
    cut_api, whole_api = fakes.FakeComputeAPI(_instances()), UncutComputeAPI(_instances())
    for api in (cut_api, whole_api):
        api.compute_services = {"compute1": {"host": "compute1", "disabled": False,
                                             "forced_down": False, "up": True}}
    cut = _get(fakes.Client(cut_api), path, token, version)
    whole = _get(fakes.Client(whole_api), path, token, version)
    assert cut.body == whole.body
    # The lists were cut to what the view asked for.
    [(_, call)] = [c for c in cut_api.calls if c[0] == "get_all"]
    assert call["columns"] is not None


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("token", [fakes.ADMIN_TOKEN, fakes.USER_TOKEN], ids=["admin", "member"])
def test_each_server_of_the_detail_list_is_its_show(latest, token, version):
    client = fakes.Client(fakes.FakeComputeAPI(_instances()))
    path = "/v2.1/servers/detail" + ("?all_tenants=1" if token == fakes.ADMIN_TOKEN else "")
    listed = _get(client, path, token, version).json["servers"]
    assert len(listed) == (6 if token == fakes.ADMIN_TOKEN else 5)
    for server in listed:
        shown = _get(client, f"/v2.1/servers/{server['id']}", token, version).json["server"]
        shown.pop("server_groups", None)  # 2.71: the single-server view's alone
        assert json.dumps(server) == json.dumps(shown)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("token", [fakes.ADMIN_TOKEN, fakes.USER_TOKEN], ids=["admin", "member"])
def test_detail_columns_are_table_columns_or_the_extras(latest, token, version):
    from minova.db import instance_columns, models

    captured = {}

    class Capturing(fakes.FakeComputeAPI):
        def get_all(self, ctxt, *, filters=None, limit=None, marker=None, sort_keys=None,
                    sort_dirs=None, columns=None):
            captured["columns"] = columns
            return []

    _get(fakes.Client(Capturing()), "/v2.1/servers/detail", token, version)
    names = {c.name for c in models.instances.columns} | set(instance_columns.LIST_EXTRAS)
    assert set(captured["columns"]) <= names
    assert {"uuid", "host", "fault"} <= set(captured["columns"])
    _get(fakes.Client(Capturing()), "/v2.1/servers", token, version)
    assert captured["columns"] == list(servers_view.INDEX_COLUMNS)


def test_the_index_is_the_basic_view_of_each_server():
    """index joins the link prefixes once; each member is still ``basic``'s."""
    client = fakes.Client(fakes.FakeComputeAPI(_instances()))
    captured = {}
    original = servers_view.index

    def spying(request, instances):
        captured["request"], captured["instances"] = request, instances
        return original(request, instances)

    servers_view.index = spying
    try:
        listed = _get(client, "/v2.1/servers", fakes.USER_TOKEN, None).json["servers"]
    finally:
        servers_view.index = original
    assert listed == [servers_view.basic(captured["request"], inst)
                      for inst in captured["instances"]]
    assert listed[0]["links"][0]["href"].startswith("http://localhost/v2.1/servers/")


@pytest.mark.parametrize("version", [None, "2.47", "2.98"])
def test_servers_of_other_images_and_flavors_show_their_own(latest, version):
    """The image and flavor members made once per request (_View.image,
    flavor_link) are per image and per flavor: each server shows its own."""
    other_flavor = {"flavorid": "7", "name": "m1.big", "vcpus": 4, "memory_mb": 4096,
                    "root_gb": 40, "ephemeral_gb": 0, "swap": 0, "rxtx_factor": 1.0,
                    "extra_specs": {}}
    instances = [fakes.make_instance(1), fakes.make_instance(2, image_ref="img-2",
                                                             flavor=other_flavor),
                 fakes.make_instance(3), fakes.make_instance(4, image_ref="http://x/images/img-4")]
    client = fakes.Client(fakes.FakeComputeAPI(instances))
    listed = {s["name"]: s for s in _get(client, "/v2.1/servers/detail", fakes.USER_TOKEN,
                                          version).json["servers"]}
    assert [listed[f"server-{i}"]["image"]["id"] for i in (1, 2, 3, 4)] == [
        fakes.IMAGE_ID, "img-2", fakes.IMAGE_ID, "img-4"]
    assert listed["server-2"]["image"]["links"][0]["href"].endswith("/images/img-2")
    if version == "2.98":
        assert all("properties" in s["image"] for s in listed.values())
    if version is None:
        assert [listed[f"server-{i}"]["flavor"]["id"] for i in (1, 2, 3)] == ["1", "7", "1"]
        assert listed["server-2"]["flavor"]["links"][0]["href"].endswith("/flavors/7")
    else:
        assert [listed[f"server-{i}"]["flavor"]["vcpus"] for i in (1, 2, 3)] == [1, 4, 1]
