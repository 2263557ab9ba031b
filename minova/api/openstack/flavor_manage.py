"""``POST /flavors``, ``PUT /flavors/{id}`` (2.55) and ``DELETE /flavors/{id}``:
admins define flavors.

From 2.55 a flavor has a ``description``, given at create and the only
thing an update may change (the rest of a flavor is fixed: servers keep a
copy of it).
"""

import uuid

import webob.exc
from oslo_utils import strutils

from minova import policy
from minova.api import validation, wsgi
from minova.api.schemas import flavor_manage as schema
from minova.api.views import flavors as flavors_view
from minova.compute.flavor_api import FlavorAPI
from minova.policies import flavor_manage as fm_policies


class FlavorManageController:
    """Controller of flavor creation and deletion (Nova's flavor-manage)."""

    def __init__(self, flavor_api: FlavorAPI) -> None:
        self.flavor_api = flavor_api

    @validation.schema(schema.create, "2.1", "2.54")
    @validation.schema(schema.create_v255, flavors_view.DESCRIPTION_MIN_VERSION)
    @validation.response_body_schema(schema.create_response)
    def create(self, req: wsgi.Request, body: dict) -> dict:
        """200 with the new flavor (Nova answers 200 here, not 201/202)."""
        context = req.context
        policy.authorize(context, fm_policies.POLICY_ROOT % "create", {})
        vals = body["flavor"]
        flavorid = vals.get("id")
        values = {
            "flavorid": str(uuid.uuid4()) if flavorid is None else str(flavorid),
            "name": vals["name"],
            "memory_mb": int(vals["ram"]),
            "vcpus": int(vals["vcpus"]),
            "root_gb": int(vals["disk"]),
            "ephemeral_gb": int(vals.get("OS-FLV-EXT-DATA:ephemeral", 0)),
            "swap": int(vals.get("swap", 0)),
            "rxtx_factor": float(vals.get("rxtx_factor", 1.0)),
            "is_public": strutils.bool_from_string(
                vals.get("os-flavor-access:is_public", True), strict=True),
            "description": vals.get("description"),
        }
        flavor = self.flavor_api.create(context, values)
        return {"flavor": flavors_view.show(req, flavor)}

    @validation.schema(schema.update_v255, flavors_view.DESCRIPTION_MIN_VERSION)
    @validation.response_body_schema(schema.update_response,
                                     flavors_view.DESCRIPTION_MIN_VERSION)
    def update(self, req: wsgi.Request, id: str, body: dict) -> dict:
        """200 with the flavor; a 404 below 2.55, where Nova routes no update."""
        if not req.is_microversion(flavors_view.DESCRIPTION_MIN_VERSION):
            raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")
        context = req.context
        policy.authorize(context, fm_policies.POLICY_ROOT % "update", {})
        flavor = self.flavor_api.update(
            context, id, {"description": body["flavor"]["description"]})
        return {"flavor": flavors_view.show(req, flavor)}

    @wsgi.response(202)
    def delete(self, req: wsgi.Request, id: str) -> None:
        context = req.context
        policy.authorize(context, fm_policies.POLICY_ROOT % "delete", {})
        self.flavor_api.delete(context, id)
