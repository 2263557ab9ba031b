"""``/os-quota-sets/{project_id}``: a project's quotas, their usage and the defaults.

Nova's shapes and rules: a project reads its own quotas (another
project's is a 403 for a non-admin), admins set them (PUT; a limit below
what the project uses is a 400 unless ``force``) and revert them to the
defaults (DELETE, 202). The network quotas leave the answers at 2.36,
the injected file quotas at 2.57; from 2.75 an unknown query parameter is
a 400. ``?user_id=`` names a user's quotas within the project (Nova's
per-user quotas): the user's own limits, else the project's; set within
what the project has left for its users; deleted back to the project's.
"""

import webob.exc
from oslo_utils import strutils

from minova import policy
from minova.api import validation, wsgi
from minova.api.openstack import query
from minova.api.schemas import quota_sets as schema
from minova.compute.quota_api import QuotaAPI
from minova.policies import quota_sets as qs_policies

FILTERED_QUOTAS_2_36 = ("fixed_ips", "floating_ips", "networks", "security_group_rules",
                        "security_groups")
FILTERED_QUOTAS_2_57 = FILTERED_QUOTAS_2_36 + ("injected_files", "injected_file_content_bytes",
                                               "injected_file_path_bytes")

# Nova's resource order (QUOTAS.resources) for the answers.
RESOURCES = ("instances", "cores", "ram", "metadata_items", "injected_files",
             "injected_file_content_bytes", "injected_file_path_bytes", "key_pairs",
             "server_groups", "server_group_members", "fixed_ips", "floating_ips",
             "security_groups", "security_group_rules")


def filtered_quotas(req: wsgi.Request) -> tuple[str, ...]:
    """The resources the request's version no longer shows."""
    if req.is_microversion("2.57"):
        return FILTERED_QUOTAS_2_57
    if req.is_microversion("2.36"):
        return FILTERED_QUOTAS_2_36
    return ()


def _format(req: wsgi.Request, project_id: str | None, values: dict) -> dict:
    hidden = filtered_quotas(req)
    result = {"id": str(project_id)} if project_id else {}
    for resource in RESOURCES:
        if resource not in hidden and resource in values:
            result[resource] = values[resource]
    return {"quota_set": result}


def _user_id(req: wsgi.Request) -> str | None:
    """The ``user_id`` query parameter (its first value, as Nova reads it)."""
    values = req.GET.getall("user_id")
    return values[0] if values else None


class QuotaSetsController:
    """Controller of ``/os-quota-sets``."""

    def __init__(self, quota_api: QuotaAPI) -> None:
        self.quota_api = quota_api

    @validation.response_body_schema(schema.show_response, "2.1", "2.35")
    @validation.response_body_schema(schema.show_response_v236, "2.36", "2.56")
    @validation.response_body_schema(schema.show_response_v257, "2.57")
    def show(self, req: wsgi.Request, id: str) -> dict:
        query.check_known(req, ("user_id",))
        policy.authorize(req.context, qs_policies.POLICY_ROOT % "show", {"project_id": id})
        quotas = self.quota_api.get_project_quotas(req.context, id, user_id=_user_id(req))
        return _format(req, id, quotas["limits"])

    @validation.response_body_schema(schema.detail_response, "2.1", "2.35")
    @validation.response_body_schema(schema.detail_response_v236, "2.36", "2.56")
    @validation.response_body_schema(schema.detail_response_v257, "2.57")
    def detail(self, req: wsgi.Request, id: str) -> dict:
        """Each quota as ``{"in_use", "limit", "reserved"}``; reserved is always 0
        (usage is counted, nothing is reserved: Nova's answer since Pike)."""
        query.check_known(req, ("user_id",))
        policy.authorize(req.context, qs_policies.POLICY_ROOT % "detail", {"project_id": id})
        quotas = self.quota_api.get_project_quotas(req.context, id, usages=True,
                                                   user_id=_user_id(req))
        values = {resource: {"in_use": quotas["in_use"].get(resource, 0), "limit": limit,
                             "reserved": 0}
                  for resource, limit in quotas["limits"].items()}
        return _format(req, id, values)

    @validation.response_body_schema(schema.defaults_response, "2.1", "2.35")
    @validation.response_body_schema(schema.defaults_response_v236, "2.36", "2.56")
    @validation.response_body_schema(schema.defaults_response_v257, "2.57")
    def defaults(self, req: wsgi.Request, id: str) -> dict:
        policy.authorize(req.context, qs_policies.POLICY_ROOT % "defaults", {"project_id": id})
        return _format(req, id, self.quota_api.get_defaults(req.context))

    @validation.response_body_schema(schema.update_response, "2.1", "2.35")
    @validation.response_body_schema(schema.update_response_v236, "2.36", "2.56")
    @validation.response_body_schema(schema.update_response_v257, "2.57")
    @validation.schema(schema.update, "2.1", "2.35")
    @validation.schema(schema.update_v236, "2.36", "2.56")
    @validation.schema(schema.update_v257, "2.57")
    def update(self, req: wsgi.Request, id: str, body: dict) -> dict:
        """Set the limits given (the answer, without ``id``, has them all)."""
        query.check_known(req, ("user_id",))
        policy.authorize(req.context, qs_policies.POLICY_ROOT % "update", {"project_id": id})
        quota_set = dict(body["quota_set"])
        if "networks" in quota_set:
            # nova-network's quota, accepted by the schema only to be refused.
            raise webob.exc.HTTPBadRequest(explanation="The networks quota has been removed")
        force = strutils.bool_from_string(quota_set.pop("force", False))
        values = {key: int(value) for key, value in quota_set.items()}
        limits = self.quota_api.update_project_quotas(req.context, id, values, force=force,
                                                      user_id=_user_id(req))
        return _format(req, None, limits)

    @wsgi.response(202)
    def delete(self, req: wsgi.Request, id: str) -> None:
        """Back to the defaults (Nova answers 202)."""
        query.check_known(req, ("user_id",))
        policy.authorize(req.context, qs_policies.POLICY_ROOT % "delete", {"project_id": id})
        self.quota_api.delete_project_quotas(req.context, id, user_id=_user_id(req))
