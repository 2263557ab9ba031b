"""Server side of the scheduler's RPC API.

The scheduler holds no durable state and never opens the database: each
request refreshes its host view from the conductor, runs the filter and
weigher pipeline over it and answers with hosts. The claim that makes a
choice stick is the conductor's job.
"""

import oslo_messaging as messaging
from oslo_log import log as logging

import minova.conf
from minova import exception
from minova.context import RequestContext
from minova.scheduler import filters as base_filters
from minova.scheduler import weights as base_weights
from minova.scheduler.host_manager import HostManager
from minova.scheduler.pipeline import FilterPipeline

CONF = minova.conf.CONF
LOG = logging.getLogger(__name__)


class SchedulerManager:
    """The ``scheduler`` topic's endpoint."""

    target = messaging.Target(version="1.0")

    def __init__(self, host: str, conductor_api=None) -> None:
        self.host = host
        # Load the configured filters and weighers first: a misspelt name
        # stops the service at start rather than failing every request.
        self.pipeline = FilterPipeline(
            base_filters.load_filters(CONF.filter_scheduler.enabled_filters),
            base_weights.load_weighers(CONF.filter_scheduler.weight_classes),
        )
        if conductor_api is None:
            from minova.conductor import rpcapi as conductor_rpcapi

            conductor_api = conductor_rpcapi.ConductorAPI()
        self.host_manager = HostManager(conductor_api)

    @messaging.expected_exceptions(exception.NoValidHost)
    def select_destinations(self, ctxt: RequestContext, request_spec: dict,
                            instance_uuids: list[str]) -> dict:
        """Hosts for every instance of the request, or NoValidHost for all of them.

        NoValidHost is an expected answer, not a scheduler fault: it goes
        back to the conductor as itself, without a traceback in this
        service's log. (Called directly rather than through the RPC
        dispatcher, it arrives wrapped in oslo.messaging's ExpectedException.)
        """
        try:
            with self.host_manager.host_states(ctxt) as hosts:
                return self.pipeline.place(hosts, request_spec, instance_uuids)
        except exception.NoValidHost as exc:
            LOG.warning("No valid host for instances %s: %s",
                        ", ".join(str(u) for u in instance_uuids or []), exc.kwargs.get("reason"))
            raise
