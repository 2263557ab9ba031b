"""``/os-services``: list services, and enable, disable or force down a compute.

Disabling a compute service is how an operator drains a host: the
ComputeFilter then passes it over, while what already runs there stays.
Two URL shapes, as in Nova: before 2.53 ``PUT /os-services/{action}`` names
the service by host and binary in the body; from 2.53 ``PUT
/os-services/{service_id}`` names it by uuid. Only compute services can be
changed: the others are not scheduled to.
"""

import webob.exc
from oslo_utils import strutils, uuidutils

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.openstack import query, service_binaries
from minova.api.schemas import services as schema
from minova.api.views import services as services_view
from minova.compute.host_api import HostAPI
from minova.policies import services as services_policies

COMPUTE_BINARY = "minova-compute"
UUID_FOR_ID_MIN_VERSION = "2.53"


def _only_compute(binary: str) -> None:
    if service_binaries.real_binary(binary) != COMPUTE_BINARY:
        raise webob.exc.HTTPBadRequest(
            explanation=f"Updating a {binary} service is not supported. Only "
            f"{COMPUTE_BINARY} services can be updated.")


class ServicesController:
    """Controller of ``/os-services``."""

    def __init__(self, host_api: HostAPI) -> None:
        self.host_api = host_api

    @validation.response_body_schema(schema.index_response, "2.1", "2.10")
    @validation.response_body_schema(schema.index_response_v211, "2.11", "2.52")
    @validation.response_body_schema(schema.index_response_v253, UUID_FOR_ID_MIN_VERSION)
    def index(self, req: wsgi.Request) -> dict:
        context = req.context
        policy.authorize(context, services_policies.BASE_POLICY_NAME % "list", {})
        query.check_known(req, ("host", "binary"))
        binary = req.GET.get("binary")
        services = self.host_api.service_get_all(
            context, binary=service_binaries.real_binary(binary), host=req.GET.get("host"))
        views = [services_view.show(service, req) for service in services]
        if service_binaries.is_nova_name(binary):
            # Asked for by Nova's name: answered in it (service_binaries).
            for view in views:
                view["binary"] = binary
        return {"services": views}

    @validation.schema(schema.service_update, "2.1", "2.10")
    @validation.schema(schema.service_update_v211, "2.11", "2.52")
    @validation.schema(schema.service_update_v253, UUID_FOR_ID_MIN_VERSION)
    @validation.response_body_schema(schema.update_response, "2.1", "2.52")
    @validation.response_body_schema(schema.update_response_v253, UUID_FOR_ID_MIN_VERSION)
    def update(self, req: wsgi.Request, id: str, body: dict) -> dict:
        policy.authorize(req.context, services_policies.BASE_POLICY_NAME % "update", {})
        if req.is_microversion(UUID_FOR_ID_MIN_VERSION):
            return self._update_by_uuid(req, id, body)
        return self._update_by_action(req, id, body)

    # --- 2.1 to 2.52: PUT /os-services/{action}

    def _update_by_action(self, req: wsgi.Request, action: str, body: dict) -> dict:
        actions = {"enable", "disable", "disable-log-reason"}
        if req.is_microversion("2.11"):
            actions.add("force-down")
        if action not in actions:
            raise webob.exc.HTTPNotFound(explanation="Unknown action")
        host, binary = body["host"], body["binary"]
        result = {"host": host, "binary": binary}
        if action == "enable":
            values = {"disabled": False, "disabled_reason": None}
            result["status"] = "enabled"
        elif action == "disable":
            values = {"disabled": True, "disabled_reason": None}
            result["status"] = "disabled"
        elif action == "disable-log-reason":
            if "disabled_reason" not in body:
                raise webob.exc.HTTPBadRequest(explanation="Missing disabled reason field")
            values = {"disabled": True, "disabled_reason": body["disabled_reason"]}
            result.update(status="disabled", disabled_reason=body["disabled_reason"])
        else:  # force-down
            if "forced_down" not in body:
                raise webob.exc.HTTPBadRequest(explanation="Missing forced_down field")
            forced_down = strutils.bool_from_string(body["forced_down"], strict=True)
            values = {"forced_down": forced_down}
            result["forced_down"] = forced_down
        _only_compute(binary)
        try:
            self.host_api.service_update(req.context, values, host=host,
                                         binary=service_binaries.real_binary(binary))
        except exception.HostBinaryNotFound as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message()) from None
        return {"service": result}

    # --- 2.53 on: PUT /os-services/{service_id}

    def _update_by_uuid(self, req: wsgi.Request, service_id: str, body: dict) -> dict:
        if not uuidutils.is_uuid_like(service_id):
            raise webob.exc.HTTPBadRequest(explanation=f"Invalid uuid {service_id}")
        service = self._service_by_uuid(req, service_id)
        _only_compute(service["binary"])
        values: dict = {}
        status = body.get("status")
        if status == "enabled":
            if body.get("disabled_reason"):
                raise webob.exc.HTTPBadRequest(
                    explanation="Specifying 'disabled_reason' with status 'enabled' is "
                    "invalid.")
            values.update(disabled=False, disabled_reason=None)
        elif status == "disabled":
            values.update(disabled=True, disabled_reason=body.get("disabled_reason"))
        if "forced_down" in body:
            values["forced_down"] = strutils.bool_from_string(body["forced_down"],
                                                              strict=True)
        if not values:
            raise webob.exc.HTTPBadRequest(
                explanation="No updates were requested. Fields 'status' or 'forced_down' "
                "should be specified.")
        try:
            updated = self.host_api.service_update(req.context, values,
                                                   service_uuid=service_id)
        except exception.ServiceNotFound:
            raise webob.exc.HTTPNotFound(
                explanation=f"Service {service_id} not found.") from None
        return {"service": services_view.show(updated, req)}

    def _service_by_uuid(self, req: wsgi.Request, service_id: str) -> dict:
        for service in self.host_api.service_get_all(req.context):
            if service.get("uuid") == service_id:
                return service
        raise webob.exc.HTTPNotFound(explanation=f"Service {service_id} not found.")
