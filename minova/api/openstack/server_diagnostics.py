"""``GET /servers/{server_id}/diagnostics``: what the hypervisor says of a
running server (admins, by default).

From 2.48 the standardised shape (``minova.virt.diagnostics``), before it
the driver's own flat names, as in Nova. A server with no host, or whose
guest is not running, is a 409.
"""

from minova.api import validation, wsgi
from minova.api.openstack import server_lookup, servers
from minova.api.schemas import server_diagnostics as schema
from minova.policies import server_diagnostics as sd_policies

STANDARD_VERSION = "2.48"


class ServerDiagnosticsController:
    def __init__(self, compute_api) -> None:
        self.compute_api = compute_api
        self.servers = servers.ServersController(compute_api)

    @validation.response_body_schema(schema.index_response, "2.1", "2.47")
    @validation.response_body_schema(schema.index_response_v248, STANDARD_VERSION)
    def index(self, req: wsgi.Request, server_id: str) -> dict:
        instance = server_lookup.get_authorized(self.servers, req, server_id,
                                                sd_policies.BASE_POLICY_NAME)
        if req.is_microversion(STANDARD_VERSION):
            return self.compute_api.get_instance_diagnostics(req.context, instance)
        return self.compute_api.get_diagnostics(req.context, instance)
