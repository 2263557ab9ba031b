"""The compute hosts as the REST layer sees them: services, compute nodes, zones.

``HostAPI`` serves ``/os-services``, ``/os-hypervisors`` and
``/os-availability-zone`` (a zone is what its compute services say it is,
so the zones are read from the services). Every read and write is the
conductor's; policy (admin-only for most of it) is checked by the
controllers before they ask.
"""

from minova.compute import rpcapi as compute_rpcapi
from minova.conductor import rpcapi as conductor_rpcapi
from minova.context import RequestContext


class HostAPI:
    """Services and compute nodes, through the conductor (and a host's uptime,
    from the host itself)."""

    def __init__(self, conductor_api: conductor_rpcapi.ConductorAPI,
                 compute_rpc: compute_rpcapi.ComputeAPI | None = None) -> None:
        self.conductor_api = conductor_api
        self.compute_rpc = compute_rpc

    def service_get_all(self, ctxt: RequestContext, binary: str | None = None,
                        host: str | None = None) -> list[dict]:
        """The services (of ``binary`` on ``host`` when given), each with its
        ``state`` (up/down) and its ``zone`` (``internal`` unless a compute)."""
        return self.conductor_api.service_get_all(ctxt, binary=binary, host=host)

    def service_update(self, ctxt: RequestContext, values: dict,
                       service_uuid: str | None = None, host: str | None = None,
                       binary: str | None = None) -> dict:
        """Enable, disable or force down the service named by uuid (API 2.53) or by
        host and binary (before); ServiceNotFound / HostBinaryNotFound."""
        return self.conductor_api.service_update(ctxt, values, service_uuid=service_uuid,
                                                 host=host, binary=binary)

    def compute_node_get_all(self, ctxt: RequestContext) -> list[dict]:
        """Every compute node, with its service's state."""
        return self.conductor_api.compute_node_get_all(ctxt)

    def compute_node_get(self, ctxt: RequestContext, compute_node_id: int | str) -> dict:
        """One node by id or (API 2.53) uuid; HypervisorNotFound."""
        return self.conductor_api.compute_node_get(ctxt, compute_node_id)

    def instance_get_all_by_host(self, ctxt: RequestContext, host: str) -> list[dict]:
        """The servers on ``host``, every project's (a hypervisor's ``servers``)."""
        return self.conductor_api.instance_get_all_by_host(ctxt, host)

    def get_host_uptime(self, ctxt: RequestContext, host: str) -> str:
        """What ``uptime`` prints on the compute host ``host`` (compute RPC 1.2);
        NotImplementedError while the computes may not be asked."""
        return self.compute_rpc.get_host_uptime(ctxt, host)
