"""Client side of the scheduler's RPC API.

Only the conductor asks the scheduler anything: where to put instances.
Version history:

* 1.0 - initial: select_destinations.
"""

from oslo_config import cfg

from minova import rpc
from minova.context import RequestContext

CONF = cfg.CONF

TOPIC = "scheduler"
RPC_API_VERSION = "1.0"


class SchedulerAPI:
    """What the conductor asks of the scheduler."""

    VERSION_CAP = "1.0"

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, version="1.0", version_cap=self.VERSION_CAP)

    def select_destinations(self, ctxt: RequestContext, request_spec: dict,
                            instance_uuids: list[str]) -> dict:
        """A primary host plus alternates for each instance, all or nothing.

        A call, because the conductor cannot claim without the answer. Returns
        ``{"selections": [[selection, ...], ...], "decisions": [...]}`` as
        docs/architecture.md describes; raises ``NoValidHost`` as itself.
        """
        return self.client.prepare().call(ctxt, "select_destinations",
                                          request_spec=request_spec,
                                          instance_uuids=instance_uuids)
