"""Client side of the scheduler's RPC API.

Only the conductor asks the scheduler anything: where to put instances.
Version history:

* 1.0 - initial: select_destinations.
* 1.1 - host_states_changed (fanout cast): an admin changed what filters
  read (a service disabled or enabled, an aggregate's hosts or metadata).
* 1.2 - select_destinations of a spec with ``rebuild``: check a rebuild's
  new image against the server's host (only the filters that run on a
  rebuild; nothing consumed).
"""

from oslo_config import cfg

from minova import rpc
from minova.context import RequestContext

CONF = cfg.CONF

TOPIC = "scheduler"


class SchedulerAPI:
    """What the conductor asks of the scheduler."""

    VERSION_CAP = "1.2"

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, version="1.0", version_cap=self.VERSION_CAP)

    def select_destinations(self, ctxt: RequestContext, request_spec: dict,
                            instance_uuids: list[str]) -> dict:
        """A primary host plus alternates for each instance, all or nothing.

        A call, because the conductor cannot claim without the answer. Returns
        ``{"selections": [[selection, ...], ...], "decisions": [...]}`` as
        docs/architecture.md describes; raises ``NoValidHost`` as itself.
        """
        # Bounded apart from rpc_response_timeout: a scheduler killed while it
        # held the request never answers, and the build waits for this long
        # before it is left to build recovery (SchedulerUnavailable).
        return self.client.prepare(timeout=CONF.conductor.select_destinations_timeout).call(
            ctxt, "select_destinations", request_spec=request_spec,
            instance_uuids=instance_uuids)

    def can_check_rebuild(self) -> bool:
        """Whether the schedulers may be asked a rebuild's check (1.2)."""
        return self.client.can_send_version("1.2")

    def check_rebuild(self, ctxt: RequestContext, request_spec: dict,
                      instance_uuid: str) -> dict:
        """select_destinations of a rebuild's spec (1.2): its answer, or
        NoValidHost naming the filter that refused the server's host."""
        spec = dict(request_spec, rebuild=True)
        return self.client.prepare(version="1.2",
                                   timeout=CONF.conductor.select_destinations_timeout).call(
            ctxt, "select_destinations", request_spec=spec, instance_uuids=[instance_uuid])

    def host_states_changed(self, ctxt: RequestContext) -> None:
        """Tell every scheduler to read fresh host states before its next placement.

        A fanout cast, sent by the conductor after an admin's change to what
        the filters read (services, aggregates), so that the change counts
        from the next request on rather than from the next timed refresh.
        Schedulers older than 1.1 are not told (they refresh per request).
        """
        if self.client.can_send_version("1.1"):
            self.client.prepare(fanout=True, version="1.1").cast(ctxt, "host_states_changed")
