"""Service records: registration, heartbeats, listing and operator updates.

Every minova process registers a (host, binary) record and heartbeats it
through the conductor; servicegroup's up/down rule reads ``last_seen_up``.
Compute nodes, zones and the scheduler's host states hang off these rows
but live in their own modules (compute_nodes, availability_zones,
host_states).
"""

import uuid as uuidlib

import sqlalchemy as sa

from minova import exception
from minova.db import models
from minova.db.engine import get_engine
from minova.db.rows import to_dict, utcnow

_svc = models.services


def service_register(host: str, binary: str, topic: str) -> dict:
    """Create the (host, binary) record, or return the existing one (restarts).

    Two processes of one service (conductor workers) may register at once:
    the one whose insert loses reads the winner's row in a new transaction,
    since MariaDB's REPEATABLE READ would keep showing it the snapshot in
    which the row did not exist.
    """
    now = utcnow()
    for _attempt in range(2):
        with get_engine().begin() as conn:
            row = conn.execute(sa.select(_svc).where(_svc.c.host == host,
                                                     _svc.c.binary == binary)).first()
            if row is not None:
                conn.execute(sa.update(_svc).where(_svc.c.id == row.id)
                             .values(last_seen_up=now, updated_at=now))
                seen = now.isoformat()
                return to_dict(row) | {"last_seen_up": seen, "updated_at": seen}
            try:
                with conn.begin_nested():
                    conn.execute(sa.insert(_svc).values(
                        uuid=str(uuidlib.uuid4()), host=host, binary=binary, topic=topic,
                        report_count=0, disabled=False, forced_down=False,
                        last_seen_up=now, created_at=now, updated_at=now))
            except sa.exc.IntegrityError:
                continue  # another process registered it first: read theirs afresh
            row = conn.execute(sa.select(_svc).where(_svc.c.host == host,
                                                     _svc.c.binary == binary)).first()
            return to_dict(row)
    raise exception.ServiceNotFound(service_id=f"{host}/{binary}")


def service_heartbeat(service_id: int, building: list[str] | None = None) -> None:
    """The service is alive; a compute also says which builds it holds
    (``building``: taken and not yet reported; None from a compute that does
    not say, which leaves the last list as it was)."""
    now = utcnow()
    values = {"last_seen_up": now, "updated_at": now,
              "report_count": _svc.c.report_count + 1}
    if building is not None:
        values["building"] = list(building)
    with get_engine().begin() as conn:
        updated = conn.execute(sa.update(_svc).where(_svc.c.id == service_id).values(
            **values)).rowcount
    if updated != 1:
        raise exception.ServiceNotFound(service_id=service_id)


def service_get_all(binary: str | None = None, host: str | None = None) -> list[dict]:
    query = sa.select(_svc).order_by(_svc.c.id)
    if binary:
        query = query.where(_svc.c.binary == binary)
    if host:
        query = query.where(_svc.c.host == host)
    with get_engine().connect() as conn:
        return [to_dict(r) for r in conn.execute(query)]


# What an operator may change on a service record (PUT /os-services).
_SERVICE_UPDATABLE = ("disabled", "disabled_reason", "forced_down")


def service_update(values: dict, *, service_uuid: str | None = None,
                   host: str | None = None, binary: str | None = None) -> dict:
    """Set ``disabled``/``disabled_reason``/``forced_down`` on one service.

    The service is named by its uuid, or by host and binary (the 2.1 API's
    way). Schedulers see the change on their next host-state refresh: the
    service state of every node is part of every answer.
    """
    changes = {k: v for k, v in values.items() if k in _SERVICE_UPDATABLE}
    if service_uuid is not None:
        where = _svc.c.uuid == service_uuid
    else:
        where = sa.and_(_svc.c.host == host, _svc.c.binary == binary)
    with get_engine().begin() as conn:
        if changes:
            conn.execute(sa.update(_svc).where(where).values(updated_at=utcnow(), **changes))
        row = conn.execute(sa.select(_svc).where(where)).first()
    if row is None:
        if service_uuid is not None:
            raise exception.ServiceNotFound(service_id=service_uuid)
        raise exception.HostBinaryNotFound(host=host, binary=binary)
    return to_dict(row)



_NEWEST_BUS_HEARTBEAT = (sa.select(sa.func.max(_svc.c.last_seen_up))
                         .where(_svc.c.binary != "minova-conductor"))


def newest_bus_heartbeat():
    """The newest heartbeat of the services that report over the message bus
    (all but the conductors, which write their own): what servicegroup's
    reference clock follows."""
    with get_engine().connect() as conn:
        return conn.execute(_NEWEST_BUS_HEARTBEAT).scalar()
