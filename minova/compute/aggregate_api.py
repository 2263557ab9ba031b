"""Host aggregates, for the REST layer's ``/os-aggregates``.

``AggregateAPI`` names the operations as an operator thinks of them; the
conductor does each one in a transaction that also bumps the generation
of the hosts concerned, so the schedulers see the change on their next
refresh. The rules (a host in two zones, deleting an aggregate with
hosts) are the conductor's; the errors come back as themselves.
"""

from minova.conductor import rpcapi as conductor_rpcapi
from minova.context import RequestContext


class AggregateAPI:
    """Host aggregates and the availability zones they define."""

    def __init__(self, conductor_api: conductor_rpcapi.ConductorAPI) -> None:
        self.conductor_api = conductor_api

    def get_aggregate_list(self, ctxt: RequestContext) -> list[dict]:
        """Every aggregate with its ``hosts``, ``metadata`` and ``availability_zone``."""
        return self.conductor_api.aggregate_get_all(ctxt)

    def get_aggregate(self, ctxt: RequestContext, aggregate_id: int) -> dict:
        """AggregateNotFound (404)."""
        return self.conductor_api.aggregate_get(ctxt, aggregate_id)

    def create_aggregate(self, ctxt: RequestContext, name: str,
                         availability_zone: str | None = None) -> dict:
        """AggregateNameExists (409) when the name is taken."""
        return self.conductor_api.aggregate_create(ctxt, name, availability_zone)

    def update_aggregate(self, ctxt: RequestContext, aggregate_id: int,
                         values: dict) -> dict:
        """Rename it and/or move it to another zone (``name``, ``availability_zone``)."""
        return self.conductor_api.aggregate_update(ctxt, aggregate_id, values)

    def delete_aggregate(self, ctxt: RequestContext, aggregate_id: int) -> None:
        """Refused (InvalidAggregateActionDelete) while the aggregate has hosts."""
        self.conductor_api.aggregate_delete(ctxt, aggregate_id)

    def add_host_to_aggregate(self, ctxt: RequestContext, aggregate_id: int,
                              host_name: str) -> dict:
        """The aggregate after; the host needs a compute node (ComputeHostNotFound)."""
        return self.conductor_api.aggregate_add_host(ctxt, aggregate_id, host_name)

    def remove_host_from_aggregate(self, ctxt: RequestContext, aggregate_id: int,
                                   host_name: str) -> dict:
        """The aggregate after (AggregateHostNotFound when it does not hold the host)."""
        return self.conductor_api.aggregate_remove_host(ctxt, aggregate_id, host_name)

    def update_aggregate_metadata(self, ctxt: RequestContext, aggregate_id: int,
                                  metadata: dict) -> dict:
        """Set keys (a None value deletes one); the aggregate after."""
        return self.conductor_api.aggregate_set_metadata(ctxt, aggregate_id, metadata)

    def cache_images(self, ctxt: RequestContext, aggregate_id: int,
                     image_ids: list[str]) -> list[str]:
        """Ask each up host of the aggregate to download the images into its cache
        (API 2.81); the hosts asked. The images are checked first (exist, visible,
        active), so a bad one fails the request before any host is asked."""
        return self.conductor_api.aggregate_cache_images(ctxt, aggregate_id, image_ids)
