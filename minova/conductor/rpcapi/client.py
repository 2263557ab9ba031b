"""The conductor topic's versioned client, shared by its two APIs."""

import copy

from minova import rpc
from minova.context import RequestContext

TOPIC = "conductor"



class _Client:
    """One versioned client of the conductor topic."""

    # The newest version this release sends; an older conductor refuses
    # what it does not know, so the conductors are upgraded first.
    VERSION_CAP = "1.18"
    # Each call's bounds; None: oslo.messaging's defaults (rpc_response_timeout;
    # reconnect to the broker for as long as it takes). See bounded().
    timeout: float | None = None
    retry: int | None = None

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, version="1.0", version_cap=self.VERSION_CAP)

    def bounded(self, timeout: float, send_retries: int):
        """This client, with every call waiting at most ``timeout`` for its answer
        and every message given up after ``send_retries`` reconnections to the
        broker: the api's calls ([api] conductor_timeout), or one attempt of a
        call that ``minova.retry`` repeats."""
        bounded = copy.copy(self)
        bounded.timeout, bounded.retry = timeout, send_retries
        return bounded

    def _call(self, ctxt: RequestContext, method: str, version: str = "1.0",
              timeout: float | None = None, **kwargs):
        return self.client.prepare(version=version, timeout=timeout or self.timeout,
                                   retry=self.retry).call(ctxt, method, **kwargs)

    def _cast(self, ctxt: RequestContext, method: str, version: str = "1.0",
              **kwargs) -> None:
        self.client.prepare(version=version, retry=self.retry).cast(ctxt, method,
                                                                            **kwargs)

    def can_send_version(self, version: str) -> bool:
        return self.client.can_send_version(version)
