"""``GET /servers/{server_id}/topology`` (API 2.78): a server's NUMA topology.

minova builds no guest with a NUMA topology (no ``hw:numa_*``, no CPU
pinning, no huge pages), so every server answers as a Nova server without
one: no nodes, no page size. Below 2.78 the route is a 404, as in Nova.
"""

import webob.exc

from minova.api import validation, wsgi
from minova.api.openstack import server_lookup, servers
from minova.api.schemas import server_topology as schema
from minova.policies import server_topology as st_policies

MIN_VERSION = "2.78"


class ServerTopologyController:
    """Controller of a server's ``topology``."""

    def __init__(self, compute_api) -> None:
        self.servers = servers.ServersController(compute_api)

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request, server_id: str) -> dict:
        if not req.is_microversion(MIN_VERSION):
            raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")
        server_lookup.get_authorized(self.servers, req, server_id,
                                     st_policies.BASE_POLICY_NAME % "index")
        return {"nodes": [], "pagesize_kb": None}
