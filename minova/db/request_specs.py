"""The request specs of create requests, kept so another conductor can
schedule a build that the one holding it left behind (it died, or lost the
scheduler's answer). One row per create request, written in the
transaction that records its instances."""

import sqlalchemy as sa

from minova.db import models
from minova.db.engine import get_engine

_specs = models.request_specs

_INSERT = sa.insert(_specs)
_OF_RESERVATION = (sa.select(_specs.c.spec)
                   .where(_specs.c.reservation_id == sa.bindparam("reservation_id"))
                   .order_by(_specs.c.id.desc()))


def record(conn, reservation_id: str, spec: dict, now) -> None:
    """Keep ``spec`` (which lists its instances) for the request ``reservation_id``."""
    conn.execute(_INSERT, {"reservation_id": reservation_id, "spec": spec, "created_at": now})


def get_for_instance(instance_uuid: str, reservation_id: str | None) -> dict | None:
    """The spec of the create request that made the instance; None if not kept
    (an instance recorded before minova kept them, or by an older conductor)."""
    if not reservation_id:
        return None
    with get_engine().connect() as conn:
        for (spec,) in conn.execute(_OF_RESERVATION, {"reservation_id": reservation_id}):
            if instance_uuid in (spec.get("instance_uuids") or ()):
                return spec
    return None
