"""Quota limits and usage: limits from ``quotas`` over the ``[quota]``
defaults, usage counted from the resources themselves (Nova's counting
quotas: no usage or reservation table to drift out of step).

A check and the write it guards must be one transaction that first takes
the project's row in ``project_quota_locks`` (``lock_project``); every
check that adds to a project's instances, cores or ram, or to its server
groups, takes it, so of two concurrent creates the second counts what the
first wrote. SQLite serialises writers anyway (``BEGIN IMMEDIATE``).
"""

import sqlalchemy as sa
from oslo_config import cfg

from minova import exception
from minova.db import models, quota_classes
from minova.db.engine import get_engine, joined
from minova.db.rows import utcnow

CONF = cfg.CONF

_quotas = models.quotas
_locks = models.project_quota_locks
_inst = models.instances

# Every resource Nova's quota API knows, in its order. The last four are
# nova-network's, kept (unlimited, never counted) for the API before 2.36.
RESOURCES = ("instances", "cores", "ram", "metadata_items", "injected_files",
             "injected_file_content_bytes", "injected_file_path_bytes", "key_pairs",
             "server_groups", "server_group_members", "fixed_ips", "floating_ips",
             "security_groups", "security_group_rules")
_NETWORK_RESOURCES = ("fixed_ips", "floating_ips", "security_groups", "security_group_rules")
# Nova does not count these for a project's quota detail: they are per user
# (key pairs) and per group (members).
_PER_USER_OR_GROUP = ("key_pairs", "server_group_members")
COUNTED = ("instances", "cores", "ram", "server_groups")


def config_defaults() -> dict[str, int]:
    """The ``[quota]`` defaults of every resource (-1: unlimited)."""
    return {r: -1 if r in _NETWORK_RESOURCES else getattr(CONF.quota, r) for r in RESOURCES}


def class_limits(class_name: str, conn=None) -> dict[str, int]:
    """A quota class's limit of every resource: what it stores, else the
    ``[quota]`` default (Nova's get_class_quotas)."""
    limits = config_defaults()
    for resource, limit in quota_classes.overrides(class_name, conn).items():
        if resource in limits:
            limits[resource] = limit
    return limits


def defaults(conn=None) -> dict[str, int]:
    """Every project's default limits: the ``default`` quota class's."""
    return class_limits(quota_classes.DEFAULT_CLASS, conn)


def limits_and_user_overrides(project_id: str, user_id: str | None,
                              conn=None) -> tuple[dict[str, int], dict[str, int]]:
    """The project's limit of every resource (its overrides, else the default
    class's, else ``[quota]``) and the user's own overrides in the project,
    read in one statement (a create reads them under the project's lock)."""
    classes, quotas, users = (models.quota_classes, _quotas,
                              models.project_user_quotas)
    parts = [
        sa.select(sa.literal(0).label("scope"), classes.c.resource, classes.c.hard_limit)
        .where(classes.c.class_name == quota_classes.DEFAULT_CLASS),
        sa.select(sa.literal(1).label("scope"), quotas.c.resource, quotas.c.hard_limit)
        .where(quotas.c.project_id == project_id),
    ]
    if user_id is not None:
        parts.append(
            sa.select(sa.literal(2).label("scope"), users.c.resource, users.c.hard_limit)
            .where(users.c.project_id == project_id, users.c.user_id == user_id))
    limits = config_defaults()
    own: dict[str, int] = {}
    with joined(conn) as c:
        rows = sorted(c.execute(sa.union_all(*parts)), key=lambda row: row[0])
    for scope, resource, hard_limit in rows:
        if resource not in limits:
            continue
        if scope == 2:
            own[resource] = hard_limit
        else:
            limits[resource] = hard_limit
    return limits, own


def get_limits(project_id: str, conn=None) -> dict[str, int]:
    """The project's limit of every resource: its overrides, else the default."""
    return limits_and_user_overrides(project_id, None, conn)[0]


def set_limits(project_id: str, values: dict[str, int]) -> dict[str, int]:
    """Create or replace the project's limits named in ``values``; all its limits after.

    Under the project's lock, so two concurrent updates of one project
    cannot both insert the same row.
    """
    now = utcnow()
    with get_engine().begin() as conn:
        lock_project(conn, project_id)
        existing = {r.resource for r in conn.execute(
            sa.select(_quotas.c.resource).where(_quotas.c.project_id == project_id))}
        for resource, limit in values.items():
            if resource in existing:
                conn.execute(sa.update(_quotas).where(
                    _quotas.c.project_id == project_id, _quotas.c.resource == resource)
                    .values(hard_limit=limit, updated_at=now))
            else:
                conn.execute(sa.insert(_quotas).values(
                    project_id=project_id, resource=resource, hard_limit=limit,
                    created_at=now))
        return get_limits(project_id, conn)


def delete_limits(project_id: str) -> None:
    """Back to the defaults: remove every override of the project."""
    with get_engine().begin() as conn:
        conn.execute(sa.delete(_quotas).where(_quotas.c.project_id == project_id))


def lock_project(conn, project_id: str) -> None:
    """Hold the project's quota row until ``conn``'s transaction ends.

    Must be the transaction's first read of what it counts: MariaDB's
    repeatable read takes its snapshot at the first plain read, so counts
    read after the lock see what the previous holder committed. SQLite
    needs no row: the transaction already holds the database's only write
    lock (``BEGIN IMMEDIATE``).
    """
    if conn.dialect.name == "sqlite":
        return
    _ensure_lock_row(project_id)
    conn.execute(sa.select(_locks.c.project_id).where(_locks.c.project_id == project_id)
                 .with_for_update())


# Projects whose lock row is known to exist (rows are never deleted).
_LOCK_ROWS: set[str] = set()


def _ensure_lock_row(project_id: str) -> None:
    """Create the project's lock row in a transaction of its own, so that the
    caller never locks a missing row (a gap lock on MariaDB, which the insert
    would then wait on) and two first creates of a project cannot deadlock."""
    if project_id in _LOCK_ROWS:
        return
    try:
        with get_engine().begin() as other:
            if other.execute(sa.select(_locks.c.project_id)
                             .where(_locks.c.project_id == project_id)).first() is None:
                other.execute(sa.insert(_locks).values(project_id=project_id))
    except sa.exc.IntegrityError:
        pass  # another transaction created it first
    _LOCK_ROWS.add(project_id)


def count_instances(conn, project_id: str) -> dict[str, int]:
    """The project's ``instances``, ``cores`` and ``ram``: its non-deleted instances."""
    row = conn.execute(sa.select(
        sa.func.count(_inst.c.id), sa.func.coalesce(sa.func.sum(_inst.c.vcpus), 0),
        sa.func.coalesce(sa.func.sum(_inst.c.memory_mb), 0))
        .where(_inst.c.project_id == project_id, _inst.c.deleted == 0)).one()
    return {"instances": int(row[0]), "cores": int(row[1]), "ram": int(row[2])}


def count_server_groups(conn, project_id: str) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(models.instance_groups)
                        .where(models.instance_groups.c.project_id == project_id)).scalar()


def count_group_members(conn, group_id: int) -> int:
    """The group's members whose instances are live (deleting one removes its row)."""
    members = models.instance_group_members
    return conn.execute(
        sa.select(sa.func.count()).select_from(members)
        .join(_inst, _inst.c.uuid == members.c.instance_uuid)
        .where(members.c.group_id == group_id, _inst.c.deleted == 0)).scalar()


def count_key_pairs(conn, user_id: str) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(models.key_pairs)
                        .where(models.key_pairs.c.user_id == user_id)).scalar()


def usages(project_id: str) -> dict[str, int]:
    """``in_use`` of every resource for the project's quota detail and limits.

    Only what Nova counts for a project: instances, cores, ram and server
    groups; the rest are 0 (absolute limits, or per user / per group).
    """
    with get_engine().connect() as conn:
        counted = count_instances(conn, project_id)
        counted["server_groups"] = count_server_groups(conn, project_id)
    return {r: counted.get(r, 0) for r in RESOURCES}


def _unlimited(limit: int) -> bool:
    return limit < 0


def check_instances(conn, project_id: str, flavor: dict, min_count: int,
                    max_count: int, limits: dict | None = None) -> int:
    """How many of ``max_count`` instances of ``flavor`` fit the project's quotas.

    Nova's ``_check_num_instances_quota``: all if they fit, else as many
    as fit if that is at least ``min_count``, else TooManyInstances (403)
    naming every resource that is over. Call it under ``lock_project``;
    ``limits``: the project's, when the caller has read them already.
    """
    limits = limits or get_limits(project_id, conn)
    return fit_instances(count_instances(conn, project_id), limits, flavor, min_count,
                         max_count)


def fit_instances(used: dict, limits: dict, flavor: dict, min_count: int,
                  max_count: int) -> int:
    """``check_instances`` for given usage and limits (a project's or a user's)."""
    per_instance = {"instances": 1, "cores": flavor["vcpus"], "ram": flavor["memory_mb"]}
    allowed = max_count
    for resource, each in per_instance.items():
        if _unlimited(limits[resource]) or each <= 0:
            continue
        allowed = min(allowed, max(limits[resource] - used[resource], 0) // each)
    if allowed >= max_count:
        return max_count
    if allowed >= min_count and allowed > 0:
        return allowed
    # Nova's message: what was asked for (cores and ram for max_count) and
    # every resource that max_count would take over its limit.
    requested = max_count if min_count == max_count else f"{min_count}-{max_count}"
    req = {"instances": requested, "cores": max_count * flavor["vcpus"],
           "ram": max_count * flavor["memory_mb"]}
    overs = sorted(r for r, each in per_instance.items()
                   if not _unlimited(limits[r]) and used[r] + max_count * each > limits[r])
    raise _too_many(overs, req, used, limits)


def check_deltas(used: dict, limits: dict, deltas: dict) -> None:
    """Nova's ``check_deltas`` for cores and ram (a resize's growth): each
    positive delta must fit under its limit; TooManyInstances (403) naming
    every resource it would take over, with the deltas as what was requested."""
    overs = sorted(r for r, delta in deltas.items()
                   if delta > 0 and not _unlimited(limits[r]) and used[r] + delta > limits[r])
    if overs:
        raise _too_many(overs, deltas, used, limits)


def recheck_instances(conn, project_id: str, flavor: dict, num_instances: int) -> None:
    """Nova's recheck after scheduling: the project's usage, with these instances
    already counted, must still be within its limits; TooManyInstances if not."""
    limits = get_limits(project_id, conn)
    used = count_instances(conn, project_id)
    overs = sorted(r for r in ("instances", "cores", "ram")
                   if not _unlimited(limits[r]) and used[r] > limits[r])
    if overs:
        req = {"instances": num_instances, "cores": num_instances * flavor["vcpus"],
               "ram": num_instances * flavor["memory_mb"]}
        # As Nova's recheck (a delta of zero): "already used" is the limit.
        raise _too_many(overs, req, limits, limits)


def _too_many(overs: list[str], req: dict, used: dict, limits: dict):
    return exception.TooManyInstances(
        overs=", ".join(overs), req=", ".join(str(req[r]) for r in overs),
        used=", ".join(str(used[r]) for r in overs),
        allowed=", ".join(str(limits[r]) for r in overs))


def check_server_groups(conn, project_id: str) -> None:
    """One more server group for the project, under its lock; 403 if over."""
    limit = get_limits(project_id, conn)["server_groups"]
    if not _unlimited(limit) and count_server_groups(conn, project_id) + 1 > limit:
        raise exception.QuotaError("Quota exceeded, too many server groups.")


def check_group_members(conn, project_id: str, group_id: int, adding: int) -> None:
    """``adding`` more members of the group; 403 if over its project's limit."""
    limit = get_limits(project_id, conn)["server_group_members"]
    if not _unlimited(limit) and count_group_members(conn, group_id) + adding > limit:
        raise exception.QuotaError("Quota exceeded, too many servers in group")


def check_key_pairs(conn, project_id: str, user_id: str) -> None:
    """One more key pair for the user; KeypairLimitExceeded (403) if over."""
    limit = get_limits(project_id, conn)["key_pairs"]
    if not _unlimited(limit) and count_key_pairs(conn, user_id) + 1 > limit:
        raise exception.KeypairLimitExceeded()


def check_metadata_items(conn, project_id: str, count: int,
                         limits: dict | None = None) -> None:
    """A server of the project with ``count`` metadata items; 403 if over the quota."""
    limit = (limits or get_limits(project_id, conn))["metadata_items"]
    if not _unlimited(limit) and count > limit:
        raise exception.MetadataLimitExceeded(allowed=limit)
