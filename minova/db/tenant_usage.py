"""The instances a usage report (os-simple-tenant-usage) bills for a period.

Nova's ``instance_get_active_by_window_joined``: every instance, deleted
ones included, launched before the period ends and not terminated before
it starts, ordered by project and uuid so a page ends where the next one
starts (``marker`` is the last instance's uuid).
"""

import datetime

import sqlalchemy as sa

from minova import exception
from minova.db import models
from minova.db.engine import get_engine
from minova.db.rows import to_dict

_inst = models.instances

_COLUMNS = ("uuid", "display_name", "project_id", "flavor", "vcpus", "memory_mb", "root_gb",
            "ephemeral_gb", "launched_at", "terminated_at", "vm_state", "deleted")


def active_in_window(start: datetime.datetime, stop: datetime.datetime,
                     project_id: str | None = None, limit: int | None = None,
                     marker: str | None = None) -> list[dict]:
    """The instances billed between ``start`` and ``stop`` (naive UTC)."""
    query = (sa.select(*[_inst.c[c] for c in _COLUMNS])
             .where(sa.or_(_inst.c.terminated_at.is_(None), _inst.c.terminated_at > start),
                    _inst.c.launched_at < stop))
    if project_id is not None:
        query = query.where(_inst.c.project_id == project_id)
    with get_engine().connect() as conn:
        if marker is not None:
            row = conn.execute(query.where(_inst.c.uuid == marker)).first()
            if row is None:
                raise exception.MarkerNotFound(marker=marker)
            query = query.where(sa.or_(
                _inst.c.project_id > row.project_id,
                sa.and_(_inst.c.project_id == row.project_id, _inst.c.uuid > row.uuid)))
        query = query.order_by(_inst.c.project_id, _inst.c.uuid)
        if limit is not None:
            query = query.limit(limit)
        return [to_dict(r) for r in conn.execute(query)]
