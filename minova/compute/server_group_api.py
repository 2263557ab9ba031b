"""Server groups, for the REST layer's ``/os-server-groups``.

A group belongs to its project: the conductor answers InstanceGroupNotFound
(404) for another project's unless the caller is an admin, so the
controllers check policy against a group they could see. Instances join a
group only at create (the ``group`` scheduler hint), through the compute
API, never here.
"""

from minova.conductor import rpcapi as conductor_rpcapi
from minova.context import RequestContext


class ServerGroupAPI:
    """Server groups and their members."""

    def __init__(self, conductor_api: conductor_rpcapi.ConductorAPI) -> None:
        self.conductor_api = conductor_api

    def create(self, ctxt: RequestContext, name: str, policy: str,
               rules: dict | None = None) -> dict:
        """A group of the caller's project (QuotaError, 403, over the server_groups quota)."""
        return self.conductor_api.server_group_create(ctxt, name, policy, rules)

    def get(self, ctxt: RequestContext, group_uuid: str) -> dict:
        """The group with its live ``members`` (InstanceGroupNotFound)."""
        return self.conductor_api.server_group_get(ctxt, group_uuid)

    def get_all(self, ctxt: RequestContext, all_projects: bool = False,
                limit: int | None = None, offset: int = 0) -> list[dict]:
        """The caller's project's groups, oldest first; every project's for an admin
        with ``all_projects``."""
        return self.conductor_api.server_group_get_all(ctxt, all_projects=all_projects,
                                                       limit=limit, offset=offset)

    def delete(self, ctxt: RequestContext, group_uuid: str) -> None:
        """Delete the group; its member instances stay."""
        self.conductor_api.server_group_delete(ctxt, group_uuid)
