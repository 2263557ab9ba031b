"""Instance actions and their events: the trace of what each service did."""

import functools

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


# Events and action updates run on every build step: their statements are
# built once per shape, with bound parameters (building them anew costs as
# much CPU as the round trip).
_EVENT_COLUMNS = ("event", "start_time", "finish_time", "result", "traceback", "details",
                  "host")


def _action_id():
    """The id of the request's newest action on the instance, as a scalar subquery.

    Events are written against it in the same statement, so recording an
    event costs no read of the action first (an action that was never
    recorded, e.g. for a periodic task, simply matches nothing).
    """
    return (sa.select(_actions.c.id)
            .where(_actions.c.instance_uuid == sa.bindparam("a_uuid"),
                   _actions.c.request_id == sa.bindparam("a_request"))
            .order_by(_actions.c.id.desc()).limit(1).scalar_subquery())


@functools.lru_cache(maxsize=4)
def _insert_events(count: int):
    """INSERT ... SELECT of ``count`` events under the action (one statement)."""
    selects = [
        sa.select(_actions.c.id, *(sa.bindparam(f"e{i}_{c}", type_=_events.c[c].type).label(c)
                                   for c in _EVENT_COLUMNS))
        .where(_actions.c.id == _action_id())
        for i in range(count)]
    source = selects[0] if count == 1 else sa.union_all(*selects)
    return sa.insert(_events).from_select(("action_id", *_EVENT_COLUMNS), source)


@functools.lru_cache(maxsize=16)
def _close_event(columns: tuple[str, ...]):
    return (sa.update(_events)
            .where(_events.c.event == sa.bindparam("e_event"), _events.c.finish_time.is_(None),
                   _events.c.action_id == _action_id())
            .values({c: sa.bindparam(f"v_{c}", type_=_events.c[c].type) for c in columns}))


@functools.lru_cache(maxsize=16)
def _touch(columns: tuple[str, ...]):
    return (sa.update(_actions)
            .where(_actions.c.instance_uuid == sa.bindparam("a_uuid"),
                   _actions.c.request_id == sa.bindparam("a_request"))
            .values({c: sa.bindparam(f"v_{c}", type_=_actions.c[c].type) for c in columns}))


def _touch_action(conn, instance_uuid: str, request_id: str, now, **values) -> None:
    """Every event moves its action's ``updated_at`` (API 2.58's changes-since)."""
    values["updated_at"] = now
    params = {f"v_{k}": v for k, v in values.items()}
    conn.execute(_touch(tuple(sorted(values))),
                 dict(params, a_uuid=instance_uuid, a_request=request_id))


def events_record(ctxt, instance_uuid: str, events: list[dict], conn=None) -> None:
    """Insert whole events (each ``{"event", "start_time", ...}``) under the
    action of ``ctxt.request_id``, in one statement, and touch the action."""
    params = {"a_uuid": instance_uuid, "a_request": ctxt.request_id}
    for i, event in enumerate(events):
        params.update({f"e{i}_{c}": event.get(c) for c in _EVENT_COLUMNS})
    with joined(conn) as conn:
        conn.execute(_insert_events(len(events)), params)
        _touch_action(conn, instance_uuid, ctxt.request_id, utcnow())


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
    params = {f"v_{k}": v for k, v in values.items()}
    params.update(e_event=event, a_uuid=instance_uuid, a_request=ctxt.request_id)
    with joined(conn) as conn:
        closed = conn.execute(_close_event(tuple(sorted(values))), params).rowcount
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
