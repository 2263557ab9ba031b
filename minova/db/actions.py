"""Instance actions and their events: the trace of what each service did."""

import sqlalchemy as sa

from minova import exception
from minova.db import models
from minova.db.engine import get_engine, joined
from minova.db.rows import to_dict, utcnow

_actions = models.instance_actions
_events = models.instance_actions_events


def action_start(ctxt, instance_uuid: str, action: str, conn=None) -> None:
    now = utcnow()
    with joined(conn) as c:
        c.execute(sa.insert(_actions).values(
            action=action, instance_uuid=instance_uuid, request_id=ctxt.request_id,
            user_id=ctxt.user_id, project_id=ctxt.project_id, start_time=now, updated_at=now))


def _action_id(conn, instance_uuid: str, request_id: str) -> int | None:
    row = conn.execute(sa.select(_actions.c.id).where(
        _actions.c.instance_uuid == instance_uuid, _actions.c.request_id == request_id
    ).order_by(_actions.c.id.desc())).first()
    return None if row is None else row.id


def event_start(ctxt, instance_uuid: str, event: str, host: str | None, conn=None) -> None:
    """Record that ``event`` began, under the action of ``ctxt.request_id``."""
    now = utcnow()
    with joined(conn) as conn:
        action_id = _action_id(conn, instance_uuid, ctxt.request_id)
        if action_id is None:
            return  # an action we did not record (e.g. a periodic task): nothing to trace
        conn.execute(sa.insert(_events).values(action_id=action_id, event=event,
                                               start_time=now, host=host))
        conn.execute(sa.update(_actions).where(_actions.c.id == action_id)
                     .values(updated_at=now))


def event_finish(ctxt, instance_uuid: str, event: str, result: str, host: str | None,
                 traceback: str | None = None, details: str | None = None,
                 start_time=None, conn=None) -> None:
    """Close the newest open ``event``, or record it whole if it was never opened.

    An Error result also sets the action's message to "Error", as Nova does.
    """
    now = utcnow()
    with joined(conn) as conn:
        action_id = _action_id(conn, instance_uuid, ctxt.request_id)
        if action_id is None:
            return
        open_event = conn.execute(sa.select(_events.c.id).where(
            _events.c.action_id == action_id, _events.c.event == event,
            _events.c.finish_time.is_(None)).order_by(_events.c.id.desc())).first()
        values = {"finish_time": now, "result": result, "traceback": traceback,
                  "details": details}
        if host is not None:
            values["host"] = host
        if open_event is None:
            conn.execute(sa.insert(_events).values(action_id=action_id, event=event,
                                                   start_time=start_time or now, **values))
        else:
            conn.execute(sa.update(_events).where(_events.c.id == open_event.id).values(**values))
        action_values = {"updated_at": now}
        if result.lower() == "error":
            action_values["message"] = "Error"
        conn.execute(sa.update(_actions).where(_actions.c.id == action_id)
                     .values(**action_values))


def action_finish(ctxt, instance_uuid: str, conn=None) -> None:
    with joined(conn) as conn:
        action_id = _action_id(conn, instance_uuid, ctxt.request_id)
        if action_id is not None:
            now = utcnow()
            conn.execute(sa.update(_actions).where(_actions.c.id == action_id)
                         .values(finish_time=now, updated_at=now))


def actions_get(instance_uuid: str) -> list[dict]:
    with get_engine().connect() as conn:
        rows = conn.execute(sa.select(_actions).where(
            _actions.c.instance_uuid == instance_uuid).order_by(_actions.c.start_time.desc(),
                                                                _actions.c.id.desc()))
        return [to_dict(r) for r in rows]


def action_get_by_request_id(instance_uuid: str, request_id: str) -> dict:
    with get_engine().connect() as conn:
        row = conn.execute(sa.select(_actions).where(
            _actions.c.instance_uuid == instance_uuid, _actions.c.request_id == request_id
        ).order_by(_actions.c.id.desc())).first()
        if row is None:
            raise exception.InstanceActionNotFound(request_id=request_id,
                                                   instance_uuid=instance_uuid)
        action = to_dict(row)
        events = conn.execute(sa.select(_events).where(_events.c.action_id == row.id)
                              .order_by(_events.c.start_time, _events.c.id))
        action["events"] = [to_dict(e) for e in events]
        return action
