"""The conductor's host aggregate and flavor extra spec endpoints, and the
image pre-caching of an aggregate's hosts (API 2.81).

Admin-only at the REST layer (policy); here they are thin doors onto
``minova.db.aggregates`` and ``minova.db.flavors``, whose transactions
also bump the affected compute nodes' generations, so schedulers see an
aggregate change on their next refresh without a restart.
"""

import oslo_messaging as messaging
from oslo_log import log as logging

from minova import exception, servicegroup
from minova.conductor import images as conductor_images
from minova.db import aggregates as db_aggregates
from minova.db import flavors as db_flavors
from minova.db import images as db_images
from minova.db import services as db_services

LOG = logging.getLogger(__name__)

COMPUTE_BINARY = "minova-compute"
# What a compute needs of an image to download and verify it.
_CACHE_IMAGE_KEYS = ("id", "name", "status", "disk_format", "container_format", "size",
                     "checksum", "os_hash_algo", "os_hash_value", "min_disk", "min_ram",
                     "properties")


def notify_schedulers(scheduler_api, ctxt) -> None:
    """Announce a committed change the filters read; never fail the change for it.

    Should the fanout not go out (the broker blinked), schedulers still see
    the change at their next timed refresh (``[scheduler]
    host_state_refresh_interval``).
    """
    try:
        scheduler_api.host_states_changed(ctxt)
    except Exception:
        LOG.warning("Could not tell the schedulers of a change to services or aggregates; "
                    "they see it at their next refresh", exc_info=True)


class AggregateManager:
    """Endpoints on the ``conductor`` topic for aggregates and flavor extra specs."""

    # 1.6: aggregate_cache_images
    target = messaging.Target(version="1.6")

    def __init__(self, host: str | None = None, compute_api=None, scheduler_api=None) -> None:
        self.host = host
        self._compute_api = compute_api
        self._scheduler_api = scheduler_api

    @property
    def scheduler_api(self):
        if self._scheduler_api is None:
            from minova.scheduler import rpcapi as scheduler_rpcapi

            self._scheduler_api = scheduler_rpcapi.SchedulerAPI()
        return self._scheduler_api

    def _changed(self, ctxt, result):
        """What filters read changed: schedulers read afresh before their next placement."""
        notify_schedulers(self.scheduler_api, ctxt)
        return result

    @property
    def compute_api(self):
        if self._compute_api is None:
            from minova.compute import rpcapi as compute_rpcapi

            self._compute_api = compute_rpcapi.ComputeAPI()
        return self._compute_api

    def aggregate_cache_images(self, ctxt, aggregate_id: int, image_ids: list[str]) -> list[str]:
        """API 2.81: have every up compute host of the aggregate cache the images.

        The images are checked here (each must exist, be visible and active:
        ``ImageNotFoundForBuild`` / ``ImageNotActive``, a 400 at the api),
        then one cast goes to each host, which downloads them into its image
        cache in the background. Hosts whose compute service is down are
        skipped, as in Nova. Returns the hosts asked.
        """
        aggregate = db_aggregates.aggregate_get(aggregate_id)
        images = []
        for image_id in image_ids:
            try:
                image = db_images.image_get(image_id)
            except exception.ImageNotFound:
                raise exception.ImageNotFoundForBuild(image_id=image_id) from None
            if not conductor_images.visible(ctxt, image):
                raise exception.ImageNotFoundForBuild(image_id=image_id)
            if image.get("status") != "active":
                raise exception.ImageNotActive(image_id=image_id)
            images.append({key: image.get(key) for key in _CACHE_IMAGE_KEYS})
        up = {service["host"] for service in db_services.service_get_all(binary=COMPUTE_BINARY)
              if servicegroup.is_up(service["last_seen_up"], service.get("forced_down"))}
        asked = []
        for host in aggregate.get("hosts", []):
            if host not in up:
                LOG.info("Skipping the image cache request to compute %s: it is not up", host)
                continue
            self.compute_api.cache_images(ctxt, host, images)
            asked.append(host)
        LOG.info("Asked %d host(s) of aggregate %s to cache image(s) %s", len(asked),
                 aggregate_id, ", ".join(image_ids))
        return asked

    def aggregate_get_all(self, ctxt) -> list[dict]:
        return db_aggregates.aggregate_get_all()

    def aggregate_get(self, ctxt, aggregate_id: int) -> dict:
        return db_aggregates.aggregate_get(aggregate_id)

    def aggregate_create(self, ctxt, name: str, availability_zone: str | None = None) -> dict:
        agg = db_aggregates.aggregate_create(name, availability_zone)
        LOG.info("Aggregate %s (%s) created", agg["id"], name)
        return agg

    def aggregate_update(self, ctxt, aggregate_id: int, values: dict) -> dict:
        return self._changed(ctxt, db_aggregates.aggregate_update(aggregate_id, values))

    def aggregate_delete(self, ctxt, aggregate_id: int) -> None:
        db_aggregates.aggregate_delete(aggregate_id)
        LOG.info("Aggregate %s deleted", aggregate_id)

    def aggregate_add_host(self, ctxt, aggregate_id: int, host: str) -> dict:
        return self._changed(ctxt, db_aggregates.aggregate_add_host(aggregate_id, host))

    def aggregate_remove_host(self, ctxt, aggregate_id: int, host: str) -> dict:
        return self._changed(ctxt, db_aggregates.aggregate_remove_host(aggregate_id, host))

    def aggregate_set_metadata(self, ctxt, aggregate_id: int, metadata: dict) -> dict:
        return self._changed(ctxt, db_aggregates.aggregate_set_metadata(aggregate_id, metadata))

    def flavor_extra_specs_update(self, ctxt, flavorid: str, specs: dict) -> dict:
        return db_flavors.flavor_extra_specs_update(flavorid, specs)

    def flavor_extra_specs_delete(self, ctxt, flavorid: str, key: str) -> None:
        db_flavors.flavor_extra_specs_delete(flavorid, key)
