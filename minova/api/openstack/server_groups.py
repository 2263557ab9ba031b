"""``/os-server-groups``: server groups, a policy over where their members run.

As Nova: a group belongs to the project that created it, and another
project's group is not found (404) unless the caller is an admin. A
create answers 200, a delete 204. The body and the view changed at 2.13
(project and user shown), 2.15 (soft policies) and 2.64 (one ``policy``
and its ``rules``); ``minova.api.views.server_groups`` shapes the view.
Members join a group only by booting with the ``group`` scheduler hint.
"""

import webob.exc
from oslo_config import cfg

from minova import policy
from minova.api import validation, wsgi
from minova.api.openstack import query
from minova.api.schemas import server_groups as schema
from minova.api.views import server_groups as view
from minova.compute.server_group_api import ServerGroupAPI
from minova.policies import server_groups as sg_policies

CONF = cfg.CONF

GROUP_POLICY_OBJ_MICROVERSION = "2.64"
MAX_OFFSET = 2**31 - 1


def _int_param(req: wsgi.Request, name: str, default: int) -> int:
    """Nova's limit/offset checks: an integer, not negative, else 400."""
    try:
        value = int(req.GET.get(name, default))
    except ValueError:
        raise webob.exc.HTTPBadRequest(
            explanation=f"{name} param must be an integer") from None
    if value < 0:
        raise webob.exc.HTTPBadRequest(explanation=f"{name} param must be positive")
    return value


class ServerGroupsController:
    """Controller of ``/os-server-groups``."""

    def __init__(self, server_group_api: ServerGroupAPI) -> None:
        self.server_group_api = server_group_api

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request) -> dict:
        """The caller's project's groups; every project's for an admin with all_projects.

        As Nova, a non-admin asking for all_projects gets its own groups, not a 403.
        """
        ctxt = req.context
        policy.authorize(ctxt, sg_policies.POLICY_ROOT % "index")
        query.check_known(req, ("all_projects", "limit", "offset"))
        # past every row is past every row: a bigger offset than the
        # databases' integers take would be their error (a 500)
        offset = min(_int_param(req, "offset", 0), MAX_OFFSET)
        max_limit = CONF.api.max_limit
        limit = min(max_limit, _int_param(req, "limit", max_limit) or max_limit)
        all_projects = "all_projects" in req.GET and ctxt.is_admin
        if all_projects:
            policy.authorize(ctxt, sg_policies.POLICY_ROOT % "index:all_projects")
        groups = self.server_group_api.get_all(
            ctxt, all_projects=all_projects, limit=limit, offset=offset)
        return {"server_groups": [view.show(group, req) for group in groups]}

    @validation.response_body_schema(schema.show_response)
    def show(self, req: wsgi.Request, id: str) -> dict:
        group = self.server_group_api.get(req.context, id)
        policy.authorize(req.context, sg_policies.POLICY_ROOT % "show",
                         {"project_id": group["project_id"]})
        return {"server_group": view.show(group, req)}

    @validation.schema(schema.create, "2.1", "2.14")
    @validation.schema(schema.create_v215, "2.15", "2.63")
    @validation.schema(schema.create_v264, GROUP_POLICY_OBJ_MICROVERSION)
    @validation.response_body_schema(schema.create_response)
    def create(self, req: wsgi.Request, body: dict) -> dict:
        ctxt = req.context
        policy.authorize(ctxt, sg_policies.POLICY_ROOT % "create")
        values = body["server_group"]
        if req.is_microversion(GROUP_POLICY_OBJ_MICROVERSION):
            group_policy = values["policy"]
            rules = dict(values.get("rules") or {})
            if rules and group_policy != "anti-affinity":
                raise webob.exc.HTTPBadRequest(
                    explanation="Only anti-affinity policy supports rules.")
            if "max_server_per_host" in rules:
                rules["max_server_per_host"] = int(rules["max_server_per_host"])
        else:
            group_policy, rules = values["policies"][0], {}
        group = self.server_group_api.create(ctxt, values["name"], group_policy, rules)
        return {"server_group": view.show(group, req)}

    @wsgi.response(204)
    def delete(self, req: wsgi.Request, id: str) -> None:
        group = self.server_group_api.get(req.context, id)
        policy.authorize(req.context, sg_policies.POLICY_ROOT % "delete",
                         {"project_id": group["project_id"]})
        self.server_group_api.delete(req.context, id)
