"""``POST .../action`` bodies: the body's single key names the action, as in Nova.

Each controller with an ``action`` route keeps its ``_dispatch`` table
(action name -> handler; the OpenAPI document reads it too) and asks
here which handler a body calls.
"""

from collections.abc import Callable, Mapping

import webob.exc

from minova import policy
from minova.api import wsgi
from minova.api.openstack.servers import ServersController


def handler_for(handlers: Mapping[str, Callable], body) -> Callable:
    """The handler of the action ``body`` names: 400 for a body that is not a
    non-empty object, or that names an action not in ``handlers``."""
    if not isinstance(body, dict) or not body:
        raise webob.exc.HTTPBadRequest(explanation="Malformed request body")
    name = next(iter(body))
    handler = handlers.get(name)
    if handler is None:
        raise webob.exc.HTTPBadRequest(explanation=f"There is no such action: {name}")
    return handler


class ServerActions:
    """A group of ``POST /servers/{id}/action`` handlers over the compute
    facade; ``ServerActionsController`` merges each group's ``handlers()``."""

    def __init__(self, compute_api) -> None:
        self.compute_api = compute_api
        self._servers = ServersController(compute_api)

    def _instance(self, req: wsgi.Request, id: str, rule: str) -> dict:
        """The server (404 also when it is another project's), once ``rule``
        allows the caller on its project and user."""
        instance = self._servers.get_instance(req, id)
        policy.authorize(req.context, rule, {"project_id": instance["project_id"],
                                             "user_id": instance["user_id"]})
        return instance
