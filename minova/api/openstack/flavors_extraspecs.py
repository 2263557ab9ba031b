"""``/flavors/{flavor_id}/os-extra_specs``: key/value properties of a flavor.

Read by any project (of a flavor it can see), written by admins, as in
Nova v2.1. Numbers and booleans are stored as strings. Extra specs are
what AggregateInstanceExtraSpecsFilter matches against aggregate metadata.
From 2.86 the specs of namespaces Nova knows are validated on create and
update (``minova.api.extra_specs``); below it anything is stored.
"""

import webob.exc

from minova import exception, policy
from minova.api import extra_specs, validation, wsgi
from minova.api.schemas import flavors_extraspecs as schema
from minova.compute.flavor_api import FlavorAPI
from minova.policies import flavor_extra_specs as fes_policies

_MAX_VALUE_LENGTH = 255


def _checked_specs(req: wsgi.Request, specs: dict) -> dict:
    """The specs as they are stored (numbers and booleans as strings),
    checked as Nova checks them before anything is written.

    The schema bounds the length of strings only, so a long number is
    measured here; from 2.86 each pair must also pass the extra spec
    validators (an unknown key of a known namespace or a bad value is a
    400).
    """
    validate = req.is_microversion("2.86")
    stored = {}
    for key, value in specs.items():
        if not isinstance(value, str):
            value = str(value)
            if len(value) > _MAX_VALUE_LENGTH:
                raise webob.exc.HTTPBadRequest(
                    explanation=f"extra_specs value has more than {_MAX_VALUE_LENGTH} "
                                "characters.")
        if validate:
            extra_specs.validate(key, value)
        stored[key] = value
    return stored


class FlavorExtraSpecsController:
    """Controller of a flavor's ``os-extra_specs``."""

    def __init__(self, flavor_api: FlavorAPI) -> None:
        self.flavor_api = flavor_api

    def _authorize(self, req: wsgi.Request, action: str) -> None:
        policy.authorize(req.context, fes_policies.POLICY_ROOT % action,
                         {"project_id": req.context.project_id})

    def _specs(self, req: wsgi.Request, flavor_id: str) -> dict:
        flavor = self.flavor_api.get(req.context, flavor_id)
        if not req.context.is_admin and not flavor.get("is_public", True):
            raise exception.FlavorNotFound(flavor_id=flavor_id)
        return dict(flavor.get("extra_specs") or {})

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request, flavor_id: str) -> dict:
        self._authorize(req, "index")
        return {"extra_specs": self._specs(req, flavor_id)}

    @validation.response_body_schema(schema.show_response)
    def show(self, req: wsgi.Request, flavor_id: str, id: str) -> dict:
        self._authorize(req, "show")
        specs = self._specs(req, flavor_id)
        if id not in specs:
            raise exception.FlavorExtraSpecsNotFound(flavor_id=flavor_id, extra_specs_key=id)
        return {id: specs[id]}

    @validation.schema(schema.create)
    @validation.response_body_schema(schema.create_response)
    def create(self, req: wsgi.Request, flavor_id: str, body: dict) -> dict:
        self._authorize(req, "create")
        specs = _checked_specs(req, body["extra_specs"])
        self.flavor_api.update_extra_specs(req.context, flavor_id, specs)
        return {"extra_specs": specs}

    @validation.schema(schema.update)
    @validation.response_body_schema(schema.update_response)
    def update(self, req: wsgi.Request, flavor_id: str, id: str, body: dict) -> dict:
        self._authorize(req, "update")
        specs = _checked_specs(req, body)
        if id not in body:
            raise webob.exc.HTTPBadRequest(explanation="Request body and URI mismatch")
        self.flavor_api.update_extra_specs(req.context, flavor_id, specs)
        return specs

    # 200 with no body, as Nova's (whose code says it should have been 204).
    def delete(self, req: wsgi.Request, flavor_id: str, id: str) -> None:
        self._authorize(req, "delete")
        self.flavor_api.delete_extra_spec(req.context, flavor_id, id)
