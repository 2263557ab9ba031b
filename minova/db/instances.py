"""Instance records: create, read with scoping, compare-and-swap updates, delete.

Scoping: a non-admin context only ever sees its own project's instances;
that is enforced here, under every caller, so no RPC path can leak another
project's server.
"""

import re
import uuid as uuidlib

import sqlalchemy as sa

from minova import exception
from minova.context import RequestContext
from minova.db import models, server_groups
from minova.db import tags as db_tags
from minova.db.engine import get_engine, joined
from minova.db.rows import parse_time, to_dict, utcnow

_inst = models.instances
_faults = models.instance_faults

# The columns Nova lets a user sort servers by (the api validates the names).
_SORT_KEYS = {
    "access_ip_v4", "access_ip_v6", "availability_zone", "config_drive", "created_at",
    "display_name", "host", "image_ref", "key_name", "launched_at", "node", "power_state",
    "progress", "project_id", "task_state", "terminated_at", "updated_at", "user_id", "uuid",
    "vm_state", "id",
}


def _scoped(query, ctxt: RequestContext):
    if not ctxt.is_admin:
        query = query.where(_inst.c.project_id == ctxt.project_id)
    return query


def _attach_faults(conn, instances: list[dict]) -> list[dict]:
    """Add each instance's newest fault (only instances in ERROR can have one shown)."""
    wanted = [i["uuid"] for i in instances if i["vm_state"] in ("error", "deleted")]
    latest: dict[str, dict] = {}
    if wanted:
        rows = conn.execute(
            sa.select(_faults).where(_faults.c.instance_uuid.in_(wanted))
            .order_by(_faults.c.id)
        )
        for row in rows:
            latest[row.instance_uuid] = to_dict(row)
    for instance in instances:
        instance["fault"] = latest.get(instance["uuid"])
    return instances


def create(ctxt: RequestContext, values_list: list[dict], action: str = "create",
           group_uuid: str | None = None) -> list[dict]:
    """Insert instances and their first instance action, in one transaction.

    ``group_uuid``: the server group (a ``group`` scheduler hint) they join
    in the same transaction; InstanceGroupNotFoundForBuild if ``ctxt``
    cannot see it.
    """
    now = utcnow()
    created = []
    tags: dict[str, list[str]] = {}
    with get_engine().begin() as conn:
        for values in values_list:
            row = dict(values)
            row.setdefault("uuid", str(uuidlib.uuid4()))
            row.setdefault("created_at", now)
            row.setdefault("updated_at", now)
            # Tags given at create (API 2.52) are rows of their own.
            tags[row["uuid"]] = sorted(set(row.pop("tags", None) or []))
            result = conn.execute(sa.insert(_inst).values(**row))
            row["id"] = result.inserted_primary_key[0]
            db_tags.add(conn, row["uuid"], tags[row["uuid"]])
            conn.execute(sa.insert(models.instance_actions).values(
                action=action, instance_uuid=row["uuid"], request_id=ctxt.request_id,
                user_id=ctxt.user_id, project_id=ctxt.project_id, start_time=now,
                updated_at=now))
            created.append(row["uuid"])
        if group_uuid:
            server_groups.add_members_for_build(conn, ctxt, group_uuid, created)
        rows = conn.execute(sa.select(_inst).where(_inst.c.uuid.in_(created))).all()
    by_uuid = {row.uuid: to_dict(row) for row in rows}
    return [dict(by_uuid[u], fault=None, tags=tags[u]) for u in created]


def get(ctxt: RequestContext, instance_uuid: str, read_deleted: bool = False) -> dict:
    query = _scoped(sa.select(_inst).where(_inst.c.uuid == instance_uuid), ctxt)
    if not read_deleted:
        query = query.where(_inst.c.deleted == 0)
    with get_engine().connect() as conn:
        row = conn.execute(query).first()
        if row is None:
            raise exception.InstanceNotFound(instance_id=instance_uuid)
        return db_tags.attach(conn, _attach_faults(conn, [to_dict(row)]))[0]


def get_all(ctxt: RequestContext, filters: dict | None = None, limit: int | None = None,
            marker: str | None = None, sort_keys: list | None = None,
            sort_dirs: list | None = None) -> list[dict]:
    """List instances, newest first by default, with Nova's marker pagination.

    ``filters``: ``project_id`` (ignored for non-admins, who always get
    their own), ``name`` (regular expression, as Nova), ``vm_state`` (list),
    ``host``, and the tag filters ``tags``, ``tags-any``, ``not-tags``,
    ``not-tags-any`` (lists; see ``minova.db.tags.filter_clauses``).
    """
    filters = dict(filters or {})
    query = sa.select(_inst).where(_inst.c.deleted == 0)
    if not ctxt.is_admin:
        query = query.where(_inst.c.project_id == ctxt.project_id)
    elif filters.get("project_id"):
        query = query.where(_inst.c.project_id == filters["project_id"])
    if filters.get("vm_state"):
        query = query.where(_inst.c.vm_state.in_(list(filters["vm_state"])))
    if filters.get("host"):
        query = query.where(_inst.c.host == filters["host"])
    query = query.where(*db_tags.filter_clauses(_inst.c.uuid, filters))

    keys = [k for k in (sort_keys or ["created_at"]) if k in _SORT_KEYS] or ["created_at"]
    dirs = list(sort_dirs or [])
    dirs += [dirs[-1] if dirs else "desc"] * (len(keys) - len(dirs))
    if "id" not in keys:
        keys.append("id")
        dirs.append(dirs[0])
    order = [(_inst.c[k].desc() if d == "desc" else _inst.c[k].asc()) for k, d in zip(keys, dirs)]

    with get_engine().connect() as conn:
        if marker:
            marker_row = conn.execute(
                _scoped(sa.select(_inst).where(_inst.c.uuid == marker), ctxt)).first()
            if marker_row is None:
                raise exception.MarkerNotFound(marker=marker)
            query = query.where(_after_marker(marker_row, keys, dirs))
        name_re = None
        if filters.get("name"):
            try:
                name_re = re.compile(str(filters["name"]))
            except re.error as exc:
                raise exception.InvalidInput(reason=f"invalid name filter: {exc}") from exc
        query = query.order_by(*order)
        if limit is not None and name_re is None:
            query = query.limit(limit)
        rows = [to_dict(r) for r in conn.execute(query)]
        if name_re is not None:
            rows = [r for r in rows if name_re.search(r["display_name"] or "")]
            if limit is not None:
                rows = rows[:limit]
        return db_tags.attach(conn, _attach_faults(conn, rows))


def _after_marker(marker_row, keys: list[str], dirs: list[str]):
    """The rows strictly after ``marker_row`` in the (keys, dirs) order."""
    clauses = []
    for i, (key, direction) in enumerate(zip(keys, dirs)):
        equal_before = [_inst.c[k] == getattr(marker_row, k) for k in keys[:i]]
        value = getattr(marker_row, key)
        if value is None:
            continue
        beyond = _inst.c[key] < value if direction == "desc" else _inst.c[key] > value
        clauses.append(sa.and_(*equal_before, beyond))
    return sa.or_(*clauses) if clauses else sa.true()


def get_all_by_host(host: str) -> list[dict]:
    with get_engine().connect() as conn:
        rows = conn.execute(sa.select(_inst).where(_inst.c.host == host, _inst.c.deleted == 0))
        return [dict(to_dict(r), fault=None) for r in rows]


def _state_conditions(expected_task_state, expected_vm_state) -> list:
    conds = []
    for column, expected in ((_inst.c.task_state, expected_task_state),
                             (_inst.c.vm_state, expected_vm_state)):
        if expected is None:
            continue
        values = expected if isinstance(expected, (list, tuple)) else [expected]
        ors = [column.is_(None) if v is None else column == v for v in values]
        conds.append(sa.or_(*ors))
    return conds


def update(instance_uuid: str, updates: dict, expected_task_state=None,
           expected_vm_state=None, conn=None, reread: bool = True) -> dict | None:
    """Compare-and-swap update: applies only if the states are still as expected.

    Raises UnexpectedTaskStateError (409) when they are not, so of two racing
    actions exactly one wins; InstanceNotFound when the instance is gone.
    ``reread=False`` skips reading the row back when the caller needs no copy.
    """
    values = dict(updates)
    for key in ("launched_at", "terminated_at", "deleted_at"):
        if key in values:
            values[key] = parse_time(values[key])
    values["updated_at"] = utcnow()
    stmt = sa.update(_inst).where(_inst.c.uuid == instance_uuid, _inst.c.deleted == 0,
                                  *_state_conditions(expected_task_state, expected_vm_state))
    stmt = stmt.values(**values)

    def _run(c):
        if c.execute(stmt).rowcount == 1:
            if not reread:
                return None
            row = c.execute(sa.select(_inst).where(_inst.c.uuid == instance_uuid)).first()
            return _attach_faults(c, [to_dict(row)])[0]
        row = c.execute(sa.select(_inst.c.task_state, _inst.c.vm_state).where(
            _inst.c.uuid == instance_uuid, _inst.c.deleted == 0)).first()
        if row is None:
            raise exception.InstanceNotFound(instance_id=instance_uuid)
        raise exception.UnexpectedTaskStateError(
            instance_uuid=instance_uuid,
            expected={"task_state": expected_task_state, "vm_state": expected_vm_state},
            actual={"task_state": row.task_state, "vm_state": row.vm_state})

    with joined(conn) as c:
        return _run(c)


def add_fault(instance_uuid: str, code: int, message: str, details: str | None,
              host: str | None, conn=None) -> None:
    stmt = sa.insert(_faults).values(instance_uuid=instance_uuid, code=code,
                                     message=message[:255], details=details, host=host,
                                     created_at=utcnow())
    if conn is not None:
        conn.execute(stmt)
        return
    with get_engine().begin() as c:
        c.execute(stmt)


def set_error(instance_uuid: str, message: str, details: str | None, host: str | None,
              expected_task_state=None, code: int = 500) -> bool:
    """Put an instance in ERROR with a fault; False if it was deleted meanwhile."""
    with get_engine().begin() as conn:
        try:
            update(instance_uuid, {"vm_state": "error", "task_state": None},
                   expected_task_state=expected_task_state, conn=conn)
        except (exception.UnexpectedTaskStateError, exception.InstanceNotFound):
            return False
        add_fault(instance_uuid, code, message, details, host, conn=conn)
    return True


def soft_delete(instance_uuid: str, conn) -> bool:
    """Mark the instance deleted (``deleted`` = its id, as Nova); False if already gone.

    Its server group membership goes first (Nova's instance_destroy drops
    it too), before the instance row: the lock order a claim follows.
    """
    now = utcnow()
    server_groups.remove_instance(conn, instance_uuid)
    deleted = conn.execute(
        sa.update(_inst).where(_inst.c.uuid == instance_uuid, _inst.c.deleted == 0).values(
            deleted=_inst.c.id, vm_state="deleted", task_state=None, power_state=0,
            terminated_at=now, deleted_at=now, updated_at=now)
    ).rowcount == 1
    if deleted:
        # Its tags go with it, as Nova's instance_destroy drops them.
        db_tags.delete_all(conn, instance_uuid)
    return deleted
