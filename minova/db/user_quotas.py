"""Per-user quotas (Nova's ``project_user_quotas``): a user's limits within a
project, each at most what the project has left for its users.

A user without an override of a resource has the project's limit of it;
what a user uses is counted from the user's own resources (instances,
cores, ram, server groups, key pairs), as Nova counts for user quotas.
"""

import sqlalchemy as sa

from minova.db import models
from minova.db import quotas as db_quotas
from minova.db.engine import get_engine, joined
from minova.db.rows import utcnow

_user = models.project_user_quotas
_inst = models.instances


def overrides(project_id: str, user_id: str, conn=None) -> dict[str, int]:
    """The limits stored for the user in the project."""
    with joined(conn) as c:
        return {resource: limit for resource, limit in c.execute(
            sa.select(_user.c.resource, _user.c.hard_limit)
            .where(_user.c.project_id == project_id, _user.c.user_id == user_id))}


def get_limits(project_id: str, user_id: str, conn=None) -> dict[str, int]:
    """The user's limit of every resource: the user's override, else the project's."""
    limits, own = db_quotas.limits_and_user_overrides(project_id, user_id, conn)
    return dict(limits, **own)


def sums(project_id: str, conn=None) -> dict[str, int]:
    """The sum of every user's override of each resource in the project."""
    with joined(conn) as c:
        return {resource: int(total) for resource, total in c.execute(
            sa.select(_user.c.resource, sa.func.sum(_user.c.hard_limit))
            .where(_user.c.project_id == project_id).group_by(_user.c.resource))}


def set_limits(project_id: str, user_id: str, values: dict[str, int]) -> dict[str, int]:
    """Create or replace the user's limits named in ``values``, under the
    project's lock; the user's limits after."""
    now = utcnow()
    with get_engine().begin() as conn:
        db_quotas.lock_project(conn, project_id)
        existing = set(overrides(project_id, user_id, conn))
        for resource, limit in values.items():
            where = (_user.c.project_id == project_id, _user.c.user_id == user_id,
                     _user.c.resource == resource)
            if resource in existing:
                conn.execute(sa.update(_user).where(*where)
                             .values(hard_limit=limit, updated_at=now))
            else:
                conn.execute(sa.insert(_user).values(
                    project_id=project_id, user_id=user_id, resource=resource,
                    hard_limit=limit, created_at=now))
        return get_limits(project_id, user_id, conn)


def delete_limits(project_id: str, user_id: str | None = None) -> None:
    """Remove the user's overrides (every user's of the project when None)."""
    query = sa.delete(_user).where(_user.c.project_id == project_id)
    if user_id is not None:
        query = query.where(_user.c.user_id == user_id)
    with get_engine().begin() as conn:
        conn.execute(query)


def count_instances(conn, project_id: str, user_id: str) -> dict[str, int]:
    """The user's ``instances``, ``cores`` and ``ram`` in the project."""
    row = conn.execute(sa.select(
        sa.func.count(_inst.c.id), sa.func.coalesce(sa.func.sum(_inst.c.vcpus), 0),
        sa.func.coalesce(sa.func.sum(_inst.c.memory_mb), 0))
        .where(_inst.c.project_id == project_id, _inst.c.user_id == user_id,
               _inst.c.deleted == 0)).one()
    return {"instances": int(row[0]), "cores": int(row[1]), "ram": int(row[2])}


def usages(project_id: str, user_id: str) -> dict[str, int]:
    """``in_use`` of every resource for the user's quota detail: the user's
    instances, cores, ram, server groups and key pairs."""
    groups = models.instance_groups
    with get_engine().connect() as conn:
        counted = count_instances(conn, project_id, user_id)
        counted["server_groups"] = conn.execute(
            sa.select(sa.func.count()).select_from(groups)
            .where(groups.c.project_id == project_id, groups.c.user_id == user_id)).scalar()
        counted["key_pairs"] = db_quotas.count_key_pairs(conn, user_id)
    return {r: counted.get(r, 0) for r in db_quotas.RESOURCES}


def check_instances(conn, project_id: str, user_id: str, flavor: dict, min_count: int,
                    max_count: int, limits: dict[str, int]) -> int:
    """How many of ``max_count`` instances fit the user's ``limits`` (Nova checks
    the user's quota beside the project's), counting the user's instances."""
    return db_quotas.fit_instances(count_instances(conn, project_id, user_id), limits,
                                   flavor, min_count, max_count)
