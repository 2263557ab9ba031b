"""``/os-networks``: Nova's network proxy, answered as a cloud without networks.

Nova lists and shows the networking service's networks here up to 2.35
(only ``id`` and ``label`` filled in, every other field null) and answers
nova-network's removed calls (create, add, delete, the associate and
disassociate actions) with 410 at every version. minova has no networking
service and gives servers no networks, so the list is empty and every
network id is unknown (404 "Network not found").
"""

import webob.exc

from minova import policy
from minova.api import validation, wsgi
from minova.api.openstack.images import MAX_PROXY_API_SUPPORT_VERSION
from minova.api.schemas import networks as schema
from minova.policies import networks as net_policies

# The actions of nova-network's association extension, all removed.
_REMOVED_ACTIONS = ("disassociate", "disassociate_host", "disassociate_project",
                    "associate_host")


def _check_proxy_served(req: wsgi.Request) -> None:
    if not req.is_microversion("2.1", MAX_PROXY_API_SUPPORT_VERSION):
        raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")


def _gone() -> webob.exc.HTTPGone:
    return webob.exc.HTTPGone(explanation="nova-network's APIs are removed.")


class NetworkController:
    """Controller of ``/os-networks``."""

    def networks(self, req: wsgi.Request) -> list[dict]:
        """The networks the caller may see: none, minova has no networking
        service (where its networks would be read)."""
        return []

    @validation.response_body_schema(schema.index_response, "2.1",
                                     MAX_PROXY_API_SUPPORT_VERSION)
    def index(self, req: wsgi.Request) -> dict:
        _check_proxy_served(req)
        policy.authorize(req.context, net_policies.POLICY_ROOT % "list")
        return {"networks": self.networks(req)}

    @validation.response_body_schema(schema.show_response, "2.1",
                                     MAX_PROXY_API_SUPPORT_VERSION)
    def show(self, req: wsgi.Request, id: str) -> dict:
        _check_proxy_served(req)
        policy.authorize(req.context, net_policies.POLICY_ROOT % "show")
        for network in self.networks(req):
            if network["id"] == id:
                return {"network": network}
        raise webob.exc.HTTPNotFound(explanation="Network not found")

    def create(self, req: wsgi.Request, body=None) -> None:
        """nova-network's: removed (410)."""
        raise _gone()

    def add(self, req: wsgi.Request, body=None) -> None:
        """nova-network's: removed (410)."""
        raise _gone()

    def delete(self, req: wsgi.Request, id: str) -> None:
        """nova-network's: removed (410)."""
        raise _gone()

    def action(self, req: wsgi.Request, id: str, body=None) -> None:
        """nova-network's association actions: removed (410); another is a 400."""
        if not isinstance(body, dict) or not body:
            raise webob.exc.HTTPBadRequest(explanation="Malformed request body")
        name = next(iter(body))
        if name not in _REMOVED_ACTIONS:
            raise webob.exc.HTTPBadRequest(explanation=f"There is no such action: {name}")
        raise _gone()
