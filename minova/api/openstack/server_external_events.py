"""``POST /os-server-external-events``: events other services send about servers.

Nova's semantics: each event is answered on its own (``code`` and
``status``): 404 for an unknown server, 422 for one not on a host yet, 400
for an event that needs a ``tag`` and has none, else 200 ("completed");
the request is 200 when every event was accepted, else 207. minova has no
network, volume or accelerator service to hear from and nothing on its
computes waits for such an event, so an accepted event is logged and
needs no further delivery.
"""

from oslo_log import log as logging

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.schemas import server_external_events as schema
from minova.compute.api import API as ComputeAPI
from minova.policies import server_external_events as see_policies

LOG = logging.getLogger(__name__)


def _stack(func):
    for lo, hi, _v in schema.RANGES:
        func = validation.schema(schema.create[lo], lo, hi)(func)
        func = validation.response_body_schema(schema.create_response[lo], lo, hi)(func)
    return func


class ServerExternalEventsController:
    """Controller of ``/os-server-external-events``."""

    def __init__(self, compute_api: ComputeAPI) -> None:
        self.compute_api = compute_api

    @_stack
    def create(self, req: wsgi.Request, body: dict) -> wsgi.ResponseObject:
        """Accept the events of servers on a host; 207 when any was not."""
        context = req.context
        policy.authorize(context, see_policies.POLICY_ROOT % "create", {})
        result = 200
        answered = []
        hosts: dict[str, str | None] = {}
        unknown: set[str] = set()
        for given in body["events"]:
            event = dict(given)
            uuid = event["server_uuid"]
            if uuid not in hosts and uuid not in unknown:
                try:
                    # Any project's server: the caller is a service (or an admin).
                    hosts[uuid] = self.compute_api.get(context.elevated(),
                                                       uuid).get("host")
                except exception.InstanceNotFound:
                    unknown.add(uuid)
            if uuid in unknown:
                event.update(status="failed", code=404)
            elif event["name"] in schema.TAG_REQUIRED and "tag" not in event:
                event.update(status="failed", code=400)
            elif hosts[uuid]:
                LOG.info("Event %s:%s for instance %s on %s accepted (nothing waits "
                         "for it)", event["name"], event.get("tag"), uuid, hosts[uuid])
                event.update(status="completed", code=200)
            else:
                event.update(status="failed", code=422)
            if event["code"] != 200:
                result = 207
            answered.append(event)
        return wsgi.ResponseObject({"events": answered}, code=result)
