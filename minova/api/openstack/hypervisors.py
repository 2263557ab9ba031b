"""``/os-hypervisors``: the compute nodes, for admins.

Microversions, as Nova: 2.28 shows ``cpu_info`` as an object; 2.33 pages
the lists (``limit``, ``marker``: the last id seen); 2.53 names nodes by
uuid (ids, markers and the ``{id}`` of a show), refuses unknown query
parameters, and replaces Nova's ``/search`` and ``/servers`` routes with
the ``hypervisor_hostname_pattern`` and ``with_servers`` parameters; 2.75
shows an asked-for server list even when empty; 2.88 drops the inventory
and usage fields and adds ``uptime`` (minova.api.views.hypervisors).

Routes Nova has since removed are served in their versions: ``/statistics``
and ``/{id}/uptime`` up to 2.87, ``/{pattern}/search`` and
``/{pattern}/servers`` up to 2.52; later they are a 404 as an unknown URL.
"""

import re

import oslo_messaging as messaging
import webob.exc
from oslo_log import log as logging
from oslo_utils import strutils, uuidutils

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.openstack import pagination, query
from minova.api.schemas import hypervisors as schema
from minova.api.schemas import parameter_types
from minova.api.views import hypervisors as hypervisors_view
from minova.api.views import links
from minova.compute.host_api import HostAPI
from minova.policies import hypervisors as hv_policies

LOG = logging.getLogger(__name__)

UUID_FOR_ID_MIN_VERSION = hypervisors_view.UUID_FOR_ID_MIN_VERSION
PAGING_MIN_VERSION = "2.33"
# The last versions of the routes Nova folded into others.
MAX_SEARCH_VERSION = "2.52"
MAX_UPTIME_STATISTICS_VERSION = "2.87"

# The query parameters 2.53 accepts (any other is a 400 from then on).
_LIST_QUERY_V253 = ("limit", "marker", "hypervisor_hostname_pattern", "with_servers")
_SHOW_QUERY_V253 = ("with_servers",)
# Nova's parameter_types.fqdn: what a hostname pattern may contain.
_FQDN = re.compile(r"^[a-zA-Z0-9-._]{1,255}$")


def _check_query(req: wsgi.Request, allowed: tuple[str, ...]) -> dict[str, str]:
    """The query parameters of a 2.53 request, each given at most once, as Nova's
    query schema checks them; 400 for any other parameter."""
    params = query.single_values(req, allowed)
    if "with_servers" in params and params["with_servers"] not in parameter_types.boolean["enum"]:
        raise query.invalid("with_servers", params["with_servers"],
                            f"'{params['with_servers']}' is not a boolean")
    pattern = params.get("hypervisor_hostname_pattern")
    if pattern is not None and not _FQDN.match(pattern):
        raise query.invalid("hypervisor_hostname_pattern", pattern,
                            f"'{pattern}' does not match '^[a-zA-Z0-9-._]*$'")
    return params


def _hostname_matches(pattern: str) -> re.Pattern:
    """Nova's ``hypervisor_hostname LIKE '%pattern%'`` (``_`` is any one
    character; case-insensitive, as on MySQL)."""
    body = "".join("." if char == "_" else re.escape(char) for char in pattern)
    return re.compile(body, re.IGNORECASE)


def _served_up_to(req: wsgi.Request, max_version: str) -> None:
    """404, as an unknown URL, for a route past its last version."""
    if not req.is_microversion("2.1", max_version):
        raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")


def _statistics(nodes: list[dict]) -> dict:
    """Nova's sums over the compute nodes of enabled compute services."""
    counted = [node for node in nodes
               if node.get("service") and not node["service"].get("disabled")]
    keys = ("vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used",
            "local_gb_used", "running_vms")
    stats = {key: sum(node[key] for node in counted) for key in keys}
    stats["free_ram_mb"] = stats["memory_mb"] - stats["memory_mb_used"]
    stats["free_disk_gb"] = stats["local_gb"] - stats["local_gb_used"]
    # As the detail view: minova's nodes report free disk as the least available.
    stats["disk_available_least"] = stats["free_disk_gb"]
    stats["current_workload"] = 0
    stats["count"] = len(counted)
    return stats


class HypervisorsController:
    """Controller of ``/os-hypervisors``."""

    def __init__(self, host_api: HostAPI) -> None:
        self.host_api = host_api

    @validation.response_body_schema(schema.index_response, "2.1", "2.52")
    @validation.response_body_schema(schema.index_response_v253, UUID_FOR_ID_MIN_VERSION,
                                     "2.87")
    @validation.response_body_schema(schema.index_response_v288,
                                     hypervisors_view.NO_USAGE_MIN_VERSION)
    def index(self, req: wsgi.Request) -> dict:
        policy.authorize(req.context, hv_policies.BASE_POLICY_NAME % "list", {})
        return self._list(req, detail=False)

    @validation.response_body_schema(schema.detail_response, "2.1", "2.52")
    @validation.response_body_schema(schema.detail_response_v253, UUID_FOR_ID_MIN_VERSION,
                                     "2.87")
    @validation.response_body_schema(schema.detail_response_v288,
                                     hypervisors_view.NO_USAGE_MIN_VERSION)
    def detail(self, req: wsgi.Request) -> dict:
        policy.authorize(req.context, hv_policies.BASE_POLICY_NAME % "list-detail", {})
        return self._list(req, detail=True)

    def _list(self, req: wsgi.Request, detail: bool) -> dict:
        context = req.context
        uuid_for_id = req.is_microversion(UUID_FOR_ID_MIN_VERSION)
        params = _check_query(req, _LIST_QUERY_V253) if uuid_for_id else {}
        pattern = params.get("hypervisor_hostname_pattern")
        with_servers = strutils.bool_from_string(params.get("with_servers", False))
        paged = req.is_microversion(PAGING_MIN_VERSION)

        nodes = self.host_api.compute_node_get_all(context)
        if pattern is not None:
            if "limit" in params or "marker" in params:
                raise webob.exc.HTTPBadRequest(
                    explanation="Paging over hypervisors with the "
                    "hypervisor_hostname_pattern query parameter is not supported.")
            matcher = _hostname_matches(pattern)
            nodes = [node for node in nodes if matcher.search(node["hypervisor_hostname"])]
            if not nodes:
                raise webob.exc.HTTPNotFound(
                    explanation=f"No hypervisor matching '{pattern}' could be found.")
            paged = False  # a next link would ask for paging with the pattern
        elif paged:
            limit, marker = pagination.get_limit_and_marker(req)
            nodes = pagination.page(nodes, limit, marker, "uuid" if uuid_for_id else "id")

        view = self._detail if detail else hypervisors_view.summary
        hypervisors = [view(req, node, self._servers(req, node) if with_servers else None)
                       for node in nodes]
        body = {"hypervisors": hypervisors}
        if paged:
            collection = "os-hypervisors/detail" if detail else "os-hypervisors"
            next_links = links.collection_links(req, hypervisors, collection, "id")
            if next_links:
                body["hypervisors_links"] = next_links
        return body

    def _servers(self, req: wsgi.Request, node: dict) -> list[dict]:
        """The servers on the node (minova runs one node per compute host)."""
        return self.host_api.instance_get_all_by_host(req.context, node["host"])

    @validation.response_body_schema(schema.show_response, "2.1", "2.52")
    @validation.response_body_schema(schema.show_response_v253, UUID_FOR_ID_MIN_VERSION,
                                     "2.87")
    @validation.response_body_schema(schema.show_response_v288,
                                     hypervisors_view.NO_USAGE_MIN_VERSION)
    def show(self, req: wsgi.Request, id: str) -> dict:
        context = req.context
        policy.authorize(context, hv_policies.BASE_POLICY_NAME % "show", {})
        with_servers = False
        if req.is_microversion(UUID_FOR_ID_MIN_VERSION):
            params = _check_query(req, _SHOW_QUERY_V253)
            with_servers = strutils.bool_from_string(params.get("with_servers", False))
        node = self._node(req, id)
        servers = self._servers(req, node) if with_servers else None
        return {"hypervisor": self._detail(req, node, servers)}

    def _detail(self, req: wsgi.Request, node: dict, servers: list[dict] | None) -> dict:
        """The detail view; from 2.88 with the host's ``uptime``, asked of
        each up host as Nova asks (null for a down host or one that cannot
        answer: the list is not failed for one host)."""
        hypervisor = hypervisors_view.detail(req, node, servers)
        if "uptime" in hypervisor and (node.get("service") or {}).get("state") == "up":
            try:
                hypervisor["uptime"] = self.host_api.get_host_uptime(req.context, node["host"])
            except (NotImplementedError, messaging.MessagingException):
                LOG.info("No uptime from %s for the hypervisor view", node["host"])
        return hypervisor

    def _node(self, req: wsgi.Request, id: str) -> dict:
        """The node a show names (an integer id, from 2.53 a uuid): 404 for an
        unknown one, 400 for a malformed uuid from 2.53."""
        not_found = webob.exc.HTTPNotFound(
            explanation=f"Hypervisor with ID '{id}' could not be found.")
        node_id: int | str
        if req.is_microversion(UUID_FOR_ID_MIN_VERSION):
            if not uuidutils.is_uuid_like(id):
                raise webob.exc.HTTPBadRequest(explanation=f"Invalid uuid {id}")
            node_id = id
        else:
            try:
                node_id = int(id)
            except ValueError:
                raise not_found from None
        try:
            return self.host_api.compute_node_get(req.context, node_id)
        except exception.NotFound:
            raise not_found from None

    @validation.response_body_schema(schema.uptime_response, "2.1", "2.52")
    @validation.response_body_schema(schema.uptime_response_v253, UUID_FOR_ID_MIN_VERSION,
                                     MAX_UPTIME_STATISTICS_VERSION)
    def uptime(self, req: wsgi.Request, id: str) -> dict:
        """A hypervisor with what ``uptime`` prints on its host (up to 2.87)."""
        _served_up_to(req, MAX_UPTIME_STATISTICS_VERSION)
        policy.authorize(req.context, hv_policies.BASE_POLICY_NAME % "uptime", {})
        node = self._node(req, id)
        if (node.get("service") or {}).get("state") != "up":
            raise webob.exc.HTTPBadRequest(
                explanation=f"Compute service of {node['host']} is unavailable at this time.")
        try:
            uptime = self.host_api.get_host_uptime(req.context, node["host"])
        except NotImplementedError:
            raise webob.exc.HTTPNotImplemented(
                explanation="The requested functionality is not supported.") from None
        hypervisor = hypervisors_view.summary(req, node)
        hypervisor["uptime"] = uptime
        return {"hypervisor": hypervisor}

    @validation.response_body_schema(schema.statistics_response, "2.1",
                                     MAX_UPTIME_STATISTICS_VERSION)
    def statistics(self, req: wsgi.Request) -> dict:
        """Sums over the enabled compute nodes (up to 2.87)."""
        _served_up_to(req, MAX_UPTIME_STATISTICS_VERSION)
        policy.authorize(req.context, hv_policies.BASE_POLICY_NAME % "statistics", {})
        nodes = self.host_api.compute_node_get_all(req.context)
        return {"hypervisor_statistics": _statistics(nodes)}

    def _matching(self, req: wsgi.Request, pattern: str) -> list[dict]:
        matcher = _hostname_matches(pattern)
        nodes = [node for node in self.host_api.compute_node_get_all(req.context)
                 if matcher.search(node["hypervisor_hostname"])]
        if not nodes:
            raise webob.exc.HTTPNotFound(
                explanation=f"No hypervisor matching '{pattern}' could be found.")
        return nodes

    @validation.response_body_schema(schema.search_response, "2.1", MAX_SEARCH_VERSION)
    def search(self, req: wsgi.Request, id: str) -> dict:
        """The hypervisors whose hostname contains ``id`` (up to 2.52)."""
        _served_up_to(req, MAX_SEARCH_VERSION)
        policy.authorize(req.context, hv_policies.BASE_POLICY_NAME % "search", {})
        return {"hypervisors": [hypervisors_view.summary(req, node)
                                for node in self._matching(req, id)]}

    @validation.response_body_schema(schema.servers_response, "2.1", MAX_SEARCH_VERSION)
    def servers(self, req: wsgi.Request, id: str) -> dict:
        """The hypervisors whose hostname contains ``id``, with their servers
        (shown when there are any), up to 2.52."""
        _served_up_to(req, MAX_SEARCH_VERSION)
        policy.authorize(req.context, hv_policies.BASE_POLICY_NAME % "servers", {})
        return {"hypervisors": [hypervisors_view.summary(req, node, self._servers(req, node))
                                for node in self._matching(req, id)]}
