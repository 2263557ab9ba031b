"""The conductor's part of a rebuild: checks, the swap into REBUILDING, the
scheduler's check of a new image on the host, the cast, and every failure
ending in ERROR with a fault (on a real SQLite database; the scheduler and
compute clients are the recording fakes of fakes.py)."""

import pytest

from minova import exception
from minova.db import actions as db_actions
from minova.db import images as db_images
from minova.db import instances as db_instances
from minova.db import keypairs as db_keypairs
from minova.db import quotas as db_quotas
from tests.unit.db.helpers import make_instance, make_node

OLD_IMAGE = "11111111-1111-4111-8111-111111111111"
NEW_IMAGE = "22222222-2222-4222-8222-222222222222"


def _image(image_id, **values):
    record = {"id": image_id, "name": image_id[:8], "status": "active",
              "visibility": "public", "disk_format": "qcow2", "container_format": "bare",
              "size": 1024}
    record.update(values)
    return db_images.image_create(record)


def _placed(ctxt, vm_state="active", task_state=None, host="h1", name="vm"):
    """An instance built on ``host`` from OLD_IMAGE, in the given states."""
    inst = make_instance(ctxt, name=name)
    db_instances.update(inst["uuid"], {"vm_state": vm_state, "task_state": task_state,
                                       "host": host, "node": host, "image_ref": OLD_IMAGE,
                                       "power_state": 1})
    return db_instances.get(ctxt, inst["uuid"])


@pytest.fixture
def images(sqlite_db):
    _image(OLD_IMAGE)
    _image(NEW_IMAGE, properties={"hw_architecture": "x86_64"})


def _rebuild_actions(uuid):
    return [a for a in db_actions.actions_get(uuid) if a["action"] == "rebuild"]


@pytest.mark.parametrize("vm_state,after", [("active", "active"), ("stopped", "stopped"),
                                            ("error", "error")])
def test_rebuild_moves_to_rebuilding_and_casts_to_the_host(
        conductor, compute_api, scheduler_api, images, ctxt_factory, vm_state, after):
    ctxt = ctxt_factory()
    make_node("h1")
    inst = _placed(ctxt, vm_state=vm_state)
    scheduler_api.answers.append({"selections": [[]], "decisions": []})
    answered = conductor.rebuild_instance(
        ctxt, inst["uuid"], NEW_IMAGE, {"display_name": "renamed", "metadata": {"a": "b"},
                                        "access_ip_v4": "10.0.0.9"},
        preserve_ephemeral=True)
    assert answered["task_state"] == "rebuilding" and answered["vm_state"] == after
    assert answered["image_ref"] == NEW_IMAGE and answered["display_name"] == "renamed"
    assert answered["metadata"] == {"a": "b"} and answered["access_ip_v4"] == "10.0.0.9"
    assert answered["image_properties"]["hw_architecture"] == "x86_64"
    [(host, cast, image, preserve, orig_vm_state)] = compute_api.rebuilds
    assert (host, cast["uuid"], image["id"], preserve, orig_vm_state) == (
        "h1", inst["uuid"], NEW_IMAGE, True, vm_state)
    # A new image: checked on the server's own host, by the rebuild filters only.
    [(spec, uuids)] = scheduler_api.calls
    assert spec["rebuild"] is True and uuids == [inst["uuid"]]
    assert spec["requested_destination"] == {"host": "h1", "node": "h1"}
    assert spec["image"]["id"] == NEW_IMAGE
    assert len(_rebuild_actions(inst["uuid"])) == 1


def test_same_image_is_not_checked_by_the_scheduler(conductor, compute_api, scheduler_api,
                                                    images, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt)
    conductor.rebuild_instance(ctxt, inst["uuid"], OLD_IMAGE, {})
    assert scheduler_api.calls == []
    assert len(compute_api.rebuilds) == 1


@pytest.mark.parametrize("vm_state,task_state,attr", [
    ("building", "spawning", "vm_state"), ("paused", None, "vm_state"),
    ("suspended", None, "vm_state"), ("active", "powering-off", "task_state"),
    ("active", "rebuilding", "task_state"), ("stopped", "deleting", "task_state")])
def test_rebuild_in_a_state_nova_refuses_is_409_and_changes_nothing(
        conductor, compute_api, images, ctxt_factory, vm_state, task_state, attr):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, vm_state=vm_state, task_state=task_state)
    with pytest.raises(exception.InstanceInvalidState) as raised:
        conductor.rebuild_instance(ctxt, inst["uuid"], NEW_IMAGE, {"display_name": "x"})
    assert raised.value.code == 409 and raised.value.kwargs["attr"] == attr
    after = db_instances.get(ctxt, inst["uuid"])
    assert (after["vm_state"], after["task_state"], after["display_name"],
            after["image_ref"]) == (vm_state, task_state, "vm", OLD_IMAGE)
    assert _rebuild_actions(inst["uuid"]) == []
    assert not getattr(compute_api, "rebuilds", [])


def test_rebuild_of_a_server_never_placed_is_409(conductor, images, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt, vm_state="error", host=None)
    with pytest.raises(exception.InstanceNotReady):
        conductor.rebuild_instance(ctxt, inst["uuid"], NEW_IMAGE, {})


def test_another_projects_server_is_not_found(conductor, images, ctxt_factory):
    inst = _placed(ctxt_factory())
    with pytest.raises(exception.InstanceNotFound):
        conductor.rebuild_instance(ctxt_factory(project="p2"), inst["uuid"], NEW_IMAGE, {})


@pytest.mark.parametrize("image_values,error", [
    (None, exception.ImageNotFoundForBuild),
    ({"status": "queued"}, exception.ImageNotActive),
    ({"min_ram": 1024}, exception.FlavorMemoryTooSmall),       # m1.tiny has 512 MB
    ({"min_disk": 2}, exception.FlavorDiskSmallerThanMinDisk),  # and a 1 GB disk
    ({"size": 2 * 1024 ** 3}, exception.FlavorDiskSmallerThanImage),
    ({"visibility": "private", "owner": "p2"}, exception.ImageNotFoundForBuild),
])
def test_an_image_that_does_not_fit_is_400(conductor, sqlite_db, ctxt_factory, image_values,
                                           error):
    _image(OLD_IMAGE)
    image_id = "33333333-3333-4333-8333-333333333333"
    if image_values is not None:
        _image(image_id, **image_values)
    ctxt = ctxt_factory()
    inst = _placed(ctxt)
    with pytest.raises(error) as raised:
        conductor.rebuild_instance(ctxt, inst["uuid"], image_id, {})
    assert raised.value.code == 400
    assert db_instances.get(ctxt, inst["uuid"])["task_state"] is None


def test_key_name_must_be_the_callers_and_null_unsets_it(conductor, images, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt)
    with pytest.raises(exception.KeypairNotFoundForBuild):
        conductor.rebuild_instance(ctxt, inst["uuid"], NEW_IMAGE, {"key_name": "nope"})
    db_keypairs.create("u1", "mine", "ssh-ed25519 AAAA", "aa:bb")
    after = conductor.rebuild_instance(ctxt, inst["uuid"], NEW_IMAGE, {"key_name": "mine"})
    assert after["key_name"] == "mine"


def test_metadata_over_the_quota_is_403(conductor, images, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt)
    db_quotas.set_limits("p1", {"metadata_items": 1})
    with pytest.raises(exception.MetadataLimitExceeded) as raised:
        conductor.rebuild_instance(ctxt, inst["uuid"], NEW_IMAGE,
                                   {"metadata": {"a": "1", "b": "2"}})
    assert raised.value.code == 403


@pytest.mark.parametrize("files,error", [
    ([["/a", "x"]] * 6, exception.OnsetFileLimitExceeded),
    ([["/" + "p" * 300, "x"]], exception.OnsetFilePathLimitExceeded),
    ([["/a", "x" * 20000]], exception.OnsetFileContentLimitExceeded)])
def test_personality_over_its_quotas_is_403(conductor, images, ctxt_factory, files, error):
    ctxt = ctxt_factory()
    inst = _placed(ctxt)
    with pytest.raises(error) as raised:
        conductor.rebuild_instance(ctxt, inst["uuid"], NEW_IMAGE, {}, files=files)
    assert raised.value.code == 403
    assert db_instances.get(ctxt, inst["uuid"])["task_state"] is None


def test_no_valid_host_for_the_new_image_is_error_with_the_old_image(
        conductor, compute_api, scheduler_api, images, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt)
    scheduler_api.answers.append(exception.NoValidHost(
        reason="ImagePropertiesFilter removed h1"))
    conductor.rebuild_instance(ctxt, inst["uuid"], NEW_IMAGE, {})
    after = db_instances.get(ctxt, inst["uuid"])
    assert (after["vm_state"], after["task_state"]) == ("error", None)
    assert after["image_ref"] == OLD_IMAGE
    assert "No valid host" in after["fault"]["message"]
    assert "ImagePropertiesFilter" in after["fault"]["message"]
    assert not getattr(compute_api, "rebuilds", [])
    [action] = _rebuild_actions(inst["uuid"])
    assert action["message"] == "Error" and action["finish_time"]


def test_a_scheduler_that_does_not_answer_is_error_not_stuck(
        conductor, compute_api, scheduler_api, images, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt)
    scheduler_api.answers.append(exception.SchedulerUnavailable())
    conductor.rebuild_instance(ctxt, inst["uuid"], NEW_IMAGE, {})
    after = db_instances.get(ctxt, inst["uuid"])
    assert (after["vm_state"], after["task_state"]) == ("error", None)
    assert after["fault"]["message"].startswith("Could not check the new image")


def test_a_cast_that_fails_is_error_not_stuck(conductor, compute_api, images,
                                              ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt)
    compute_api.rebuild_error = RuntimeError("broker gone")
    conductor.rebuild_instance(ctxt, inst["uuid"], OLD_IMAGE, {})
    after = db_instances.get(ctxt, inst["uuid"])
    assert (after["vm_state"], after["task_state"]) == ("error", None)
    assert "broker gone" in after["fault"]["message"]


def test_old_schedulers_skip_the_check(conductor, compute_api, scheduler_api, images,
                                       ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt)
    scheduler_api.rebuild_checks = False
    conductor.rebuild_instance(ctxt, inst["uuid"], NEW_IMAGE, {})
    assert scheduler_api.calls == [] and len(compute_api.rebuilds) == 1


def test_old_computes_refuse_the_rebuild(conductor, compute_api, images, ctxt_factory):
    ctxt = ctxt_factory()
    inst = _placed(ctxt)
    compute_api.rebuilds_allowed = False
    with pytest.raises(exception.InstanceInvalidState):
        conductor.rebuild_instance(ctxt, inst["uuid"], NEW_IMAGE, {})
    assert db_instances.get(ctxt, inst["uuid"])["task_state"] is None
