"""``/servers/{server_id}/os-instance-actions``: what happened to a server.

The server must exist and be visible to the caller (it is looked up
first, so another project's server is a 404); from 2.21 a deleted server's
actions stay readable. An action's events are shown to those the
``os_compute_api:os-instance-actions:events`` policy allows (admins), with
each event's traceback and host; from 2.51 every caller sees the events,
without those two.
"""

import webob.exc
from oslo_utils import uuidutils

from minova import exception, policy
from minova.api import wsgi
from minova.api.openstack import servers
from minova.api.views import instance_actions as actions_view
from minova.policies import instance_actions as ia_policies


class InstanceActionsController:
    """Controller of a server's instance actions."""

    def __init__(self, compute_api, conductor_api) -> None:
        self.compute_api = compute_api
        self.servers = servers.ServersController(compute_api)
        self.conductor_api = conductor_api

    def _get_instance(self, req: wsgi.Request, server_id: str) -> dict:
        if not req.is_microversion("2.21") or not uuidutils.is_uuid_like(server_id):
            return self.servers.get_instance(req, server_id)
        return self.compute_api.get(req.context, server_id, read_deleted=True)

    def index(self, req: wsgi.Request, server_id: str) -> dict:
        context = req.context
        instance = self._get_instance(req, server_id)
        policy.authorize(context, ia_policies.BASE_POLICY_NAME % "list",
                         {"project_id": instance["project_id"]})
        actions = self.conductor_api.actions_get(context, instance["uuid"])
        return {"instanceActions": [actions_view.action(raw) for raw in actions]}

    def show(self, req: wsgi.Request, server_id: str, id: str) -> dict:
        context = req.context
        instance = self._get_instance(req, server_id)
        target = {"project_id": instance["project_id"]}
        policy.authorize(context, ia_policies.BASE_POLICY_NAME % "show", target)
        try:
            raw = self.conductor_api.action_get_by_request_id(context, instance["uuid"], id)
        except exception.InstanceActionNotFound:
            raw = None
        if raw is None:
            raise webob.exc.HTTPNotFound(explanation=f"Action {id} not found")
        show_traceback = policy.authorize(
            context, ia_policies.BASE_POLICY_NAME % "events", target, fatal=False)
        result = actions_view.action(raw)
        if show_traceback or req.is_microversion("2.51"):
            project_id = raw.get("project_id") or instance["project_id"]
            result["events"] = [
                actions_view.event(evt, project_id, show_traceback)
                for evt in raw.get("events") or []
            ]
        return {"instanceAction": result}
