"""Quota classes (Nova's ``quota_classes``): named sets of limits.

Only the ``default`` class means anything, as with Nova's DbQuotaDriver:
its limits replace the ``[quota]`` defaults for every project (so an
operator changes a default without a restart); other classes are kept and
shown but apply to no project.
"""

import sqlalchemy as sa

from minova.db import models
from minova.db.engine import get_engine, joined
from minova.db.rows import utcnow

DEFAULT_CLASS = "default"

_classes = models.quota_classes


def overrides(class_name: str, conn=None) -> dict[str, int]:
    """The limits stored for the class: ``{resource: hard_limit}``."""
    with joined(conn) as c:
        return {resource: limit for resource, limit in c.execute(
            sa.select(_classes.c.resource, _classes.c.hard_limit)
            .where(_classes.c.class_name == class_name))}


def set_overrides(class_name: str, values: dict[str, int]) -> None:
    """Create or replace the class's limits named in ``values`` (one transaction)."""
    now = utcnow()
    with get_engine().begin() as conn:
        existing = set(overrides(class_name, conn))
        for resource, limit in values.items():
            if resource in existing:
                conn.execute(sa.update(_classes).where(
                    _classes.c.class_name == class_name, _classes.c.resource == resource)
                    .values(hard_limit=limit, updated_at=now))
            else:
                try:
                    with conn.begin_nested():
                        conn.execute(sa.insert(_classes).values(
                            class_name=class_name, resource=resource, hard_limit=limit,
                            created_at=now))
                except sa.exc.IntegrityError:  # a concurrent update inserted it first
                    conn.execute(sa.update(_classes).where(
                        _classes.c.class_name == class_name,
                        _classes.c.resource == resource)
                        .values(hard_limit=limit, updated_at=now))
