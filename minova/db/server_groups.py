"""Server groups (Nova's instance groups): records, members, and their hosts.

Scoping as for instances: a non-admin context only sees its own project's
groups, so another project's group is "not found", under every caller.

Membership ends with the instance: soft-deleting an instance removes its
member rows (Nova's instance_destroy does the same), so a group's members
are its live instances and a deleted one no longer counts against a policy.

Locks, where a backend takes them (MariaDB, PostgreSQL; SQLite serialises
every writer anyway): a claim of a member (``minova.db.claims``) locks the
group row and no other row of the group; deleting a group locks it before
its member rows; a create that adds members holds it shared, so the group
cannot vanish under the create. Deleting an instance removes its member
rows before it marks the instance row, the order in which a claim that had
to look its group up reads them with shared locks.
"""

import uuid as uuidlib

import sqlalchemy as sa

from minova import exception
from minova.context import RequestContext
from minova.db import models
from minova.db import quotas as db_quotas
from minova.db.engine import get_engine
from minova.db.rows import to_dict, utcnow

_groups = models.instance_groups
_members = models.instance_group_members
_inst = models.instances

# The policies a claim enforces; the soft ones only weigh hosts.
HARD_POLICIES = ("affinity", "anti-affinity")


def _scoped(query, ctxt: RequestContext):
    if not ctxt.is_admin:
        query = query.where(_groups.c.project_id == ctxt.project_id)
    return query


def _live_members(group_ids):
    """(group_id, instance_uuid, host) of every member whose instance is not deleted."""
    return (sa.select(_members.c.group_id, _members.c.instance_uuid, _inst.c.host)
            .join_from(_members, _inst, _inst.c.uuid == _members.c.instance_uuid)
            .where(_members.c.group_id.in_(list(group_ids)), _inst.c.deleted == 0)
            .order_by(_members.c.id))


def _with_members(conn, rows) -> list[dict]:
    groups = [to_dict(r) for r in rows]
    by_id = {g["id"]: g for g in groups}
    for group in groups:
        group["rules"] = dict(group.get("rules") or {})
        group["members"] = []
    if by_id:
        for group_id, instance_uuid, _host in conn.execute(_live_members(by_id)):
            by_id[group_id]["members"].append(instance_uuid)
    return groups


def _get(conn, ctxt: RequestContext, group_uuid: str) -> dict:
    row = conn.execute(_scoped(sa.select(_groups).where(_groups.c.uuid == group_uuid),
                               ctxt)).first()
    if row is None:
        raise exception.InstanceGroupNotFound(group_uuid=group_uuid)
    return _with_members(conn, [row])[0]


def create(ctxt: RequestContext, name: str, policy: str, rules: dict | None = None) -> dict:
    """A new group of ``ctxt``'s project and user (the API has checked policy and rules)."""
    values = {"uuid": str(uuidlib.uuid4()), "name": name, "project_id": ctxt.project_id,
              "user_id": ctxt.user_id, "policy": policy, "rules": dict(rules or {}),
              "created_at": utcnow(), "updated_at": None}
    with get_engine().begin() as conn:
        # Nova's server_groups quota (403), counted under the project's lock.
        db_quotas.lock_project(conn, ctxt.project_id)
        db_quotas.check_server_groups(conn, ctxt.project_id)
        conn.execute(sa.insert(_groups).values(**values))
        return _get(conn, ctxt, values["uuid"])


def get(ctxt: RequestContext, group_uuid: str) -> dict:
    """The group with its live ``members``; InstanceGroupNotFound if ``ctxt`` may not see it."""
    with get_engine().connect() as conn:
        return _get(conn, ctxt, group_uuid)


def get_all(ctxt: RequestContext, all_projects: bool = False, limit: int | None = None,
            offset: int = 0) -> list[dict]:
    """``ctxt``'s project's groups, oldest first; every project's for an admin who asks."""
    query = sa.select(_groups).order_by(_groups.c.id)
    if not (all_projects and ctxt.is_admin):
        query = query.where(_groups.c.project_id == ctxt.project_id)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with get_engine().connect() as conn:
        return _with_members(conn, conn.execute(query).all())


def delete(ctxt: RequestContext, group_uuid: str) -> None:
    """Delete the group and its member rows; the instances stay as they are."""
    with get_engine().begin() as conn:
        row = conn.execute(_scoped(
            sa.select(_groups.c.id).where(_groups.c.uuid == group_uuid), ctxt)
            .with_for_update()).first()
        if row is None:
            raise exception.InstanceGroupNotFound(group_uuid=group_uuid)
        conn.execute(sa.delete(_members).where(_members.c.group_id == row.id))
        conn.execute(sa.delete(_groups).where(_groups.c.id == row.id))


def add_members_for_build(conn, ctxt: RequestContext, group_uuid: str,
                          instance_uuids: list[str]) -> dict:
    """Make new instances members of the group a create's ``group`` hint names.

    Runs in the create's transaction, the group row held shared until it
    commits; a group ``ctxt`` cannot see is the build error Nova answers
    with (400), and the whole create rolls back.
    """
    row = conn.execute(_scoped(sa.select(_groups).where(_groups.c.uuid == group_uuid), ctxt)
                       .with_for_update(read=True)).first()
    if row is None:
        raise exception.InstanceGroupNotFoundForBuild(group_uuid=group_uuid)
    # Nova's server_group_members quota (403); the create holds its
    # project's quota lock, so concurrent creates count each other's members.
    db_quotas.check_group_members(conn, row.project_id, row.id, len(instance_uuids))
    now = utcnow()
    if instance_uuids:
        conn.execute(sa.insert(_members), [
            {"group_id": row.id, "instance_uuid": u, "created_at": now}
            for u in instance_uuids])
    return to_dict(row)


def remove_instance(conn, instance_uuid: str) -> None:
    """The instance is being deleted: it is no longer a member of any group."""
    conn.execute(sa.delete(_members).where(_members.c.instance_uuid == instance_uuid))


def for_scheduling(group_uuid: str, conn=None) -> dict | None:
    """The request spec's ``instance_group``: the group, its members and their hosts.

    ``hosts`` has one entry per member that has a host (duplicates kept:
    anti-affinity's max_server_per_host counts them). None if the group is
    gone (deleted since the create named it).
    """
    if conn is None:
        with get_engine().connect() as new:
            return for_scheduling(group_uuid, new)
    row = conn.execute(sa.select(_groups).where(_groups.c.uuid == group_uuid)).first()
    if row is None:
        return None
    members, hosts = [], []
    for _group_id, instance_uuid, host in conn.execute(_live_members([row.id])):
        members.append(instance_uuid)
        if host:
            hosts.append(host)
    return {"uuid": row.uuid, "name": row.name, "policy": row.policy,
            "rules": dict(row.rules or {}), "members": members, "hosts": hosts}


def group_uuid_of(conn, instance_uuid: str) -> str | None:
    """The uuid of the group the instance is a member of, None if none."""
    return conn.execute(
        sa.select(_groups.c.uuid)
        .join_from(_members, _groups, _groups.c.id == _members.c.group_id)
        .where(_members.c.instance_uuid == instance_uuid)
        .order_by(_groups.c.id)).scalar()


def lock_for_claim(conn, group_uuid: str, instance_uuid: str) -> dict | None:
    """Lock the group row for the rest of the transaction; the group (``id``,
    ``uuid``, ``policy``, ``rules``) if the instance is one of its members.

    None if the group is gone or the instance is not a member.
    """
    row = conn.execute(
        sa.select(_groups.c.id, _groups.c.uuid, _groups.c.policy, _groups.c.rules)
        .where(_groups.c.uuid == group_uuid).with_for_update()).first()
    if row is None:
        return None
    member = conn.execute(sa.select(_members.c.id).where(
        _members.c.group_id == row.id, _members.c.instance_uuid == instance_uuid)).first()
    return None if member is None else dict(row._mapping)


def other_members_hosts(conn, group_id: int, instance_uuid: str,
                        locking: bool = False) -> list[str]:
    """One host per other live member that has one.

    Fresh once the group row is locked, if nothing was read before the lock
    in this transaction: MariaDB's repeatable read takes its snapshot at a
    transaction's first plain read. When something was (``locking``), the
    rows are read with a shared lock, which reads what is committed now.
    """
    query = (sa.select(_inst.c.host)
             .join_from(_members, _inst, _inst.c.uuid == _members.c.instance_uuid)
             .where(_members.c.group_id == group_id,
                    _members.c.instance_uuid != instance_uuid, _inst.c.deleted == 0))
    if locking:
        query = query.with_for_update(read=True)
    return [host for (host,) in conn.execute(query) if host]


def uuids_for_instance(ctxt: RequestContext, instance_uuid: str) -> list[str]:
    """The groups the instance is a member of (API 2.71; at most one), as
    ``ctxt`` may see them."""
    query = (sa.select(_groups.c.uuid)
             .join_from(_members, _groups, _groups.c.id == _members.c.group_id)
             .where(_members.c.instance_uuid == instance_uuid)
             .order_by(_groups.c.id))
    with get_engine().connect() as conn:
        return [row.uuid for row in conn.execute(_scoped(query, ctxt))]
