"""The request context: who is asking, for which project, under which request id.

It is oslo.context's RequestContext, so oslo.log prints the request id on
every line logged while a request is handled, in whichever service handles
it; the RPC serializer carries it across the message bus.
"""

from oslo_context import context


class RequestContext(context.RequestContext):
    """A user's (or a service's) request, as every layer below the API sees it."""

    def __init__(self, *args, remote_address: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The client's address, for the logs of every service the request reaches.
        self.remote_address = remote_address

    def to_dict(self) -> dict:
        values = super().to_dict()
        values["is_admin"] = self.is_admin
        values["remote_address"] = self.remote_address
        return values

    @classmethod
    def from_dict(cls, values: dict, **kwargs) -> "RequestContext":
        kwargs.setdefault("is_admin", values.get("is_admin", False))
        kwargs.setdefault("remote_address", values.get("remote_address"))
        return super().from_dict(values, **kwargs)

    def elevated(self) -> "RequestContext":
        """A copy with admin rights, for a service acting on the user's behalf."""
        ctxt = self.from_dict(self.to_dict())
        ctxt.is_admin = True
        if "admin" not in ctxt.roles:
            ctxt.roles = list(ctxt.roles) + ["admin"]
        return ctxt


def get_admin_context(request_id: str | None = None) -> RequestContext:
    """A context for work a service does on its own (periodic tasks, start-up)."""
    kwargs = {"request_id": request_id} if request_id else {}
    return RequestContext(is_admin=True, roles=["admin"], overwrite=False, **kwargs)
