"""POST /servers/{id}/action {"rebuild": ...}: request and response shapes at
each microversion, policy, and every refusal, through the real compute API
facade and the real conductor endpoints on SQLite (the bus cut out; the
conductor's scheduler and compute clients are the recording fakes of the
conductor's unit tests, since no compute runs here)."""

import futurist
import pytest

from minova.compute import api as compute_api
from minova.conductor import api as conductor_task_api
from minova.conductor import manager as conductor_manager
from minova.conductor import rpcapi as conductor_rpcapi
from minova.conductor import server_groups
from minova.db import flavors as db_flavors
from minova.db import images as db_images
from minova.db import instances as db_instances
from minova.db import keypairs as db_keypairs
from minova.db import quotas as db_quotas
from tests.unit.conductor import fakes as conductor_fakes
from tests.unit.db.helpers import make_instance

from .. import fakes

OLD_IMAGE = "11111111-1111-4111-8111-111111111111"
NEW_IMAGE = "22222222-2222-4222-8222-222222222222"
BIG_IMAGE = "33333333-3333-4333-8333-333333333333"


class _Managers:
    """The conductor endpoints the facades reach, as one object."""

    def __init__(self, *managers) -> None:
        self.managers = managers

    def __getattr__(self, name):
        for manager in self.managers:
            if hasattr(manager, name):
                return getattr(manager, name)
        raise AttributeError(name)


class _DirectTaskClient:
    def __init__(self, manager) -> None:
        self.manager = manager
        self.version_cap = "1.13"

    def prepare(self, **_options):
        return self

    def call(self, ctxt, method, **kwargs):
        return getattr(self.manager, method)(ctxt, **kwargs)

    cast = call

    def can_send_version(self, version: str) -> bool:
        return tuple(map(int, version.split("."))) <= tuple(
            map(int, self.version_cap.split(".")))


class _TaskAPI(conductor_rpcapi.ComputeTaskAPI):
    def __init__(self, manager) -> None:  # no transport: calls go straight in
        self.client = _DirectTaskClient(manager)


@pytest.fixture
def cloud(sqlite_db):
    db_flavors.bootstrap()
    for image_id, extra in ((OLD_IMAGE, {}), (NEW_IMAGE, {}), (BIG_IMAGE, {"min_ram": 4096})):
        db_images.image_create(dict({"id": image_id, "name": image_id[:8], "status": "active",
                                     "visibility": "public", "disk_format": "qcow2",
                                     "container_format": "bare", "size": 1024}, **extra))
    scheduler = conductor_fakes.FakeScheduler()
    compute = conductor_fakes.FakeCompute()
    tasks = conductor_manager.ComputeTaskManager(
        "cond1", scheduler_api=scheduler, compute_api=compute,
        build_pool=futurist.SynchronousExecutor())
    endpoints = fakes.EndpointConductor(
        _Managers(conductor_manager.ConductorManager("cond1"),
                  server_groups.ServerGroupManager()),
        "instance_get", "service_get_all", "server_group_uuids_for_instance")
    task_api = _TaskAPI(tasks)
    facade = compute_api.API(conductor_api=endpoints, compute_rpc=object(),
                             compute_task_api=conductor_task_api.ComputeTaskAPI(task_api))
    client = fakes.Client(facade)
    client.scheduler, client.compute, client.task_api = scheduler, compute, task_api
    return client


def _server(ctxt_factory, vm_state="active", task_state=None, project=fakes.PROJECT,
            host="compute1"):
    inst = make_instance(ctxt_factory(project=project, user=fakes.USER), name="web")
    db_instances.update(inst["uuid"], {"vm_state": vm_state, "task_state": task_state,
                                       "host": host, "node": host, "image_ref": OLD_IMAGE,
                                       "power_state": 1, "user_data": "b2xk"})
    return inst["uuid"]


def _rebuild(client, uuid, version="2.1", headers=None, token=fakes.USER_TOKEN, **fields):
    body = {"rebuild": dict({"imageRef": NEW_IMAGE}, **fields)}
    all_headers = dict(fakes.microversion(version))
    all_headers.update(headers or {})
    return client.post(f"/v2.1/servers/{uuid}/action", body, headers=all_headers,
                       token=token)


def _stored(ctxt_factory, uuid):
    return db_instances.get(ctxt_factory(admin=True), uuid)


def test_rebuild_answers_202_with_the_server_rebuilding(cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    cloud.scheduler.answers.append({"selections": [[]], "decisions": []})
    resp = _rebuild(cloud, uuid, name="renamed", adminPass="s3cret",
                    metadata={"k": "v"}, accessIPv4="10.1.2.3", preserve_ephemeral="true")
    assert resp.status_int == 202, resp.text
    server = resp.json["server"]
    assert resp.headers["Location"].endswith(f"/v2.1/servers/{uuid}")
    assert server["status"] == "REBUILD" and server["name"] == "renamed"
    assert server["adminPass"] == "s3cret" and server["metadata"] == {"k": "v"}
    assert server["accessIPv4"] == "10.1.2.3"
    assert server["image"]["id"] == NEW_IMAGE
    # Before 2.75 the answer is an update's: no state, no zone.
    assert "OS-EXT-STS:vm_state" not in server and "user_data" not in server
    [(host, instance, image, preserve, orig)] = cloud.compute.rebuilds
    assert (host, instance["uuid"], image["id"], preserve, orig) == (
        "compute1", uuid, NEW_IMAGE, True, "active")
    stored = _stored(ctxt_factory, uuid)
    assert (stored["task_state"], stored["display_name"]) == ("rebuilding", "renamed")


def test_a_password_is_generated_when_none_is_given(cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    cloud.scheduler.answers.append({"selections": [[]], "decisions": []})
    password = _rebuild(cloud, uuid).json["server"]["adminPass"]
    assert len(password) == 12


def test_2_75_answers_the_full_server_and_2_57_its_user_data(cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    cloud.scheduler.answers.append({"selections": [[]], "decisions": []})
    server = _rebuild(cloud, uuid, version="2.75", token=fakes.ADMIN_TOKEN,
                      user_data="bmV3", description="d", key_name=None,
                      trusted_image_certificates=["cert-1"]).json["server"]
    assert server["OS-EXT-STS:task_state"] == "rebuilding"
    assert server["OS-EXT-STS:vm_state"] == "active"
    assert server["user_data"] == "bmV3" and server["description"] == "d"
    assert server["trusted_image_certificates"] == ["cert-1"]
    assert server["key_name"] is None and server["tags"] == []
    assert server["host_status"] == ""  # no compute service record here
    # The extended attribute is left out: user_data is the top-level one.
    assert "OS-EXT-SRV-ATTR:user_data" not in server
    assert server["OS-EXT-SRV-ATTR:host"] == "compute1"


def test_2_54_key_name_is_set_and_shown(cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    db_keypairs.create(fakes.USER, "mine", "ssh-ed25519 AAAA", "aa:bb")
    cloud.scheduler.answers.append({"selections": [[]], "decisions": []})
    server = _rebuild(cloud, uuid, version="2.54", key_name="mine").json["server"]
    assert server["key_name"] == "mine"
    assert _stored(ctxt_factory, uuid)["key_name"] == "mine"


def test_an_unknown_key_name_is_400(cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    resp = _rebuild(cloud, uuid, version="2.54", key_name="nope")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == "Invalid key_name provided."


@pytest.mark.parametrize("vm_state,task_state", [
    ("paused", None), ("suspended", None), ("building", "spawning"),
    ("active", "rebooting"), ("stopped", "rebuilding")])
def test_wrong_state_is_409(cloud, ctxt_factory, vm_state, task_state):
    uuid = _server(ctxt_factory, vm_state=vm_state, task_state=task_state)
    resp = _rebuild(cloud, uuid)
    assert resp.status_int == 409
    assert "rebuild" in resp.json["conflictingRequest"]["message"]
    assert _stored(ctxt_factory, uuid)["image_ref"] == OLD_IMAGE


@pytest.mark.parametrize("vm_state", ["active", "stopped", "error"])
def test_allowed_states(cloud, ctxt_factory, vm_state):
    uuid = _server(ctxt_factory, vm_state=vm_state)
    cloud.scheduler.answers.append({"selections": [[]], "decisions": []})
    assert _rebuild(cloud, uuid).status_int == 202
    assert _stored(ctxt_factory, uuid)["task_state"] == "rebuilding"


def test_a_server_whose_build_failed_before_placement_is_409(cloud, ctxt_factory):
    uuid = _server(ctxt_factory, vm_state="error", host=None)
    assert _rebuild(cloud, uuid).status_int == 409


@pytest.mark.parametrize("image,message", [
    ("44444444-4444-4444-8444-444444444444", "Cannot find image for rebuild"),
    (BIG_IMAGE, "Flavor's memory is too small for requested image.")])
def test_bad_image_is_400(cloud, ctxt_factory, image, message):
    uuid = _server(ctxt_factory)
    resp = _rebuild(cloud, uuid, imageRef=image)
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == message
    assert _stored(ctxt_factory, uuid)["task_state"] is None


@pytest.mark.parametrize("version,fields", [
    ("2.1", {"imageRef": "not-a-uuid"}),
    ("2.1", {"description": "only from 2.19"}),
    ("2.53", {"key_name": "only from 2.54"}),
    ("2.57", {"personality": []}),  # gone at 2.57
    ("2.56", {"user_data": "only from 2.57"}),
    ("2.62", {"trusted_image_certificates": ["c"]}),
    ("2.1", {"preserve_ephemeral": "maybe"}),
    ("2.1", {"OS-DCF:diskConfig": "SOMETIMES"}),
    ("2.1", {"unknown": 1}),
])
def test_bodies_nova_refuses_are_400(cloud, ctxt_factory, version, fields):
    uuid = _server(ctxt_factory)
    resp = _rebuild(cloud, uuid, version=version, **fields)
    assert resp.status_int == 400, resp.text
    assert _stored(ctxt_factory, uuid)["task_state"] is None


def test_missing_image_ref_is_400(cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    resp = cloud.post(f"/v2.1/servers/{uuid}/action", {"rebuild": {"name": "x"}})
    assert resp.status_int == 400


def test_personality_is_checked_against_its_quota_before_2_57(cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    db_quotas.set_limits(fakes.PROJECT, {"injected_files": 1})
    files = [{"path": "/a", "contents": "eA=="}, {"path": "/b", "contents": "eA=="}]
    resp = _rebuild(cloud, uuid, version="2.56", personality=files)
    assert resp.status_int == 403
    assert resp.json["forbidden"]["message"] == "Personality file limit exceeded"
    cloud.scheduler.answers.append({"selections": [[]], "decisions": []})
    assert _rebuild(cloud, uuid, version="2.56", personality=files[:1]).status_int == 202


def test_metadata_over_quota_is_403(cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    db_quotas.set_limits(fakes.PROJECT, {"metadata_items": 1})
    resp = _rebuild(cloud, uuid, metadata={"a": "1", "b": "2"})
    assert resp.status_int == 403


def test_a_reader_may_not_rebuild(cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    resp = _rebuild(cloud, uuid, headers={"X-Roles": "reader"})
    assert resp.status_int == 403
    assert "os_compute_api:servers:rebuild" in resp.json["forbidden"]["message"]
    assert _stored(ctxt_factory, uuid)["task_state"] is None


def test_trusted_certs_policy_is_checked_only_when_they_are_given(cloud, ctxt_factory,
                                                                   tmp_path):
    from oslo_config import cfg

    from minova import policy
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"os_compute_api:servers:rebuild:trusted_certs": "!"\n')
    policy.init()
    cfg.CONF.set_override("policy_file", str(policy_file), group="oslo_policy")
    policy.reset()
    uuid = _server(ctxt_factory)
    resp = _rebuild(cloud, uuid, version="2.63", trusted_image_certificates=["c"])
    assert resp.status_int == 403
    assert "rebuild:trusted_certs" in resp.json["forbidden"]["message"]
    cloud.scheduler.answers.append({"selections": [[]], "decisions": []})
    assert _rebuild(cloud, uuid, version="2.63").status_int == 202


def test_another_projects_server_and_an_unknown_one_are_404(cloud, ctxt_factory):
    uuid = _server(ctxt_factory, project=fakes.OTHER_PROJECT)
    assert _rebuild(cloud, uuid).status_int == 404
    assert _rebuild(cloud, "55555555-5555-4555-8555-555555555555").status_int == 404
    assert _rebuild(cloud, "not-a-uuid").status_int == 404


def test_an_api_facing_old_conductors_answers_409(cloud, ctxt_factory):
    uuid = _server(ctxt_factory)
    cloud.task_api.client.version_cap = "1.12"
    resp = _rebuild(cloud, uuid)
    assert resp.status_int == 409
    assert _stored(ctxt_factory, uuid)["task_state"] is None
