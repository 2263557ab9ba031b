"""Which projects may use a private flavor (Nova's flavor access).

A flavor with ``is_public`` false is seen and booted only by admins and by
the projects listed here. Every flavor read (``minova.db.flavors``) carries
its list as ``projects``, so whoever holds a flavor can tell whether a
context may use it (``minova.objects.flavor_access``).
"""

import sqlalchemy as sa

from minova import exception
from minova.db import models
from minova.db.engine import get_engine
from minova.db.rows import utcnow

_flavors = models.flavors
_access = models.flavor_projects


def projects_by_flavor(conn, flavor_ids: list[int] | None = None) -> dict[int, list[str]]:
    """Internal flavor id -> the projects with access, in the order they got it."""
    query = sa.select(_access.c.flavor_id, _access.c.project_id).order_by(_access.c.id)
    if flavor_ids is not None:
        query = query.where(_access.c.flavor_id.in_(flavor_ids))
    projects: dict[int, list[str]] = {}
    for flavor_id, project_id in conn.execute(query):
        projects.setdefault(flavor_id, []).append(project_id)
    return projects


def _flavor_row(conn, flavorid: str):
    # locked, so a removal and an addition of one flavor run one after the other
    row = conn.execute(sa.select(_flavors.c.id).where(
        _flavors.c.flavorid == str(flavorid)).with_for_update()).first()
    if row is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return row


def _projects(conn, flavor_pk: int) -> list[str]:
    return projects_by_flavor(conn, [flavor_pk]).get(flavor_pk, [])


def add(flavorid: str, project_id: str) -> list[str]:
    """Give ``project_id`` access; the flavor's projects after. FlavorAccessExists if it had."""
    try:
        with get_engine().begin() as conn:
            row = _flavor_row(conn, flavorid)
            if project_id in _projects(conn, row.id):
                raise exception.FlavorAccessExists(flavor_id=flavorid, project_id=project_id)
            conn.execute(sa.insert(_access).values(
                flavor_id=row.id, project_id=project_id, created_at=utcnow()))
            return _projects(conn, row.id)
    except sa.exc.IntegrityError:
        raise exception.FlavorAccessExists(flavor_id=flavorid, project_id=project_id) from None


def remove(flavorid: str, project_id: str) -> list[str]:
    """Take ``project_id``'s access away; the flavor's projects after."""
    with get_engine().begin() as conn:
        row = _flavor_row(conn, flavorid)
        deleted = conn.execute(sa.delete(_access).where(
            _access.c.flavor_id == row.id, _access.c.project_id == project_id)).rowcount
        if deleted != 1:
            raise exception.FlavorAccessNotFound(flavor_id=flavorid, project_id=project_id)
        return _projects(conn, row.id)


def remove_all(conn, flavor_pk: int) -> None:
    """The flavor is being deleted: its access rows go first (they reference it)."""
    conn.execute(sa.delete(_access).where(_access.c.flavor_id == flavor_pk))
