"""The conductor's host aggregate and flavor extra spec endpoints.

Admin-only at the REST layer (policy); here they are thin doors onto
``minova.db.aggregates`` and ``minova.db.flavors``, whose transactions
also bump the affected compute nodes' generations, so schedulers see an
aggregate change on their next refresh without a restart.
"""

import oslo_messaging as messaging
from oslo_log import log as logging

from minova.db import aggregates as db_aggregates
from minova.db import flavors as db_flavors

LOG = logging.getLogger(__name__)


class AggregateManager:
    """Endpoints on the ``conductor`` topic for aggregates and flavor extra specs."""

    target = messaging.Target(version="1.1")

    def __init__(self, host: str | None = None) -> None:
        self.host = host

    def aggregate_get_all(self, ctxt) -> list[dict]:
        return db_aggregates.aggregate_get_all()

    def aggregate_get(self, ctxt, aggregate_id: int) -> dict:
        return db_aggregates.aggregate_get(aggregate_id)

    def aggregate_create(self, ctxt, name: str, availability_zone: str | None = None) -> dict:
        agg = db_aggregates.aggregate_create(name, availability_zone)
        LOG.info("Aggregate %s (%s) created", agg["id"], name)
        return agg

    def aggregate_update(self, ctxt, aggregate_id: int, values: dict) -> dict:
        return db_aggregates.aggregate_update(aggregate_id, values)

    def aggregate_delete(self, ctxt, aggregate_id: int) -> None:
        db_aggregates.aggregate_delete(aggregate_id)
        LOG.info("Aggregate %s deleted", aggregate_id)

    def aggregate_add_host(self, ctxt, aggregate_id: int, host: str) -> dict:
        return db_aggregates.aggregate_add_host(aggregate_id, host)

    def aggregate_remove_host(self, ctxt, aggregate_id: int, host: str) -> dict:
        return db_aggregates.aggregate_remove_host(aggregate_id, host)

    def aggregate_set_metadata(self, ctxt, aggregate_id: int, metadata: dict) -> dict:
        return db_aggregates.aggregate_set_metadata(aggregate_id, metadata)

    def flavor_extra_specs_update(self, ctxt, flavorid: str, specs: dict) -> dict:
        return db_flavors.flavor_extra_specs_update(flavorid, specs)

    def flavor_extra_specs_delete(self, ctxt, flavorid: str, key: str) -> None:
        db_flavors.flavor_extra_specs_delete(flavorid, key)
