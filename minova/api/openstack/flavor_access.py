"""Flavor access: which projects may use a private flavor (Nova's os-flavor-access).

``GET /flavors/{id}/os-flavor-access`` lists them (a public flavor has no
list: 404); the ``addTenantAccess`` and ``removeTenantAccess`` actions of
``POST /flavors/{id}/action`` change it. All for admins. From 2.7, adding
access to a public flavor is a 409 (before, it was stored and meant
nothing). A flavor is made private at create with
``"os-flavor-access:is_public": false`` (``flavor_manage``).
"""

import webob.exc

from minova import policy
from minova.api import validation, wsgi
from minova.api.openstack import actions
from minova.api.schemas import flavor_access as schema
from minova.compute.flavor_api import FlavorAPI
from minova.policies import flavor_access as fa_policies

PUBLIC_FLAVOR_CONFLICT_MICROVERSION = "2.7"


def _view(flavorid: str, projects: list[str]) -> dict:
    return {"flavor_access": [{"flavor_id": flavorid, "tenant_id": project_id}
                              for project_id in projects]}


class FlavorAccessController:
    """Controller of ``/flavors/{flavor_id}/os-flavor-access`` and the access actions."""

    def __init__(self, flavor_api: FlavorAPI) -> None:
        self.flavor_api = flavor_api
        self._dispatch = {"addTenantAccess": self._add_tenant_access,
                          "removeTenantAccess": self._remove_tenant_access}

    @validation.response_body_schema(schema.flavor_access_response)
    def index(self, req: wsgi.Request, flavor_id: str) -> dict:
        policy.authorize(req.context, fa_policies.BASE_POLICY_NAME, {})
        flavor = self.flavor_api.get(req.context, flavor_id)
        if flavor.get("is_public", True):
            raise webob.exc.HTTPNotFound(
                explanation="Access list not available for public flavors.")
        return _view(flavor["flavorid"], flavor.get("projects") or [])

    def action(self, req: wsgi.Request, id: str, body=None) -> dict:
        handler = actions.handler_for(self._dispatch, body)
        return handler(req, id, body=body)

    @validation.schema(schema.add_tenant_access)
    @validation.response_body_schema(schema.flavor_access_response)
    def _add_tenant_access(self, req: wsgi.Request, id: str, body: dict) -> dict:
        policy.authorize(req.context, fa_policies.POLICY_ROOT % "add_tenant_access", {})
        tenant = body["addTenantAccess"]["tenant"]
        flavor = self.flavor_api.get(req.context, id)
        if (req.is_microversion(PUBLIC_FLAVOR_CONFLICT_MICROVERSION)
                and flavor.get("is_public", True)):
            raise webob.exc.HTTPConflict(explanation="Can not add access to a public flavor.")
        projects = self.flavor_api.add_access(req.context, flavor["flavorid"], tenant)
        return _view(flavor["flavorid"], projects)

    @validation.schema(schema.remove_tenant_access)
    @validation.response_body_schema(schema.flavor_access_response)
    def _remove_tenant_access(self, req: wsgi.Request, id: str, body: dict) -> dict:
        policy.authorize(req.context, fa_policies.POLICY_ROOT % "remove_tenant_access", {})
        tenant = body["removeTenantAccess"]["tenant"]
        projects = self.flavor_api.remove_access(req.context, id, tenant)
        return _view(id, projects)
