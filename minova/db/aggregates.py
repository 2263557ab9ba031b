"""Host aggregates: records, hosts, metadata, and the zones they give hosts.

Every change of an aggregate's hosts or metadata (and of the name of one
with hosts) bumps ``generation`` and ``updated_at`` of the compute nodes of
the hosts concerned in the same transaction: host states carry each host's
aggregates, and the scheduler's incremental refresh only re-reads nodes
whose generation moved (docs/architecture.md "host states").
"""

import uuid as uuidlib

import sqlalchemy as sa

from minova import exception
from minova.db import models
from minova.db.engine import get_engine
from minova.db.rows import to_dict, utcnow

AZ_KEY = "availability_zone"

_aggs = models.aggregates
_hosts = models.aggregate_hosts
_meta = models.aggregate_metadata
_nodes = models.compute_nodes

# One statement for every (host, aggregate, metadata item): host states and
# zone lookups attach them in Python rather than per host in SQL.
_MEMBERSHIP = (
    sa.select(_hosts.c.host, _aggs.c.id, _aggs.c.name, _meta.c.key, _meta.c.value)
    .join_from(_hosts, _aggs, _aggs.c.id == _hosts.c.aggregate_id)
    .outerjoin(_meta, _meta.c.aggregate_id == _aggs.c.id)
    .order_by(_hosts.c.host, _aggs.c.id))


def host_aggregates(conn) -> dict[str, list[dict]]:
    """``{host: [{"id", "name", "metadata"}, ...]}`` for every host in an aggregate."""
    by_host: dict[str, dict[int, dict]] = {}
    for host, agg_id, name, key, value in conn.execute(_MEMBERSHIP):
        entry = by_host.setdefault(host, {}).get(agg_id)
        if entry is None:
            entry = by_host[host][agg_id] = {"id": agg_id, "name": name, "metadata": {}}
        if key is not None:
            entry["metadata"][key] = value
    return {host: list(aggs.values()) for host, aggs in by_host.items()}


def zone_of(aggregates: list[dict]) -> str | None:
    """The zone a host's aggregates put it in (Nova joins several with ",")."""
    zones = sorted({a["metadata"][AZ_KEY] for a in aggregates if AZ_KEY in a["metadata"]})
    return ",".join(zones) if zones else None


def host_zones(conn=None) -> dict[str, str]:
    """``{host: zone}`` for the hosts an aggregate places in a zone."""
    if conn is None:
        with get_engine().connect() as new:
            return host_zones(new)
    zones = {}
    for host, aggs in host_aggregates(conn).items():
        zone = zone_of(aggs)
        if zone is not None:
            zones[host] = zone
    return zones


def _bump_hosts(conn, hosts) -> None:
    """Make schedulers re-read these hosts' nodes: their aggregates changed."""
    hosts = sorted(set(hosts))
    if hosts:
        conn.execute(sa.update(_nodes).where(_nodes.c.host.in_(hosts)).values(
            generation=_nodes.c.generation + 1, updated_at=utcnow()))


def _get(conn, aggregate_id: int) -> dict:
    row = conn.execute(sa.select(_aggs).where(_aggs.c.id == aggregate_id)).first()
    if row is None:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    agg = to_dict(row)
    agg["hosts"] = [r[0] for r in conn.execute(
        sa.select(_hosts.c.host).where(_hosts.c.aggregate_id == aggregate_id)
        .order_by(_hosts.c.id))]
    agg["metadata"] = {k: v for k, v in conn.execute(
        sa.select(_meta.c.key, _meta.c.value).where(_meta.c.aggregate_id == aggregate_id))}
    agg["availability_zone"] = agg["metadata"].get(AZ_KEY)
    return agg


def _lock(conn, aggregate_id: int) -> dict:
    """The aggregate, its row locked for the rest of the transaction (where supported)."""
    row = conn.execute(sa.select(_aggs.c.id).where(_aggs.c.id == aggregate_id)
                       .with_for_update()).first()
    if row is None:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    return _get(conn, aggregate_id)


def aggregate_get(aggregate_id: int) -> dict:
    with get_engine().connect() as conn:
        return _get(conn, aggregate_id)


def aggregate_get_all() -> list[dict]:
    with get_engine().connect() as conn:
        ids = [r[0] for r in conn.execute(sa.select(_aggs.c.id).order_by(_aggs.c.id))]
        return [_get(conn, i) for i in ids]


def _check_name_free(conn, name: str, aggregate_id: int | None = None) -> None:
    query = sa.select(_aggs.c.id).where(_aggs.c.name == name)
    if aggregate_id is not None:
        query = query.where(_aggs.c.id != aggregate_id)
    if conn.execute(query).first() is not None:
        raise exception.AggregateNameExists(aggregate_name=name)


def aggregate_create(name: str, availability_zone: str | None = None) -> dict:
    now = utcnow()
    with get_engine().begin() as conn:
        _check_name_free(conn, name)
        try:
            with conn.begin_nested():
                agg_id = conn.execute(sa.insert(_aggs).values(
                    uuid=str(uuidlib.uuid4()), name=name, created_at=now,
                    updated_at=None)).inserted_primary_key[0]
        except sa.exc.IntegrityError as exc:
            raise exception.AggregateNameExists(aggregate_name=name) from exc
        if availability_zone is not None:
            conn.execute(sa.insert(_meta).values(aggregate_id=agg_id, key=AZ_KEY,
                                                 value=availability_zone))
        return _get(conn, agg_id)


def _conflicting_zones(conn, hosts: list[str], aggregate_id: int, zone: str) -> list[str]:
    """Zones other aggregates give these hosts that differ from ``zone``."""
    if not hosts:
        return []
    rows = conn.execute(
        sa.select(_meta.c.value).distinct()
        .join_from(_meta, _hosts, _hosts.c.aggregate_id == _meta.c.aggregate_id)
        .where(_meta.c.key == AZ_KEY, _hosts.c.host.in_(hosts),
               _meta.c.aggregate_id != aggregate_id, _meta.c.value != zone))
    return sorted(r[0] for r in rows)


def _apply_metadata(conn, agg: dict, updates: dict, error_cls) -> None:
    """Set (value) or delete (None) keys; refuses a zone that splits a host."""
    if AZ_KEY in updates and updates[AZ_KEY] is not None:
        zone = updates[AZ_KEY]
        if not zone:
            raise error_cls(aggregate_id=agg["id"], reason=(
                f"Aggregate {agg['name']} does not support empty named availability zone"))
        conflicts = _conflicting_zones(conn, agg["hosts"], agg["id"], zone)
        if conflicts:
            raise error_cls(aggregate_id=agg["id"], reason=(
                f"One or more hosts already in availability zone(s) {conflicts}"))
    changed = False
    for key, value in updates.items():
        if value is None:
            changed |= bool(conn.execute(sa.delete(_meta).where(
                _meta.c.aggregate_id == agg["id"], _meta.c.key == key)).rowcount)
        elif key in agg["metadata"]:
            if agg["metadata"][key] != value:
                conn.execute(sa.update(_meta).where(
                    _meta.c.aggregate_id == agg["id"], _meta.c.key == key).values(value=value))
                changed = True
        else:
            conn.execute(sa.insert(_meta).values(aggregate_id=agg["id"], key=key, value=value))
            changed = True
    if changed:
        conn.execute(sa.update(_aggs).where(_aggs.c.id == agg["id"]).values(
            updated_at=utcnow()))
        _bump_hosts(conn, agg["hosts"])


def aggregate_update(aggregate_id: int, values: dict) -> dict:
    """Rename and/or move to another zone (``values``: ``name``, ``availability_zone``)."""
    with get_engine().begin() as conn:
        agg = _lock(conn, aggregate_id)
        if "availability_zone" in values:
            _apply_metadata(conn, agg, {AZ_KEY: values["availability_zone"]},
                            exception.InvalidAggregateActionUpdate)
        name = values.get("name")
        if name is not None and name != agg["name"]:
            _check_name_free(conn, name, aggregate_id)
            conn.execute(sa.update(_aggs).where(_aggs.c.id == aggregate_id).values(
                name=name, updated_at=utcnow()))
            _bump_hosts(conn, agg["hosts"])
        return _get(conn, aggregate_id)


def aggregate_set_metadata(aggregate_id: int, metadata: dict) -> dict:
    with get_engine().begin() as conn:
        agg = _lock(conn, aggregate_id)
        _apply_metadata(conn, agg, metadata, exception.InvalidAggregateActionUpdateMeta)
        return _get(conn, aggregate_id)


def aggregate_delete(aggregate_id: int) -> None:
    """Delete an empty aggregate (Nova refuses one with hosts)."""
    with get_engine().begin() as conn:
        agg = _lock(conn, aggregate_id)
        if agg["hosts"]:
            raise exception.InvalidAggregateActionDelete(
                aggregate_id=aggregate_id, reason="Host aggregate is not empty")
        conn.execute(sa.delete(_meta).where(_meta.c.aggregate_id == aggregate_id))
        conn.execute(sa.delete(_aggs).where(_aggs.c.id == aggregate_id))


def aggregate_add_host(aggregate_id: int, host: str) -> dict:
    """Add a known compute host; refuses one another aggregate puts in another zone."""
    with get_engine().begin() as conn:
        agg = _lock(conn, aggregate_id)
        known = conn.execute(sa.select(_nodes.c.id).where(_nodes.c.host == host)).first()
        if known is None:
            raise exception.ComputeHostNotFound(host=host)
        if host in agg["hosts"]:
            raise exception.AggregateHostExists(aggregate_id=aggregate_id, host=host)
        zone = agg["availability_zone"]
        if zone is not None:
            conflicts = _conflicting_zones(conn, [host], aggregate_id, zone)
            if conflicts:
                raise exception.InvalidAggregateActionAdd(aggregate_id=aggregate_id, reason=(
                    f"One or more hosts already in availability zone(s) {conflicts}"))
        try:
            with conn.begin_nested():
                conn.execute(sa.insert(_hosts).values(aggregate_id=aggregate_id, host=host))
        except sa.exc.IntegrityError as exc:
            raise exception.AggregateHostExists(aggregate_id=aggregate_id, host=host) from exc
        _bump_hosts(conn, [host])
        return _get(conn, aggregate_id)


def aggregate_remove_host(aggregate_id: int, host: str) -> dict:
    with get_engine().begin() as conn:
        _lock(conn, aggregate_id)
        removed = conn.execute(sa.delete(_hosts).where(
            _hosts.c.aggregate_id == aggregate_id, _hosts.c.host == host)).rowcount
        if not removed:
            raise exception.AggregateHostNotFound(aggregate_id=aggregate_id, host=host)
        _bump_hosts(conn, [host])
        return _get(conn, aggregate_id)
