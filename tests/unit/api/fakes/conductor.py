"""The conductor's RPC client with the bus cut out, under the real facades."""

from minova.conductor import rpcapi as conductor_rpcapi


class EndpointConductor(conductor_rpcapi.ConductorAPI):
    """``ConductorAPI`` whose calls go straight to ``manager`` (a conductor endpoint).

    The facades whose behaviour is the conductor's (aggregates, key pairs,
    server groups, quotas) run for real over it: the RPC client's own
    methods build each call, and ``manager``'s method of that name answers
    it over the ``sqlite_db`` fixture, so errors, scoping and stored values
    are the real ones. Only methods named with one of ``prefixes`` are
    served (any other raises AttributeError, as a conductor without that
    endpoint would fail); each call is recorded in ``calls``.
    """

    def __init__(self, manager=None, *prefixes: str) -> None:
        # No super().__init__(): there is no transport to make a client on.
        self.manager = manager
        self.prefixes = prefixes
        self.calls: list[tuple[str, dict]] = []
        self.client = _DirectClient(self)


class _DirectClient:
    """What ConductorAPI asks of its oslo.messaging client, answered in-process."""

    def __init__(self, conductor: EndpointConductor) -> None:
        self.conductor = conductor

    def prepare(self, **_options) -> "_DirectClient":
        return self

    def call(self, ctxt, method: str, **kwargs):
        conductor = self.conductor
        if conductor.manager is None or not method.startswith(conductor.prefixes):
            raise AttributeError(method)
        conductor.calls.append((method, kwargs))
        return getattr(conductor.manager, method)(ctxt, **kwargs)

    cast = call

    def can_send_version(self, version: str) -> bool:
        """Every version: the endpoints answering are this release's."""
        return True
