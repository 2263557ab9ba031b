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


def _action_id(instance_uuid: str, request_id: str):
    """The id of the request's newest action on the instance, as a subquery.

    Events are written against it in the same statement, so recording an
    event costs no read of the action first (an action that was never
    recorded, e.g. for a periodic task, simply matches nothing).
    """
    return (sa.select(_actions.c.id)
            .where(_actions.c.instance_uuid == instance_uuid,
                   _actions.c.request_id == request_id)
            .order_by(_actions.c.id.desc()).limit(1))


def _touch_action(conn, instance_uuid: str, request_id: str, now, **values) -> None:
    """Every event moves its action's ``updated_at`` (API 2.58's changes-since)."""
    conn.execute(sa.update(_actions).where(
        _actions.c.instance_uuid == instance_uuid, _actions.c.request_id == request_id)
        .values(updated_at=now, **values))


def events_record(ctxt, instance_uuid: str, events: list[dict], conn=None) -> None:
    """Insert whole events (each ``{"event", "start_time", ...}``) under the
    action of ``ctxt.request_id``, in one statement, and touch the action."""
    now = utcnow()
    columns = ("event", "start_time", "finish_time", "result", "traceback", "details", "host")
    selects = [
        sa.select(_actions.c.id, *(sa.literal(event.get(c), _events.c[c].type).label(c)
                                   for c in columns))
        .where(_actions.c.id == _action_id(instance_uuid, ctxt.request_id).scalar_subquery())
        for event in events]
    source = selects[0] if len(selects) == 1 else sa.union_all(*selects)
    with joined(conn) as conn:
        conn.execute(sa.insert(_events).from_select(("action_id", *columns), source))
        _touch_action(conn, instance_uuid, ctxt.request_id, now)


def event_start(ctxt, instance_uuid: str, event: str, host: str | None, conn=None) -> None:
    """Record that ``event`` began, under the action of ``ctxt.request_id``."""
    events_record(ctxt, instance_uuid, [{"event": event, "start_time": utcnow(),
                                         "host": host}], conn=conn)


def event_finish(ctxt, instance_uuid: str, event: str, result: str, host: str | None,
                 traceback: str | None = None, details: str | None = None,
                 start_time=None, conn=None, finish_action: bool = False) -> None:
    """Close the open ``event``, or record it whole if it was never opened.

    An Error result also sets the action's message to "Error", as Nova does;
    ``finish_action`` also finishes the action, in the same statement.
    """
    now = utcnow()
    values = {"finish_time": now, "result": result, "traceback": traceback,
              "details": details}
    if host is not None:
        values["host"] = host
    action_values = {"finish_time": now} if finish_action else {}
    if result.lower() == "error":
        action_values["message"] = "Error"
    with joined(conn) as conn:
        closed = conn.execute(sa.update(_events).where(
            _events.c.event == event, _events.c.finish_time.is_(None),
            _events.c.action_id == _action_id(instance_uuid, ctxt.request_id)
            .scalar_subquery()).values(**values)).rowcount
        if not closed:
            events_record(ctxt, instance_uuid, [dict(values, event=event,
                                                     start_time=start_time or now)],
                          conn=conn)
        _touch_action(conn, instance_uuid, ctxt.request_id, now, **action_values)


def action_finish(ctxt, instance_uuid: str, conn=None) -> None:
    now = utcnow()
    with joined(conn) as conn:
        _touch_action(conn, instance_uuid, ctxt.request_id, now, finish_time=now)


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
