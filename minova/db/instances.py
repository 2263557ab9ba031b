"""Instance records: create, read with scoping, compare-and-swap updates, delete.

Scoping: a non-admin context only ever sees its own project's instances;
that is enforced here, under every caller, so no RPC path can leak another
project's server.
"""

import functools
import uuid as uuidlib

import sqlalchemy as sa

from minova import exception
from minova.context import RequestContext, get_admin_context
from minova.db import actions as db_actions
from minova.db import instance_columns, models, request_specs, server_groups
from minova.db import tags as db_tags
from minova.db.engine import get_engine, joined
from minova.db.rows import parse_time, to_dict, utcnow
from minova.objects import list_regex

_inst = models.instances
_faults = models.instance_faults
_flavors = models.flavors

# The columns a server list may be sorted by (the api validates and maps
# Nova's names; "id" is the last tiebreaker).
_SORT_KEYS = {
    "access_ip_v4", "access_ip_v6", "availability_zone", "config_drive", "created_at",
    "description", "display_name", "host", "hostname", "image_ref", "kernel_id", "key_name",
    "launch_index", "launched_at", "node", "power_state", "progress", "project_id",
    "ramdisk_id", "root_device_name", "task_state", "terminated_at", "updated_at", "user_id",
    "uuid", "vm_state", "id", "locked", "locked_by",
}

# Filters matched exactly, as Nova's exact_match_filter_names; filters on
# other columns are regular expressions, except on these.
_EXACT_FILTERS = ("project_id", "user_id", "image_ref", "vm_state", "task_state", "uuid",
                  "host", "locked")
_NOT_REGEX = {*_EXACT_FILTERS, "flavor", "metadata", "deleted", "soft_deleted"}


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


def _as_inserted(row: dict) -> dict:
    """The row as a read would return it: every column, defaults applied.

    Saves reading back what was just written (the defaults are all
    Python-side, see models.py).
    """
    values = {}
    for column in _inst.columns:
        if column.name in row:
            value = row[column.name]
        elif column.default is not None:
            value = (column.default.arg(None) if column.default.is_callable
                     else column.default.arg)
        else:
            value = None
        values[column.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def create(ctxt: RequestContext, values_list: list[dict], action: str = "create",
           group_uuid: str | None = None, fit=None, spec_for=None) -> list[dict]:
    """Insert instances and their first instance action, in one transaction.

    ``group_uuid``: the server group (a ``group`` scheduler hint) they join
    in the same transaction; InstanceGroupNotFoundForBuild if ``ctxt``
    cannot see it. ``fit(conn, n)``: the quota check, first in the
    transaction; it answers how many of the ``n`` rows to insert (or raises).
    ``spec_for(uuids)``: the request spec of the instances inserted, kept
    with them (``minova.db.request_specs``) under their reservation id.
    """
    now = utcnow()
    created = []
    with get_engine().begin() as conn:
        if fit is not None:
            values_list = values_list[:fit(conn, len(values_list))]
        for values in values_list:
            row = dict(values)
            row.setdefault("uuid", str(uuidlib.uuid4()))
            row.setdefault("created_at", now)
            row.setdefault("updated_at", now)
            # Tags given at create (API 2.52) are rows of their own.
            tags = sorted(set(row.pop("tags", None) or []))
            result = conn.execute(sa.insert(_inst).values(**row))
            row["id"] = result.inserted_primary_key[0]
            db_tags.add(conn, row["uuid"], tags)
            conn.execute(sa.insert(models.instance_actions).values(
                action=action, instance_uuid=row["uuid"], request_id=ctxt.request_id,
                user_id=ctxt.user_id, project_id=ctxt.project_id, start_time=now,
                updated_at=now))
            created.append(dict(_as_inserted(row), fault=None, tags=tags))
        if group_uuid:
            server_groups.add_members_for_build(conn, ctxt, group_uuid,
                                                [i["uuid"] for i in created])
        if spec_for is not None and created and created[0].get("reservation_id"):
            request_specs.record(conn, created[0]["reservation_id"],
                                 spec_for([i["uuid"] for i in created]), now)
    return created


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
            sort_dirs: list | None = None, columns: list[str] | None = None) -> list[dict]:
    """List instances, newest first by default, with Nova's marker pagination.

    ``filters`` (Nova's instance_get_all_by_filters_sort):

    * exact (a list means any of): ``project_id`` (ignored for non-admins,
      who always get their own), ``user_id``, ``image_ref``, ``vm_state``,
      ``task_state``, ``uuid``, ``host``; ``flavorid`` (the flavor the
      server was built with; nothing matches when no such flavor exists);
    * a regular expression, searched in the value as text, in bounded time
      (see ``_regex_matches``), for any other column: ``display_name``, ``reservation_id``,
      ``availability_zone``, ``key_name``, ``node``, ``launched_at``, ...;
    * ``changes-since`` / ``changes-before``: updated at or after / at or
      before (naive UTC ISO 8601); with either, deleted instances are listed
      too, as the API promises clients who poll for changes;
    * ``deleted``: True for only deleted instances, False for none;
      ``soft_deleted``: with ``deleted`` True, False leaves the
      soft-deleted out; with ``deleted`` False, True lists them too (Nova);
    * the tag filters ``tags``, ``tags-any``, ``not-tags``, ``not-tags-any``
      (lists; see ``minova.db.tags.filter_clauses``).

    Sorting appends ``created_at`` and ``id`` (in the first key's direction)
    so that every instance has one place in the order and paging by
    ``marker`` neither repeats nor skips one.

    ``columns``: only these columns of each instance (plus ``uuid``), and
    ``fault``/``tags`` only when named (see instance_columns.LIST_EXTRAS);
    None for all.
    """
    filters = dict(filters or {})
    if limit == 0:
        return []
    keys, dirs = _sort_params(sort_keys, sort_dirs)
    selected, with_faults, with_tags = instance_columns.selected(columns)
    clauses = [*_filter_clauses(ctxt, filters),
               *db_tags.filter_clauses(_inst.c.uuid, filters)]

    with get_engine().connect() as conn:
        if filters.get("flavorid") is not None and conn.execute(
                sa.select(_flavors.c.id).where(
                    _flavors.c.flavorid == str(filters["flavorid"]))).first() is None:
            return []  # Nova: FlavorNotFound, an empty list
        if marker:
            # The marker may have been deleted since the previous page.
            marker_row = conn.execute(
                _scoped(sa.select(_inst).where(_inst.c.uuid == marker), ctxt)).first()
            if marker_row is None:
                raise exception.MarkerNotFound(marker=marker)
            clauses.append(_after_marker(marker_row, keys, dirs))
        order = _order_by(keys, dirs)
        regexes = _regex_filters(filters)
        if regexes:
            # Matched here, in bounded time, rather than by the database.
            clauses = [_inst.c.uuid.in_(_regex_matches(conn, clauses, order, regexes, limit))]
            limit = None
        json_text: tuple[str, ...] = ()
        if columns is not None:
            selected, json_text = instance_columns.for_list(selected, conn.dialect.name)
        query = sa.select(*selected).where(*clauses).order_by(*order)
        if limit is not None:
            query = query.limit(limit)
        rows = instance_columns.to_dicts(conn.execute(query), json_text)
        if "flavor.flavorid" in (columns or ()) and "flavor" not in columns:
            instance_columns.flavor_ids_only(rows)
        if with_faults:
            _attach_faults(conn, rows)
        return db_tags.attach(conn, rows) if with_tags else rows


def _regex_matches(conn, clauses: list, order: list, regexes: dict,
                   limit: int | None) -> list[str]:
    """The uuids, in list order, of the first ``limit`` instances that pass
    ``clauses`` (the tenant and every exact filter, applied by the database)
    and whose columns match ``regexes``.

    Nova leaves the regex to the database; minova matches it here with
    ``minova.objects.list_regex`` (linear time whatever the pattern, see
    there why): only the uuid and the filtered columns are read, and the
    full rows of the matches are read afterwards.
    """
    matcher = list_regex.Matcher(regexes, conn.dialect.name)
    wanted = [_inst.c.uuid, *(_inst.c[name] for name in matcher.columns)]
    found: list[str] = []
    result = conn.execute(sa.select(*wanted).where(*clauses).order_by(*order)).mappings()
    try:
        for row in result:
            if matcher.matches(row):
                found.append(row["uuid"])
                if limit is not None and len(found) >= limit:
                    break
    finally:
        result.close()
    return found


def _filter_clauses(ctxt: RequestContext, filters: dict) -> list:
    clauses = []
    if not ctxt.is_admin:
        filters["project_id"] = ctxt.project_id
    deleted = filters.get("deleted")
    if deleted is None and "changes-since" not in filters and "changes-before" not in filters:
        deleted = False
    if deleted is not None:
        # Nova's soft_deleted: listing the deleted includes the soft-deleted
        # unless it is False; listing the live ones excludes them unless True.
        soft = _inst.c.vm_state == "soft-delete"
        if deleted:
            clauses.append(sa.or_(_inst.c.deleted != 0, soft)
                           if filters.get("soft_deleted", True) else _inst.c.deleted != 0)
        else:
            clauses.append(_inst.c.deleted == 0)
            if not filters.get("soft_deleted", False):
                clauses.append(_inst.c.vm_state != "soft-delete")
    if filters.get("changes-since") is not None:
        clauses.append(_inst.c.updated_at >= parse_time(filters["changes-since"]))
    if filters.get("changes-before") is not None:
        clauses.append(_inst.c.updated_at <= parse_time(filters["changes-before"]))
    for name in _EXACT_FILTERS:
        if filters.get(name) is None:
            continue
        values = filters[name]
        values = list(values) if isinstance(values, (list, tuple, set)) else [values]
        present = [v for v in values if v is not None]
        matches = [_inst.c[name] == present[0] if len(present) == 1
                   else _inst.c[name].in_(present)]
        if None in values:
            matches.append(_inst.c[name].is_(None))
        clauses.append(sa.or_(*matches) if len(matches) > 1 else matches[0])
    if filters.get("flavorid") is not None:
        clauses.append(_inst.c.flavor["flavorid"].as_string() == str(filters["flavorid"]))
    return clauses


def _regex_filters(filters: dict) -> dict:
    """The filters on columns Nova matches as a regular expression."""
    return {name: value for name, value in filters.items()
            if name in _inst.c and name not in _NOT_REGEX and value is not None}


def _sort_params(sort_keys: list | None, sort_dirs: list | None) -> tuple[list, list]:
    """Nova's process_sort_params: the keys and directions, with created_at and id last."""
    keys = [k for k in (sort_keys or []) if k in _SORT_KEYS]
    dirs = list(sort_dirs or [])[:len(keys)]
    default_dir = (sort_dirs or ["desc"])[0]
    dirs += [default_dir] * (len(keys) - len(dirs))
    for key in ("created_at", "id"):
        if key not in keys:
            keys.append(key)
            dirs.append(default_dir)
    return keys, dirs


def _order_by(keys: list[str], dirs: list[str]) -> list:
    """ORDER BY with NULL as the smallest value on every backend (PostgreSQL
    puts it last when ascending, MySQL and SQLite first), so ``_after_marker``
    knows where NULLs are."""
    order = []
    for key, direction in zip(keys, dirs):
        column = _inst.c[key]
        if column.nullable:
            not_null = column.is_not(None)
            order.append(not_null.desc() if direction == "desc" else not_null.asc())
        order.append(column.desc() if direction == "desc" else column.asc())
    return order


def _after_marker(marker_row, keys: list[str], dirs: list[str]):
    """The rows strictly after ``marker_row`` in the ``_order_by`` order."""
    clauses = []
    for i, (key, direction) in enumerate(zip(keys, dirs)):
        equal_before = [_equal(k, getattr(marker_row, k)) for k in keys[:i]]
        value = getattr(marker_row, key)
        column = _inst.c[key]
        if value is None:
            # NULL is the smallest: after it come the non-NULLs when ascending.
            if direction == "desc":
                continue
            beyond = column.is_not(None)
        elif direction == "desc":
            beyond = sa.or_(column < value, column.is_(None)) if column.nullable else column < value
        else:
            beyond = column > value
        clauses.append(sa.and_(*equal_before, beyond))
    return sa.or_(*clauses) if clauses else sa.false()


def _equal(key: str, value):
    return _inst.c[key].is_(None) if value is None else _inst.c[key] == value


def get_all_by_host(host: str) -> list[dict]:
    with get_engine().connect() as conn:
        rows = conn.execute(sa.select(_inst).where(_inst.c.host == host, _inst.c.deleted == 0))
        return [dict(to_dict(r), fault=None) for r in rows]


def hosts_of(ctxt: RequestContext, uuids: list[str], conn) -> list[str]:
    """The hosts of the live instances named, as far as ``ctxt`` may see them
    (sorted, each once): what the ``same_host``/``different_host`` hints mean."""
    if not uuids:
        return []
    query = _scoped(sa.select(_inst.c.host).where(
        _inst.c.uuid.in_(uuids), _inst.c.deleted == 0, _inst.c.host.is_not(None)), ctxt)
    return sorted({host for (host,) in conn.execute(query)})


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


def _as_key(expected) -> tuple | None:
    if expected is None:
        return None
    return tuple(expected) if isinstance(expected, (list, tuple)) else (expected,)


@functools.lru_cache(maxsize=256)
def _update_statement(columns: tuple[str, ...], expected_task_state: tuple | None,
                      expected_vm_state: tuple | None, on_host: bool = False):
    """The compare-and-swap UPDATE of these columns, built once per shape.

    Its values are bound parameters, so every call of one shape runs the
    same statement object: SQLAlchemy compiles it once and its cache key is
    computed once, where building the statement anew costs about as much as
    the round trip to the database.
    """
    stmt = (sa.update(_inst)
            .where(_inst.c.uuid == sa.bindparam("u_uuid"), _inst.c.deleted == 0,
                   *_state_conditions(expected_task_state, expected_vm_state))
            .values({c: sa.bindparam(f"v_{c}", type_=_inst.c[c].type) for c in columns}))
    if on_host:
        stmt = stmt.where(_inst.c.host == sa.bindparam("u_host"))
    return stmt


def update(instance_uuid: str, updates: dict, expected_task_state=None,
           expected_vm_state=None, conn=None, reread: bool = True,
           expected_host: str | None = None) -> dict | None:
    """Compare-and-swap update: applies only if the states are still as expected.

    Raises UnexpectedTaskStateError (409) when they are not, so of two racing
    actions exactly one wins; InstanceNotFound when the instance is gone.
    ``reread=False`` skips reading the row back when the caller needs no copy.
    ``expected_host``: also require the instance on that host (a compute's
    report about a build that was since taken over and placed elsewhere
    must not apply; it fails as UnexpectedTaskStateError).
    """
    values = dict(updates)
    for key in ("launched_at", "terminated_at", "deleted_at"):
        if key in values:
            values[key] = parse_time(values[key])
    values["updated_at"] = utcnow()
    if any(isinstance(v, sa.ClauseElement) for v in values.values()):
        stmt = sa.update(_inst).where(
            _inst.c.uuid == instance_uuid, _inst.c.deleted == 0,
            *_state_conditions(expected_task_state, expected_vm_state)).values(**values)
        if expected_host is not None:
            stmt = stmt.where(_inst.c.host == expected_host)
        params = {}
    else:
        stmt = _update_statement(tuple(sorted(values)), _as_key(expected_task_state),
                                 _as_key(expected_vm_state), expected_host is not None)
        params = {f"v_{k}": v for k, v in values.items()}
        params["u_uuid"] = instance_uuid
        if expected_host is not None:
            params["u_host"] = expected_host

    def _run(c):
        if c.execute(stmt, params).rowcount == 1:
            if not reread:
                return None
            row = c.execute(sa.select(_inst).where(_inst.c.uuid == instance_uuid)).first()
            return _attach_faults(c, [to_dict(row)])[0]
        row = c.execute(sa.select(_inst.c.task_state, _inst.c.vm_state, _inst.c.host).where(
            _inst.c.uuid == instance_uuid, _inst.c.deleted == 0)).first()
        if row is None:
            raise exception.InstanceNotFound(instance_id=instance_uuid)
        expected = {"task_state": expected_task_state, "vm_state": expected_vm_state}
        actual = {"task_state": row.task_state, "vm_state": row.vm_state}
        if expected_host is not None:
            expected["host"], actual["host"] = expected_host, row.host
        raise exception.UnexpectedTaskStateError(
            instance_uuid=instance_uuid, expected=expected, actual=actual)

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


def error_timed_out_builds(created_before, message: str, host: str | None,
                           schedule_event: str, build_event: str) -> list[str]:
    """Set ERROR, with a fault, on every build still in BUILD that was created
    before ``created_before``; returns their uuids.

    Nova's _check_instance_build_time, for every host at once (the
    conductor's; see minova.conductor.build_timeout). Each instance goes by
    a compare-and-swap on vm_state building and the task_state it was read
    with, so a build_finished (or a delete) at the same moment either wins,
    and the instance is left alone, or loses and gets UnexpectedTaskStateError.
    Its create action gets an Error event and is finished: ``build_event``
    once the instance has a host (the build was cast to it), else
    ``schedule_event``.

    The claim on its host is NOT released: the guest may still be running
    there. The user's delete goes the normal way (terminate on that host,
    then instance_destroy) and releases it.
    """
    query = sa.select(_inst.c.uuid, _inst.c.task_state, _inst.c.host).where(
        _inst.c.vm_state == "building", _inst.c.deleted == 0,
        sa.or_(_inst.c.task_state.is_(None), _inst.c.task_state != "deleting"),
        _inst.c.created_at < created_before)
    with get_engine().connect() as conn:
        candidates = conn.execute(query).all()
    failed = []
    for row in candidates:
        with get_engine().begin() as conn:
            try:
                update(row.uuid, {"vm_state": "error", "task_state": None},
                       expected_task_state=[row.task_state], expected_vm_state=["building"],
                       conn=conn, reread=False)
            except (exception.UnexpectedTaskStateError, exception.InstanceNotFound):
                continue
            add_fault(row.uuid, 500, message, None, host, conn=conn)
            _fail_create_action(conn, row.uuid, build_event if row.host else schedule_event,
                                message, host)
        failed.append(row.uuid)
    return failed


def _fail_create_action(conn, instance_uuid: str, event: str, message: str,
                        host: str | None) -> None:
    request_id = conn.execute(
        sa.select(models.instance_actions.c.request_id)
        .where(models.instance_actions.c.instance_uuid == instance_uuid,
               models.instance_actions.c.action == "create")
        .order_by(models.instance_actions.c.id.desc())).scalar()
    if request_id is None:
        return
    ctxt = get_admin_context(request_id)
    db_actions.event_finish(ctxt, instance_uuid, event, "Error", host, details=message,
                            conn=conn)
    db_actions.action_finish(ctxt, instance_uuid, conn=conn)
