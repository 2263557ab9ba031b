"""Availability zones: the names a build may ask for.

A host's zone is its aggregate's when an aggregate places it in one, else
the one its compute reports; this module answers the set of zones, the
per-host rule itself is the aggregates module's (host_zones).
"""

import sqlalchemy as sa

from minova.db import aggregates as db_aggregates
from minova.db import models
from minova.db.engine import get_engine

_nodes = models.compute_nodes


def availability_zones() -> set[str]:
    """The zones a build may ask for: aggregates' zones of their hosts, and the
    zones computes report for hosts no aggregate places in a zone."""
    with get_engine().connect() as conn:
        zones = db_aggregates.host_zones(conn)
        reported = conn.execute(sa.select(_nodes.c.host, _nodes.c.availability_zone))
        return {zones.get(host, zone) for host, zone in reported}
