"""POST /servers/{id}/action createImage, shelve, shelveOffload, unshelve:
shapes per microversion, policy, and refusals, through the real compute API
facade and the real conductor endpoints on SQLite (the bus cut out; the
compute RPC client records the casts, since no compute runs here)."""

import futurist
import pytest

from minova import exception
from minova.compute import api as compute_api
from minova.conductor import api as conductor_task_api
from minova.conductor import images as conductor_images
from minova.conductor import manager as conductor_manager
from minova.conductor import quotas as conductor_quotas
from minova.db import flavors as db_flavors
from minova.db import images as db_images
from minova.db import instances as db_instances
from minova.db import quotas as db_quotas
from tests.unit.api.openstack.test_server_rebuild import OLD_IMAGE, _Managers, _TaskAPI
from tests.unit.conductor import fakes as conductor_fakes
from tests.unit.db.helpers import make_instance

from .. import fakes


class RecordingCompute(conductor_fakes.FakeCompute):
    def __init__(self):
        super().__init__()
        self.casts = []

    def can_shelve(self):
        return True

    def _record(name):
        def record(self, ctxt, host, instance, *args, **kwargs):
            self.casts.append((name, host, instance["uuid"], args, kwargs))
        return record

    snapshot_instance = _record("snapshot_instance")
    shelve_instance = _record("shelve_instance")
    shelve_offload_instance = _record("shelve_offload_instance")
    unshelve_instance = _record("unshelve_instance")


@pytest.fixture
def cloud(sqlite_db):
    db_flavors.bootstrap()
    db_images.image_create({"id": OLD_IMAGE, "name": "cirros", "status": "active",
                            "visibility": "public", "disk_format": "qcow2",
                            "container_format": "bare", "size": 1024,
                            "properties": {"hw_disk_bus": "virtio"}})
    compute = RecordingCompute()
    tasks = conductor_manager.ComputeTaskManager(
        "cond1", scheduler_api=conductor_fakes.FakeScheduler(), compute_api=compute,
        build_pool=futurist.SynchronousExecutor())
    endpoints = fakes.EndpointConductor(
        _Managers(conductor_manager.ConductorManager("cond1"),
                  conductor_images.ImageManager(), conductor_quotas.QuotaManager()),
        "instance_get", "image_", "quota_get")
    task_api = _TaskAPI(tasks)
    task_api.client.version_cap = "1.17"
    facade = compute_api.API(conductor_api=endpoints, compute_rpc=compute,
                             compute_task_api=conductor_task_api.ComputeTaskAPI(task_api))
    client = fakes.Client(facade)
    client.compute = compute
    return client


def _server(ctxt_factory, vm_state="active", task_state=None, locked=False):
    inst = make_instance(ctxt_factory(project=fakes.PROJECT, user=fakes.USER), name="web")
    db_instances.update(inst["uuid"], {"vm_state": vm_state, "task_state": task_state,
                                       "host": "compute1", "node": "compute1",
                                       "image_ref": OLD_IMAGE, "power_state": 1,
                                       "locked": locked, "locked_by": "admin" if locked
                                       else None})
    return inst["uuid"]


def _act(client, uuid, body, version=None, token=fakes.USER_TOKEN):
    return client.post(f"/v2.1/servers/{uuid}/action", body,
                       headers=fakes.microversion(version), token=token)


def _stored(ctxt_factory, uuid):
    return db_instances.get(ctxt_factory(admin=True), uuid)


def _images(name):
    return [i for i in db_images.image_get_all({}) if i["name"] == name]


def test_create_image_before_2_45_answers_the_location_of_a_queued_snapshot(
        cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    resp = _act(cloud, uuid, {"createImage": {"name": "snap", "metadata": {"k": "v"}}})
    assert resp.status_int == 202, resp.text
    [image] = _images("snap")
    assert resp.headers["Location"].endswith(f"/images/{image['id']}")
    assert image["status"] == "queued" and image["disk_format"] == "qcow2"
    assert image["properties"]["k"] == "v"
    assert image["properties"]["image_type"] == "snapshot"
    assert image["properties"]["instance_uuid"] == uuid
    assert image["properties"]["hw_disk_bus"] == "virtio"  # inherited
    assert _stored(ctxt_factory, uuid)["task_state"] == "image_snapshot_pending"
    [(name, host, cast_uuid, args, _kw)] = cloud.compute.casts
    assert (name, host, cast_uuid, args) == ("snapshot_instance", "compute1", uuid,
                                             (image["id"],))


def test_create_image_from_2_45_answers_the_image_id(cloud, ctxt_factory):
    uuid = _server(ctxt_factory, vm_state="stopped")
    resp = _act(cloud, uuid, {"createImage": {"name": "snap"}}, version="2.45")
    assert resp.status_int == 202, resp.text
    assert resp.json == {"image_id": _images("snap")[0]["id"]}
    assert "Location" not in resp.headers


@pytest.mark.parametrize("vm_state,task_state", [
    ("building", "spawning"), ("error", None), ("shelved", None), ("active", "rebooting")])
def test_create_image_in_a_state_nova_refuses_is_409_and_makes_no_image(
        cloud, ctxt_factory, vm_state, task_state):
    uuid = _server(ctxt_factory, vm_state=vm_state, task_state=task_state)
    resp = _act(cloud, uuid, {"createImage": {"name": "snap"}})
    assert resp.status_int == 409, resp.text
    assert _images("snap") == [] and cloud.compute.casts == []


@pytest.mark.parametrize("body", [{"createImage": {}}, {"createImage": {"name": ""}},
                                  {"createImage": {"name": "x", "extra": 1}},
                                  {"createImage": {"name": "x", "metadata": {"k": 1}}}])
def test_a_bad_create_image_body_is_400(cloud, ctxt_factory, body):
    uuid = _server(ctxt_factory)
    assert _act(cloud, uuid, body).status_int == 400
    assert _stored(ctxt_factory, uuid)["task_state"] is None


def test_create_image_metadata_over_the_quota_is_403(cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    db_quotas.set_limits(fakes.PROJECT, {"metadata_items": 1})
    resp = _act(cloud, uuid, {"createImage": {"name": "snap",
                                              "metadata": {"a": "1", "b": "2"}}})
    assert resp.status_int == 403, resp.text
    assert _images("snap") == []


def test_shelve_makes_the_shelved_image_and_casts(cloud, ctxt_factory):
    uuid = _server(ctxt_factory, vm_state="paused")
    resp = _act(cloud, uuid, {"shelve": None})
    assert resp.status_int == 202, resp.text
    [image] = _images("web-shelved")
    assert _stored(ctxt_factory, uuid)["task_state"] == "shelving"
    [(name, _host, _uuid, args, kwargs)] = cloud.compute.casts
    assert (name, args, kwargs) == ("shelve_instance", (image["id"],),
                                    {"clean_shutdown": True})


def test_shelve_of_a_locked_server_is_409_for_its_project_not_for_an_admin(
        cloud, ctxt_factory):
    uuid = _server(ctxt_factory, locked=True)
    assert _act(cloud, uuid, {"shelve": None}).status_int == 409
    assert _images("web-shelved") == []
    assert _act(cloud, uuid, {"shelve": None}, token=fakes.ADMIN_TOKEN).status_int == 202


def test_of_two_racing_shelves_one_wins_and_the_loser_leaves_no_image(cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    assert _act(cloud, uuid, {"shelve": None}).status_int == 202
    # The second read the server idle (as its request did before the first
    # won): the compare-and-swap refuses it and its image record is deleted.
    stale = dict(_stored(ctxt_factory, uuid), task_state=None)
    with pytest.raises(exception.InstanceInvalidState):
        cloud.compute_api.shelve(ctxt_factory(project=fakes.PROJECT, user=fakes.USER), stale)
    assert len(_images("web-shelved")) == 1 and len(cloud.compute.casts) == 1


def test_shelve_offload_is_admin_only_and_needs_shelved(cloud, ctxt_factory):
    uuid = _server(ctxt_factory, vm_state="shelved")
    assert _act(cloud, uuid, {"shelveOffload": None}).status_int == 403
    active = _server(ctxt_factory)
    assert _act(cloud, active, {"shelveOffload": None},
                token=fakes.ADMIN_TOKEN).status_int == 409
    resp = _act(cloud, uuid, {"shelveOffload": None}, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 202, resp.text
    assert _stored(ctxt_factory, uuid)["task_state"] == "shelving_offloading"
    assert [c[0] for c in cloud.compute.casts] == ["shelve_offload_instance"]


def test_unshelve_of_a_shelved_server_casts_to_its_host(cloud, ctxt_factory):
    uuid = _server(ctxt_factory, vm_state="shelved")
    resp = _act(cloud, uuid, {"unshelve": None})
    assert resp.status_int == 202, resp.text
    assert _stored(ctxt_factory, uuid)["task_state"] == "unshelving"
    assert [(c[0], c[1]) for c in cloud.compute.casts] == [("unshelve_instance", "compute1")]


def test_unshelve_of_an_active_server_is_409(cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    assert _act(cloud, uuid, {"unshelve": None}).status_int == 409


def test_unshelve_to_a_host_is_admin_only_from_2_91(cloud, ctxt_factory):
    uuid = _server(ctxt_factory, vm_state="shelved_offloaded")
    assert _act(cloud, uuid, {"unshelve": {"host": "compute1"}},
                version="2.91").status_int == 403
    # Before 2.91 there is no host (400); before 2.77 no zone either.
    assert _act(cloud, uuid, {"unshelve": {"host": "compute1"}},
                version="2.90").status_int == 400
    assert _stored(ctxt_factory, uuid)["task_state"] is None


def test_a_zone_for_a_server_that_is_not_offloaded_is_409(cloud, ctxt_factory):
    uuid = _server(ctxt_factory, vm_state="shelved")
    resp = _act(cloud, uuid, {"unshelve": {"availability_zone": "nova"}}, version="2.77")
    assert resp.status_int == 409, resp.text
    assert "SHELVED_OFFLOADED" in resp.json["conflictingRequest"]["message"]
