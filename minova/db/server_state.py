"""What admins and owners set on a server without its compute host: the lock
(Nova's lock/unlock) and an admin's reset of its state (os-resetState).

Each is one transaction that locks the instance row (scoped to the caller's
project: another project's server is not found), writes, and records the
instance action as Nova does: ``lock``/``unlock`` with an ``api_lock`` /
``api_unlock`` event, ``resetState`` with no event. The action is finished
in the same commit: nothing is left to run.
"""

import sqlalchemy as sa

from minova.context import RequestContext
from minova.db import actions as db_actions
from minova.db import instances as db_instances
from minova.db import models
from minova.db.engine import transaction
from minova.db.rows import utcnow
from minova.db.server_attributes import lock_row
from minova.objects import actions

_inst = models.instances

LOCKED_BY_OWNER = "owner"
LOCKED_BY_ADMIN = "admin"


def _write(conn, instance_uuid: str, values: dict) -> None:
    conn.execute(sa.update(_inst).where(_inst.c.uuid == instance_uuid)
                 .values(updated_at=utcnow(), **values))


def _record(conn, ctxt: RequestContext, instance_uuid: str, action: str,
            event: str | None, host: str | None) -> None:
    db_actions.action_start(ctxt, instance_uuid, action, conn=conn)
    if event is None:
        db_actions.action_finish(ctxt, instance_uuid, conn=conn)
        return
    db_actions.event_start(ctxt, instance_uuid, event, host, conn=conn)
    db_actions.event_finish(ctxt, instance_uuid, event, actions.SUCCESS, host, conn=conn,
                            finish_action=True)


def lock(ctxt: RequestContext, instance_uuid: str, reason: str | None,
         host: str | None) -> dict:
    """Lock the server, as its owner or as an admin (``locked_by``).

    As Nova: the owner locking a server that is already locked changes
    nothing and records nothing; an admin's lock takes the lock over (an
    owner can then no longer unlock it). A reason is kept only when given.
    """
    with transaction() as conn:
        row = lock_row(conn, ctxt, instance_uuid)
        is_owner = row.project_id == ctxt.project_id
        if not (row.locked and is_owner):
            values = {"locked": True,
                      "locked_by": LOCKED_BY_OWNER if is_owner else LOCKED_BY_ADMIN}
            if reason:
                values["locked_reason"] = reason
            _write(conn, instance_uuid, values)
            _record(conn, ctxt, instance_uuid, actions.LOCK, actions.EVENT_API_LOCK, host)
    return db_instances.get(ctxt, instance_uuid)


def unlock(ctxt: RequestContext, instance_uuid: str, host: str | None) -> dict:
    """Unlock the server (whoever locked it: the api checked the caller may)."""
    with transaction() as conn:
        lock_row(conn, ctxt, instance_uuid)
        _write(conn, instance_uuid, {"locked": False, "locked_by": None,
                                     "locked_reason": None})
        _record(conn, ctxt, instance_uuid, actions.UNLOCK, actions.EVENT_API_UNLOCK, host)
    return db_instances.get(ctxt, instance_uuid)


def reset_state(ctxt: RequestContext, instance_uuid: str, vm_state: str) -> dict:
    """Set ``vm_state`` and clear the task, whatever they were (an admin's repair)."""
    with transaction() as conn:
        lock_row(conn, ctxt, instance_uuid)
        _write(conn, instance_uuid, {"vm_state": vm_state, "task_state": None})
        _record(conn, ctxt, instance_uuid, actions.RESET_STATE, None, None)
    return db_instances.get(ctxt, instance_uuid)
