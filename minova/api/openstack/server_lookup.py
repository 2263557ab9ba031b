"""How a server's sub-resources (metadata, tags, topology) find their server.

The server is looked up first, as the caller may see it, and the policy
rule is checked against its project after: another project's server is a
404 (its existence not revealed), never a 403.
"""

from minova import policy
from minova.api import wsgi
from minova.api.openstack.servers import ServersController


def get_authorized(servers: ServersController, req: wsgi.Request, server_id: str,
                   rule: str) -> dict:
    """The server ``server_id`` once ``rule`` allows the caller on its project."""
    instance = servers.get_instance(req, server_id)
    policy.authorize(req.context, rule, {"project_id": instance["project_id"]})
    return instance
