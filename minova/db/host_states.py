"""The scheduler's host states, whole or as the changes since a summary.

Schedulers hold every compute node's state and refresh it on a timer
through the conductor's ``get_host_states``; this module answers that
call. It is a protocol of its own (the scheduler sends a summary of what it
holds, the answer carries only what changed), kept apart from the plain
service and node records it reads. See docs/architecture.md "host states".
"""

import datetime
import json

import sqlalchemy as sa

from minova.db import aggregates as db_aggregates
from minova.db import models
from minova.db.engine import get_engine
from minova.db.rows import parse_time, utcnow

_svc = models.services
_nodes = models.compute_nodes

# How far before the scheduler's newest updated_at the changed rows are
# looked for: a write stamps updated_at before it commits, so one that
# commits late (or comes from a conductor whose clock is a little behind)
# can carry a time older than rows the scheduler has already seen.
HOST_STATE_UPDATED_MARGIN_S = 1.0


# The statements are built once, with bound parameters: building SQLAlchemy
# expressions costs more than running these queries on a small cloud.
_CUTOFF = sa.bindparam("cutoff", type_=models.services.c.last_seen_up.type)
_SINCE = sa.bindparam("since_time", type_=models.compute_nodes.c.updated_at.type)
_SERVICE_UP = sa.and_(sa.not_(_svc.c.forced_down), _svc.c.last_seen_up.is_not(None),
                      _svc.c.last_seen_up >= _CUTOFF)
# What a compute reports about itself, as a host's capability set. The JSON
# column is read as its text: the set is parsed once per distinct text, not
# once per row.
_CAPABILITY_COLUMNS = (_nodes.c.hypervisor_type, _nodes.c.hypervisor_version,
                       _nodes.c.cpu_info, sa.cast(_nodes.c.supported_instances, sa.Text))
_HOST_STATES = (
    sa.select(
        _nodes.c.id.label("compute_node_id"), _nodes.c.uuid, _nodes.c.host,
        _nodes.c.hypervisor_hostname.label("nodename"),
        _nodes.c.vcpus, _nodes.c.vcpus_used, _nodes.c.memory_mb, _nodes.c.memory_mb_used,
        _nodes.c.local_gb, _nodes.c.local_gb_used, _nodes.c.cpu_allocation_ratio,
        _nodes.c.ram_allocation_ratio, _nodes.c.disk_allocation_ratio,
        _nodes.c.reserved_host_memory_mb, _nodes.c.reserved_host_disk_mb,
        _nodes.c.reserved_host_cpus, _nodes.c.running_vms, _nodes.c.availability_zone,
        _nodes.c.generation, _nodes.c.updated_at,
        _svc.c.disabled.label("service_disabled"),
        _svc.c.disabled_reason.label("service_disabled_reason"),
        sa.type_coerce(sa.case((_SERVICE_UP, True), else_=False), sa.Boolean)
        .label("service_up"),
        # Last, in this order: _host_state_rows() takes them apart.
        _nodes.c.failed_builds,
        *_CAPABILITY_COLUMNS)
    .join_from(_nodes, _svc, _svc.c.id == _nodes.c.service_id)
    .order_by(_nodes.c.id))
_HOST_STATES_OF = _HOST_STATES.where(_nodes.c.id.in_(sa.bindparam("ids", expanding=True)))
_SERVICE_EXCEPTIONS = (
    sa.select(_nodes.c.id, _svc.c.disabled, _svc.c.disabled_reason,
              sa.type_coerce(sa.case((_SERVICE_UP, True), else_=False), sa.Boolean))
    .join_from(_nodes, _svc, _svc.c.id == _nodes.c.service_id)
    .where(sa.or_(_svc.c.disabled, sa.not_(_SERVICE_UP)))
    .order_by(_nodes.c.id))
_NODE_TOTALS = sa.select(sa.func.count(_nodes.c.id),
                         sa.func.coalesce(sa.func.sum(_nodes.c.id), 0),
                         sa.func.coalesce(sa.func.sum(_nodes.c.generation), 0))
_NODES_WRITTEN_SINCE = sa.select(_nodes.c.id, _nodes.c.generation).where(
    _nodes.c.updated_at >= _SINCE)
_NODE_IDS = sa.select(_nodes.c.id)


def _json_or(text, kind: type):
    """A JSON column's text parsed, or an empty ``kind`` if it is not one."""
    try:
        value = json.loads(text) if text else None
    except ValueError:
        value = None
    return value if isinstance(value, kind) else kind()


def _host_state_rows(conn, cutoff, ids=None) -> tuple[list[dict], list[dict]]:
    """The rows as host_state dicts, and the capability sets they refer to.

    The aggregates come from one more query, attached here: a join per host
    would multiply the node rows. A host an aggregate places in a zone
    gets that zone instead of the one its compute reports. A host in no
    aggregate has no ``aggregates`` key (read as []): 10,000 empty lists
    cost a full refresh ~25% in JSON and garbage collection. Likewise
    ``failed_builds`` only where it is not 0, and what computes report about
    themselves (hypervisor type and version, cpu_info, supported_instances)
    once per distinct combination, as ``capability_sets`` that each host
    points into with ``capability_set`` (an index): hosts of one kind report
    the same, and 10,000 copies would cost a full refresh ~15%.
    """
    if ids is None:
        result = conn.execute(_HOST_STATES, {"cutoff": cutoff})
    else:
        result = conn.execute(_HOST_STATES_OF, {"cutoff": cutoff, "ids": ids})
    keys = list(result.keys())[:-len(_CAPABILITY_COLUMNS) - 1]
    failed_at = len(keys)
    sets: dict[tuple, int] = {}
    states = []
    for row in result:
        state = dict(zip(keys, row))  # stops before failed_builds
        if row[failed_at]:
            state["failed_builds"] = row[failed_at]
        capabilities = row[failed_at + 1:]
        index = sets.get(capabilities)
        if index is None:
            index = sets[capabilities] = len(sets)
        state["capability_set"] = index
        states.append(state)
    capability_sets = [
        {"hypervisor_type": hv_type, "hypervisor_version": hv_version,
         "cpu_info": _json_or(cpu_info, dict), "supported_instances": _json_or(supported, list)}
        for hv_type, hv_version, cpu_info, supported in sets]
    by_host = db_aggregates.host_aggregates(conn) if states else {}
    zone_of = db_aggregates.zone_of
    for state in states:
        updated = state["updated_at"]
        if updated is not None:
            state["updated_at"] = updated.isoformat()
        state["service_disabled"] = bool(state["service_disabled"])
        aggs = by_host.get(state["host"])
        if aggs:
            state["aggregates"] = aggs
            zone = zone_of(aggs)
            if zone is not None:
                state["availability_zone"] = zone
    return states, capability_sets


def _service_exceptions(conn, cutoff) -> dict:
    """The nodes whose service is down or disabled; every other one is up and enabled."""
    down, disabled = [], []
    for node_id, is_disabled, reason, up in conn.execute(_SERVICE_EXCEPTIONS,
                                                         {"cutoff": cutoff}):
        if not up:
            down.append(node_id)
        if is_disabled:
            disabled.append([node_id, reason])
    return {"down": down, "disabled": disabled}


def _ids_of(ranges) -> set[int]:
    ids: set[int] = set()
    for first, last in ranges:
        ids.update(range(int(first), int(last) + 1))
    return ids


def _read_snapshot():
    """A connection whose statements all see one snapshot of the database.

    SQLite: the engine's BEGIN IMMEDIATE; MySQL/MariaDB: InnoDB's default
    REPEATABLE READ; PostgreSQL defaults to READ COMMITTED, so ask for more.
    """
    conn = get_engine().connect()
    if conn.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def host_states(since: dict | None, service_down_time: float,
                now: datetime.datetime | None = None) -> dict:
    """Host states for the scheduler, whole or only what changed since ``since``.

    A service is up if its ``last_seen_up`` is at most ``service_down_time``
    seconds before ``now`` (servicegroup.is_up's rule, evaluated in the
    query) and it is not forced down. ``since`` is the scheduler's summary of
    what it holds: ``{"ids": [[first, last], ...], "generation_sum": G,
    "max_updated": ISO, "recent": [[id, generation], ...]}`` (``recent``: the
    nodes it holds that were updated shortly before ``max_updated``); None
    (or anything malformed) gets the full answer.
    See docs/architecture.md "host states" for the answer.
    """
    try:
        sched_ranges = since["ids"]
        sched_gen_sum = int(since["generation_sum"])
        max_updated = parse_time(since.get("max_updated"))
    except (TypeError, KeyError, ValueError, AttributeError):
        since = None
    cutoff = (now or utcnow()) - datetime.timedelta(seconds=service_down_time)
    with _read_snapshot() as conn:
        count, id_sum, gen_sum = conn.execute(_NODE_TOTALS).one()
        answer = {"full": since is None, "hosts": [], "removed": [],
                  "count": int(count), "generation_sum": int(gen_sum)}
        if since is None:
            answer["hosts"], answer["capability_sets"] = _host_state_rows(conn, cutoff)
            return answer
        answer["services"] = _service_exceptions(conn, cutoff)
        sched_count = sum(int(b) - int(a) + 1 for a, b in sched_ranges)
        sched_id_sum = sum((int(a) + int(b)) * (int(b) - int(a) + 1) // 2
                           for a, b in sched_ranges)
        same_members = sched_count == count and sched_id_sum == id_sum
        if same_members and sched_gen_sum == gen_sum:
            return answer  # nothing changed: generations only ever grow
        wanted: set[int] = set()
        if max_updated is not None:
            # Rows written since (about) the newest the scheduler has, less
            # those it says it holds at that generation already.
            since_time = max_updated - datetime.timedelta(seconds=HOST_STATE_UPDATED_MARGIN_S)
            held_recent = {int(i): int(g) for i, g in since.get("recent") or ()}
            for node_id, generation in conn.execute(_NODES_WRITTEN_SINCE,
                                                    {"since_time": since_time}):
                if held_recent.get(node_id) != generation:
                    wanted.add(node_id)
        if not same_members:
            current = {r[0] for r in conn.execute(_NODE_IDS)}
            held = _ids_of(sched_ranges)
            answer["removed"] = sorted(held - current)
            wanted.update(current - held)
        if wanted:
            answer["hosts"], answer["capability_sets"] = _host_state_rows(
                conn, cutoff, sorted(wanted))
        return answer
