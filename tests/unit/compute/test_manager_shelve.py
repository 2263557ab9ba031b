"""The compute manager's createImage, shelve, offload and unshelve with the
fake driver (its snapshot uploads through a recording image client; the
conductor is test_manager.py's recording stand-in, enforcing the
compare-and-swaps on the task state as the conductor does)."""

import pytest
from oslo_config import cfg

from minova import exception
from minova.compute import manager
from minova.virt import fake
from tests.unit.compute.test_manager import INSTANCE, RecordingConductor

IMAGE_ID = "99999999-9999-4999-8999-999999999999"


class ShelveConductor(RecordingConductor):
    def __init__(self, task_state):
        super().__init__()
        self.task_state, self.vm_state = task_state, "active"

    def instance_update(self, ctxt, uuid, updates, expected_task_state=None,
                        expected_vm_state=None):
        super().instance_update(ctxt, uuid, updates, expected_task_state, expected_vm_state)
        if expected_task_state is not None and self.task_state not in expected_task_state:
            raise exception.UnexpectedTaskStateError(
                instance_uuid=uuid, expected=expected_task_state, actual=self.task_state)
        self.task_state = updates.get("task_state", self.task_state)
        return dict(INSTANCE, task_state=self.task_state)

    def shelve_offload_finish(self, ctxt, uuid, host, event, expected_task_state,
                              error=None, traceback=None):
        self._record("offload_finish", uuid, host, event, expected_task_state, error)


class RecordingImages:
    def __init__(self):
        self.uploads, self.deleted = [], []
        self.upload_error = None

    def upload(self, context, image_id, path):
        if self.upload_error:
            raise self.upload_error
        with open(path, "rb") as handle:
            self.uploads.append((image_id, handle.read()))

    def delete_with_data(self, context, image_id):
        self.deleted.append(image_id)


def _compute(task_state):
    images = RecordingImages()
    driver = fake.FakeDriver(image_api=images)
    conductor = ShelveConductor(task_state)
    mgr = manager.ComputeManager("c1", driver=driver, conductor_api=conductor,
                                 compute_task_api=conductor)
    mgr.init_host()
    driver.spawn(None, INSTANCE, {"id": "base"})
    return mgr, conductor, images


def _task_states(conductor):
    return [c[2]["task_state"] for c in conductor.calls
            if c[0] == "instance_update" and "task_state" in c[2]]


def _finish(conductor):
    [finish] = [c for c in conductor.calls if c[0] == "action_finish"]
    return finish[2:]


def test_snapshot_goes_through_nova_task_states_and_uploads_the_guest():
    compute, conductor, images = _compute("image_snapshot_pending")
    compute.snapshot_instance(None, INSTANCE, IMAGE_ID)
    assert _task_states(conductor) == ["image_snapshot", "image_pending_upload",
                                       "image_uploading"]
    [(image_id, blob)] = images.uploads
    assert image_id == IMAGE_ID and INSTANCE["uuid"].encode() in blob
    event, updates, expected, error = _finish(conductor)
    assert (event, updates["task_state"], expected, error) == (
        "compute_snapshot_instance", None, ["image_uploading"], None)
    assert "vm_state" not in updates  # the server stays as it was
    assert images.deleted == []
    assert compute.driver.get_info(INSTANCE)["state"] == 1


def test_a_failed_snapshot_deletes_the_image_and_leaves_the_server_as_it_was():
    compute, conductor, images = _compute("image_snapshot_pending")
    images.upload_error = exception.ImageUploadFailed(image_id=IMAGE_ID, reason="503")
    compute.snapshot_instance(None, INSTANCE, IMAGE_ID)
    event, updates, _expected, error = _finish(conductor)
    assert event == "compute_snapshot_instance" and "503" in error
    assert updates["task_state"] is None and "vm_state" not in updates
    assert images.deleted == [IMAGE_ID]


def test_a_snapshot_of_an_instance_that_moved_on_only_deletes_the_image():
    compute, conductor, images = _compute("deleting")
    compute.snapshot_instance(None, INSTANCE, IMAGE_ID)
    assert images.uploads == [] and images.deleted == [IMAGE_ID]
    assert [c[0] for c in conductor.calls] == ["instance_update"]


@pytest.fixture
def offload_time():
    def set_to(seconds):
        cfg.CONF.set_override("shelved_offload_time", seconds)
    yield set_to
    cfg.CONF.clear_override("shelved_offload_time")


def test_shelve_powers_off_snapshots_and_keeps_the_image_id(offload_time):
    offload_time(-1)
    compute, conductor, images = _compute("shelving")
    compute.shelve_instance(None, INSTANCE, IMAGE_ID, clean_shutdown=False)
    assert _task_states(conductor) == ["shelving_image_pending_upload",
                                       "shelving_image_uploading"]
    event, updates, expected, error = _finish(conductor)
    assert (event, updates["vm_state"], updates["task_state"], error) == (
        "compute_shelve_instance", "shelved", None, None)
    assert updates["power_state"] == 4 and expected == ["shelving_image_uploading"]
    assert updates["system_metadata"]["shelved_image_id"] == IMAGE_ID
    assert updates["system_metadata"]["shelved_host"] == "c1"
    assert [i for i, _ in images.uploads] == [IMAGE_ID]
    assert compute.driver.list_instance_uuids() == [INSTANCE["uuid"]]  # still here


def test_shelve_with_offload_time_0_offloads_at_once(offload_time):
    offload_time(0)
    compute, conductor, _images = _compute("shelving")
    compute.shelve_instance(None, INSTANCE, IMAGE_ID)
    assert _task_states(conductor)[-1] == "shelving_offloading"
    names = [c[0] for c in conductor.calls]
    assert names[-3:] == ["event_finish", "event_start", "offload_finish"]
    assert conductor.calls[-1][2:] == ("c1", "compute_shelve_offload_instance",
                                       ["shelving_offloading"], None)
    assert compute.driver.list_instance_uuids() == []


def test_a_failed_shelve_deletes_the_image_and_powers_the_guest_on_again(offload_time):
    offload_time(0)
    cfg.CONF.set_override("fail_snapshot_for_name", "^vm$", group="fake_driver")
    try:
        compute, conductor, images = _compute("shelving")
        compute.shelve_instance(None, INSTANCE, IMAGE_ID)
    finally:
        cfg.CONF.clear_override("fail_snapshot_for_name", group="fake_driver")
    event, updates, _expected, error = _finish(conductor)
    assert event == "compute_shelve_instance" and "fail snapshotting" in error
    assert "vm_state" not in updates and updates["power_state"] == 1
    assert images.deleted == [IMAGE_ID]
    assert compute.driver.get_info(INSTANCE)["state"] == 1


def test_offload_destroys_the_guest_then_frees_the_host():
    compute, conductor, _images = _compute("shelving_offloading")
    compute.shelve_offload_instance(None, INSTANCE)
    assert compute.driver.list_instance_uuids() == []
    assert conductor.calls[-1][0] == "offload_finish"


def test_unshelve_on_the_same_host_powers_on_and_deletes_the_snapshot():
    compute, conductor, images = _compute("unshelving")
    compute.driver.power_off(None, INSTANCE, 0)
    shelved = dict(INSTANCE, system_metadata={"shelved_image_id": IMAGE_ID,
                                              "shelved_host": "c1", "shelved_at": "x",
                                              "other": "kept"})
    compute.unshelve_instance(None, shelved)
    event, updates, expected, error = _finish(conductor)
    assert (event, updates["vm_state"], updates["power_state"], expected, error) == (
        "compute_unshelve_instance", "active", 1, ["unshelving"], None)
    assert updates["system_metadata"] == {"other": "kept"}
    assert images.deleted == [IMAGE_ID]


def test_unshelve_of_an_offloaded_server_spawns_from_the_snapshot():
    compute, conductor, images = _compute("spawning")
    compute.driver.destroy(None, INSTANCE)
    shelved = dict(INSTANCE, system_metadata={"shelved_image_id": IMAGE_ID})
    compute.unshelve_instance(None, shelved, image={"id": IMAGE_ID}, node="c1")
    assert compute.driver._guests[INSTANCE["uuid"]]["image"] == IMAGE_ID
    _event, updates, expected, _error = _finish(conductor)
    assert updates["vm_state"] == "active" and expected == ["spawning"]
    assert updates["launched_at"] and images.deleted == [IMAGE_ID]


def test_a_failed_unshelve_spawn_is_destroyed_and_offloaded_again():
    compute, conductor, images = _compute("spawning")
    compute.driver.destroy(None, INSTANCE)
    cfg.CONF.set_override("fail_spawn_for_name", "^vm$", group="fake_driver")
    try:
        compute.unshelve_instance(None, dict(INSTANCE, system_metadata={
            "shelved_image_id": IMAGE_ID}), image={"id": IMAGE_ID}, node="c1")
    finally:
        cfg.CONF.clear_override("fail_spawn_for_name", group="fake_driver")
    [call] = [c for c in conductor.calls if c[0] == "offload_finish"]
    assert call[2:5] == ("c1", "compute_unshelve_instance", ["spawning"])
    assert "fail spawning" in call[5]
    assert compute.driver.list_instance_uuids() == []
    assert images.deleted == []  # the snapshot is still needed


def test_the_periodic_offloads_only_what_was_shelved_long_enough(offload_time):
    from oslo_utils import timeutils

    offload_time(60)
    compute, conductor, _images = _compute(None)
    compute.service = {"id": 1}
    old = timeutils.utcnow().replace(year=2000).isoformat()
    new = timeutils.utcnow().isoformat()
    shelved = [dict(INSTANCE, system_metadata={"shelved_at": old}),
               dict(INSTANCE, uuid="fresh", system_metadata={"shelved_at": new})]
    conductor.instance_get_all = lambda ctxt, filters: shelved
    compute.poll_shelved_instances()
    finished = [c for c in conductor.calls if c[0] == "offload_finish"]
    assert [c[1] for c in finished] == [INSTANCE["uuid"]]
    assert finished[0][3] is None  # no action to record under
    assert compute.driver.list_instance_uuids() == []


@pytest.mark.parametrize("before", ["pause", "suspend"])
def test_a_paused_or_suspended_server_shelves(offload_time, before):
    offload_time(-1)
    compute, conductor, _images = _compute("shelving")
    getattr(compute.driver, before)(None, INSTANCE)
    compute.shelve_instance(None, INSTANCE, IMAGE_ID)
    _event, updates, _expected, error = _finish(conductor)
    assert error is None and updates["vm_state"] == "shelved"
    assert compute.driver.get_info(INSTANCE)["state"] == 4
