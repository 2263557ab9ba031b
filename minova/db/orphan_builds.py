"""Reading and taking over builds that nobody drives any more.

A build is driven by the conductor that recorded it (scheduling, claiming,
casting) and then by the compute it was cast to. Either can die holding
it. These queries find builds that have sat in one step too long, and let
exactly one conductor take each over: the take is a compare-and-swap on the
instance's ``updated_at`` as read, so two conductors scanning at once do not
both re-drive it (see minova.conductor.build_recovery).
"""

import datetime

import sqlalchemy as sa

from minova.db import models
from minova.db.engine import get_engine
from minova.objects import states

_inst = models.instances
_svc = models.services

# When the build's current step began: the claim, the re-drive or the
# create (a new instance's updated_at is its created_at).
_TOUCHED = sa.func.coalesce(_inst.c.updated_at, _inst.c.created_at)

_COLUMNS = (_inst.c.uuid, _inst.c.reservation_id, _inst.c.project_id, _inst.c.user_id,
            _inst.c.host, _inst.c.node, _inst.c.task_state, _inst.c.updated_at,
            _inst.c.created_at, _inst.c.availability_zone)


def stale_builds(task_state: str, touched_before: datetime.datetime,
                 limit: int = 200, vm_state: str | None = states.BUILDING) -> list[dict]:
    """Instances in ``vm_state``/``task_state`` (any vm_state with None: a
    rebuild keeps the server's) whose step began before ``touched_before``
    (timestamps as datetimes: ``take`` compares ``updated_at`` exactly)."""
    query = (sa.select(*_COLUMNS, _inst.c.vm_state)
             .where(_inst.c.deleted == 0, _inst.c.task_state == task_state,
                    _TOUCHED < touched_before)
             .order_by(_inst.c.created_at).limit(limit))
    if vm_state is not None:
        query = query.where(_inst.c.vm_state == vm_state)
    with get_engine().connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]  # datetimes kept


def take(instance: dict, now: datetime.datetime, conn=None) -> bool:
    """Claim the re-drive of ``instance`` (as stale_builds read it) for this caller.

    True for exactly one of several callers holding the same read: the
    others find ``updated_at`` moved (or the build moved on) and get False.
    """
    seen = instance["updated_at"]
    query = sa.update(_inst).where(
        _inst.c.uuid == instance["uuid"], _inst.c.deleted == 0,
        _inst.c.task_state == instance["task_state"],
        _inst.c.updated_at.is_(None) if seen is None else _inst.c.updated_at == seen,
    ).values(updated_at=now)
    if conn is not None:
        return conn.execute(query).rowcount == 1
    with get_engine().begin() as own:
        return own.execute(query).rowcount == 1


def compute_services(hosts: set[str]) -> dict[str, dict]:
    """The compute services of ``hosts``, by host: last_seen_up, forced_down,
    and the builds each said it held (``building``; None if it never said)."""
    if not hosts:
        return {}
    query = (sa.select(_svc.c.host, _svc.c.last_seen_up, _svc.c.forced_down, _svc.c.building)
             .where(_svc.c.binary == "minova-compute", _svc.c.host.in_(sorted(hosts))))
    with get_engine().connect() as conn:
        return {row.host: dict(row._mapping) for row in conn.execute(query)}
