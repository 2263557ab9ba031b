"""Server side of the scheduler's RPC API.

The scheduler holds no durable state and never opens the database: it
refreshes its host view from the conductor on a timer, and each request
runs the filter and weigher pipeline over that view and answers with hosts.
The claim that makes a choice stick is the conductor's job.

A request reads the view as it is, so serving it costs no call back to the
conductor (which is waiting for the answer). It reads fresh host states
first only when the view may be wrong for it: the conductor asks so
(``refresh_host_states`` in the spec: every host it was given filled up
before it could claim one), or the view found no host and is older than
the request (a compute may have come up, or room been freed, since). Those
calls back are why the conductor builds on a pool of its own.
"""

import time

import oslo_messaging as messaging
from oslo_log import log as logging

import minova.conf
from minova import exception
from minova.context import RequestContext, get_admin_context
from minova.scheduler import filters as base_filters
from minova.scheduler import weights as base_weights
from minova.scheduler.host_manager import HostManager
from minova.scheduler.pipeline import FilterPipeline

CONF = minova.conf.CONF
LOG = logging.getLogger(__name__)


class SchedulerManager:
    """The ``scheduler`` topic's endpoint."""

    # 1.1: host_states_changed; 1.2: select_destinations of a rebuild's check
    target = messaging.Target(version="1.2")

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

    def periodic_tasks(self) -> list:
        return [(CONF.scheduler.host_state_refresh_interval, self.refresh_host_states)]

    def refresh_host_states(self) -> None:
        self.host_manager.refresh(get_admin_context())

    def host_states_changed(self, ctxt: RequestContext) -> None:
        """An admin changed services or aggregates: the next placement reads afresh."""
        self.host_manager.mark_stale()

    @messaging.expected_exceptions(exception.NoValidHost)
    def select_destinations(self, ctxt: RequestContext, request_spec: dict,
                            instance_uuids: list[str]) -> dict:
        """Hosts for every instance of the request, or NoValidHost for all of them.

        NoValidHost is an expected answer, not a scheduler fault: it goes
        back to the conductor as itself, without a traceback in this
        service's log. (Called directly rather than through the RPC
        dispatcher, it arrives wrapped in oslo.messaging's ExpectedException.)
        """
        arrived = time.monotonic()
        fresh = bool(request_spec.get("refresh_host_states"))
        try:
            try:
                with self.host_manager.host_states(ctxt, fresh=fresh) as hosts:
                    return self.pipeline.place(hosts, request_spec, instance_uuids)
            except exception.NoValidHost:
                if self.host_manager.refreshed_at >= arrived:
                    raise
                LOG.info("No host in a view older than the request; reading fresh host states")
            with self.host_manager.host_states(ctxt, fresh=True) as hosts:
                return self.pipeline.place(hosts, request_spec, instance_uuids)
        except exception.NoValidHost as exc:
            LOG.warning("No valid host for instances %s: %s",
                        ", ".join(str(u) for u in instance_uuids or []), exc.kwargs.get("reason"))
            raise
