"""The compute manager's part of Nova's deferred delete: soft delete powers
the guest off, restore powers it on, and the periodic reclaim deletes for
good what was soft-deleted longer than ``reclaim_instance_interval`` ago.

The conductor is the recording stand-in of test_manager.py (its RPC client
only); the fake driver is real.
"""

import datetime

import pytest
from oslo_config import cfg
from oslo_utils import timeutils

from minova import exception
from tests.unit.compute.test_manager import INSTANCE, _finished, compute  # noqa: F401


def test_soft_delete_powers_off_and_keeps_the_guest(compute):  # noqa: F811
    compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, [])
    compute.soft_delete_instance(None, INSTANCE)
    _, uuid, event, updates, expected, error = _finished(compute)
    assert (event, expected, error) == ("compute_soft_delete_instance", ["soft-deleting"],
                                        None)
    assert updates == {"vm_state": "soft-delete", "task_state": None, "power_state": 4}
    assert compute.driver.get_info(INSTANCE)["state"] == 4  # kept, shut off

    compute.restore_instance(None, INSTANCE)
    _, uuid, event, updates, expected, error = _finished(compute)
    assert (event, expected, error) == ("compute_restore_instance", ["restoring"], None)
    assert updates == {"vm_state": "active", "task_state": None, "power_state": 1,
                       "deleted_at": None}
    assert compute.driver.get_info(INSTANCE)["state"] == 1


class Listing:
    """What the reclaim asks the conductor: the soft-deleted instances here."""

    def __init__(self, conductor, instances):
        self.conductor, self.instances, self.asked = conductor, instances, []

    def instance_get_all(self, ctxt, filters=None, **kwargs):
        self.asked.append(filters)
        return [dict(i) for i in self.instances]

    def instance_update(self, ctxt, uuid, updates, expected_task_state=None,
                        expected_vm_state=None):
        self.conductor.calls.append(("instance_update", uuid, updates, expected_task_state,
                                     expected_vm_state))
        if uuid == "restored-meanwhile":
            raise exception.UnexpectedTaskStateError(instance_uuid=uuid, expected={},
                                                     actual={})
        return dict(next(i for i in self.instances if i["uuid"] == uuid), **updates)

    def __getattr__(self, name):
        return getattr(self.conductor, name)


def _ago(seconds):
    return (timeutils.utcnow() - datetime.timedelta(seconds=seconds)).isoformat()


@pytest.fixture
def reclaiming(compute):  # noqa: F811
    cfg.CONF.set_override("reclaim_instance_interval", 60)
    compute.service = {"id": 1}
    yield compute
    cfg.CONF.clear_override("reclaim_instance_interval")


def test_reclaim_deletes_only_what_is_due(reclaiming):
    due = dict(INSTANCE, uuid="due", deleted_at=_ago(120))
    recent = dict(INSTANCE, uuid="recent", deleted_at=_ago(10))
    raced = dict(INSTANCE, uuid="restored-meanwhile", deleted_at=_ago(120))
    listing = Listing(reclaiming.conductor_api, [due, recent, raced])
    reclaiming.conductor_api = listing
    reclaiming.driver.spawn(None, due, {})
    reclaiming.reclaim_queued_deletes()
    [filters] = listing.asked
    assert filters["host"] == "c1" and filters["vm_state"] == ["soft-delete"]
    assert filters["task_state"] == [None] and filters["soft_deleted"] is True
    calls = reclaiming.conductor_api.conductor.calls
    updates = [c for c in calls if c[0] == "instance_update"]
    # Each due one is moved to deleting only from an idle SOFT_DELETED state;
    # the one restored meanwhile loses that race and is left alone.
    assert [(c[1], c[2], c[3], c[4]) for c in updates] == [
        ("due", {"task_state": "deleting"}, [None], ["soft-delete"]),
        ("restored-meanwhile", {"task_state": "deleting"}, [None], ["soft-delete"])]
    assert [c[1:] for c in calls if c[0] == "instance_destroy"] == [("due", "c1")]
    with pytest.raises(exception.InstanceNotFound):
        reclaiming.driver.get_info(due)


def test_reclaim_is_off_at_zero(compute):  # noqa: F811
    compute.service = {"id": 1}
    listing = Listing(compute.conductor_api, [])
    compute.conductor_api = listing
    compute.reclaim_queued_deletes()
    assert listing.asked == []
    assert compute.reclaim_queued_deletes not in [t for _, t in compute.periodic_tasks()]
