"""``/os-quota-class-sets/{id}``: quota classes (admins), as Nova's DbQuotaDriver.

The ``default`` class's limits are every project's defaults (over the
``[quota]`` options): setting them changes the defaults of every project
without its own limits. Other classes are stored and shown but apply to
no project, as in Nova. A class that was never set shows the defaults.
"""

import webob.exc

from minova import policy
from minova.api import validation, wsgi
from minova.api.schemas import quota_classes as schema
from minova.compute.quota_api import QuotaAPI
from minova.policies import quota_class_sets as qcs_policies


def _resources(req: wsgi.Request) -> tuple[str, ...]:
    if req.is_microversion("2.57"):
        return schema.RESOURCES_V257
    if req.is_microversion("2.50"):
        return schema.RESOURCES_V250
    return schema.RESOURCES_V21


def _format(req: wsgi.Request, class_name: str | None, values: dict) -> dict:
    result = {"id": class_name} if class_name else {}
    result.update({r: values[r] for r in _resources(req) if r in values})
    return {"quota_class_set": result}


class QuotaClassSetsController:
    """Controller of ``/os-quota-class-sets``."""

    def __init__(self, quota_api: QuotaAPI) -> None:
        self.quota_api = quota_api

    @validation.response_body_schema(schema.show_response, "2.1", "2.49")
    @validation.response_body_schema(schema.show_response_v250, "2.50", "2.56")
    @validation.response_body_schema(schema.show_response_v257, "2.57")
    def show(self, req: wsgi.Request, id: str) -> dict:
        policy.authorize(req.context, qcs_policies.POLICY_ROOT % "show", {})
        return _format(req, id, self.quota_api.get_class_quotas(req.context, id))

    @validation.schema(schema.update, "2.1", "2.49")
    @validation.schema(schema.update_v250, "2.50", "2.56")
    @validation.schema(schema.update_v257, "2.57")
    @validation.response_body_schema(schema.update_response, "2.1", "2.49")
    @validation.response_body_schema(schema.update_response_v250, "2.50", "2.56")
    @validation.response_body_schema(schema.update_response_v257, "2.57")
    def update(self, req: wsgi.Request, id: str, body: dict) -> dict:
        """Set the class's limits given (the answer, without ``id``, has them all)."""
        policy.authorize(req.context, qcs_policies.POLICY_ROOT % "update", {})
        if not 1 <= len(id) <= 255:
            raise webob.exc.HTTPBadRequest(
                explanation="quota_class_name has a length of 1 to 255 characters.")
        values = {key: int(value) for key, value in body["quota_class_set"].items()
                  if key != "networks"}  # nova-network's: nothing to keep
        limits = (self.quota_api.update_class_quotas(req.context, id, values) if values
                  else self.quota_api.get_class_quotas(req.context, id))
        return _format(req, None, limits)
