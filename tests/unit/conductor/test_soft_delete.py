"""The conductor's start of a deferred delete (soft_delete_instance, RPC
1.15) on a real (SQLite) database; the compute client is the recording fake."""

import sqlalchemy as sa

from minova.db import actions as db_actions
from minova.db import instances, models
from tests.unit.conductor.test_tasks import _active_instance


def test_soft_delete_records_a_delete_and_casts_to_the_host(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    uuid, _ = _active_instance(conductor, ctxt)
    conductor.soft_delete_instance(ctxt, uuid)
    row = instances.get(ctxt, uuid)
    assert row["task_state"] == "soft-deleting" and row["deleted_at"] is not None
    assert conductor.compute_api.soft_deletes == [("h1", uuid, "soft-deleting")]
    assert db_actions.action_get_by_request_id(uuid, ctxt.request_id)["action"] == "delete"
    # A second one while it runs does nothing, as Nova ignores it.
    conductor.soft_delete_instance(ctxt, uuid)
    assert len(conductor.compute_api.soft_deletes) == 1


def test_soft_deleted_servers_are_listed_only_when_asked(conductor, ctxt_factory):
    ctxt = ctxt_factory()
    uuid, _ = _active_instance(conductor, ctxt)
    instances.update(uuid, {"vm_state": "soft-delete", "task_state": None})
    admin = ctxt_factory(admin=True)
    assert instances.get_all(admin, {"deleted": False}) == []
    assert [i["uuid"] for i in instances.get_all(
        admin, {"deleted": False, "soft_deleted": True})] == [uuid]
    # Listing the deleted includes the soft-deleted unless soft_deleted is False.
    assert [i["uuid"] for i in instances.get_all(admin, {"deleted": True})] == [uuid]
    assert instances.get_all(admin, {"deleted": True, "soft_deleted": False}) == []
    # Still the project's: shown, counted.
    assert instances.get(ctxt, uuid)["vm_state"] == "soft-delete"


def test_soft_delete_on_a_down_host_deletes_at_once(conductor, ctxt_factory, sqlite_db):
    ctxt = ctxt_factory()
    uuid, _ = _active_instance(conductor, ctxt)
    with sqlite_db.begin() as conn:
        conn.execute(sa.update(models.services).values(forced_down=True))
    conductor.soft_delete_instance(ctxt, uuid)
    assert conductor.compute_api.soft_deletes == []
    assert instances.get(ctxt, uuid, read_deleted=True)["vm_state"] == "deleted"
