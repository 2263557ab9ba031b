"""``/servers/{server_id}/os-instance-actions``: what happened to a server.

The server must exist and be visible to the caller (it is looked up
first, so another project's server is a 404); from 2.21 a deleted server's
actions stay readable. An action's events are shown to those the
``os_compute_api:os-instance-actions:events`` policy allows (admins), with
each event's traceback and host; from 2.51 every caller sees the events,
without those two. An event's ``details`` (2.84) are for those
``os_compute_api:os-instance-actions:events:details`` allows (admins): the
scheduler's are the hosts it weighed, by name. From 2.58 the list pages (``limit``, ``marker``: a
request id) and filters on ``changes-since`` (2.66: ``changes-before``)
against each action's ``updated_at``, and refuses other query parameters.
"""

import datetime

import webob.exc
from oslo_config import cfg
from oslo_utils import uuidutils

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.openstack import pagination, query, servers
from minova.api.schemas import instance_actions as schema
from minova.api.views import instance_actions as actions_view
from minova.api.views import links
from minova.compute import api as compute
from minova.policies import instance_actions as ia_policies

CONF = cfg.CONF

PAGING_MIN_VERSION = "2.58"
CHANGES_BEFORE_MIN_VERSION = "2.66"


def _list_query(req: wsgi.Request) -> dict:
    """The 2.58 (2.66) query parameters, each at most once; 400 for any other."""
    allowed = ["limit", "marker", "changes-since"]
    if req.is_microversion(CHANGES_BEFORE_MIN_VERSION):
        allowed.append("changes-before")
    params = query.single_values(req, allowed)
    return query.paging_and_changes(params)


def _changed_at(action: dict) -> datetime.datetime:
    """When the action last changed: minova stamps ``updated_at`` when it finishes,
    so an unfinished one counts from its start."""
    return datetime.datetime.fromisoformat(str(action.get("updated_at")
                                               or action["start_time"]))


class InstanceActionsController:
    """Controller of a server's instance actions."""

    def __init__(self, compute_api: compute.API) -> None:
        self.compute_api = compute_api
        self.servers = servers.ServersController(compute_api)

    def _get_instance(self, req: wsgi.Request, server_id: str) -> dict:
        if not req.is_microversion("2.21") or not uuidutils.is_uuid_like(server_id):
            return self.servers.get_instance(req, server_id)
        return self.compute_api.get(req.context, server_id, read_deleted=True)

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request, server_id: str) -> dict:
        context = req.context
        paged = req.is_microversion(PAGING_MIN_VERSION)
        params = _list_query(req) if paged else {}
        instance = self._get_instance(req, server_id)
        policy.authorize(context, ia_policies.BASE_POLICY_NAME % "list",
                         {"project_id": instance["project_id"]})
        actions = self.compute_api.actions_get(context, instance["uuid"])
        if not paged:
            return {"instanceActions": [actions_view.action(req, raw) for raw in actions]}

        since, before = params.get("changes-since"), params.get("changes-before")
        actions = [raw for raw in actions
                   if (since is None or _changed_at(raw) >= since)
                   and (before is None or _changed_at(raw) <= before)]
        limit, marker = pagination.get_limit_and_marker(req)
        try:
            actions = pagination.page(actions, limit, marker, "request_id")
        except webob.exc.HTTPBadRequest:
            raise webob.exc.HTTPBadRequest(
                explanation=f"Marker {marker} could not be found.") from None
        body = {"instanceActions": [actions_view.action(req, raw) for raw in actions]}
        next_links = links.collection_links(
            req, body["instanceActions"], f"servers/{server_id}/os-instance-actions",
            "request_id")
        if next_links:
            body["links"] = next_links
        return body

    @validation.response_body_schema(schema.show_response)
    def show(self, req: wsgi.Request, server_id: str, id: str) -> dict:
        context = req.context
        instance = self._get_instance(req, server_id)
        target = {"project_id": instance["project_id"]}
        policy.authorize(context, ia_policies.BASE_POLICY_NAME % "show", target)
        try:
            raw = self.compute_api.action_get_by_request_id(context, instance["uuid"], id)
        except exception.InstanceActionNotFound:
            raw = None
        if raw is None:
            raise webob.exc.HTTPNotFound(explanation=f"Action {id} not found")
        show_traceback = policy.authorize(
            context, ia_policies.BASE_POLICY_NAME % "events", target, fatal=False)
        result = actions_view.action(req, raw)
        if show_traceback or req.is_microversion("2.51"):
            show_details = req.is_microversion(actions_view.DETAILS_MIN_VERSION) and (
                policy.authorize(context, ia_policies.BASE_POLICY_NAME % "events:details",
                                 target, fatal=False))
            project_id = raw.get("project_id") or instance["project_id"]
            result["events"] = [
                actions_view.event(req, evt, project_id, show_traceback, show_details)
                for evt in raw.get("events") or []
            ]
        return {"instanceAction": result}
