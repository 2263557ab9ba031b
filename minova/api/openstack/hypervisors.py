"""``/os-hypervisors``: the compute nodes, for admins (v2.1: integer ids, no paging)."""

import webob.exc

from minova import exception, policy
from minova.api import wsgi
from minova.api.views import hypervisors as hypervisors_view
from minova.policies import hypervisors as hv_policies


class HypervisorsController:
    """Controller of ``/os-hypervisors``."""

    def __init__(self, conductor_api) -> None:
        self.conductor_api = conductor_api

    def index(self, req: wsgi.Request) -> dict:
        context = req.context
        policy.authorize(context, hv_policies.BASE_POLICY_NAME % "list", {})
        nodes = self.conductor_api.compute_node_get_all(context)
        return {"hypervisors": [hypervisors_view.summary(node) for node in nodes]}

    def detail(self, req: wsgi.Request) -> dict:
        context = req.context
        policy.authorize(context, hv_policies.BASE_POLICY_NAME % "list-detail", {})
        nodes = self.conductor_api.compute_node_get_all(context)
        return {"hypervisors": [hypervisors_view.detail(node) for node in nodes]}

    def show(self, req: wsgi.Request, id: str) -> dict:
        context = req.context
        policy.authorize(context, hv_policies.BASE_POLICY_NAME % "show", {})
        not_found = webob.exc.HTTPNotFound(
            explanation=f"Hypervisor with ID '{id}' could not be found.")
        try:
            node_id = int(id)
        except ValueError:
            raise not_found from None
        try:
            node = self.conductor_api.compute_node_get(context, node_id)
        except exception.NotFound:
            raise not_found from None
        return {"hypervisor": hypervisors_view.detail(node)}
