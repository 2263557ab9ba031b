"""The conductor's server group endpoints (RPC 1.3).

Thin doors onto ``minova.db.server_groups``, which scopes every read to
the caller's project (another project's group is not found) unless the
caller is an admin. Where a group's policy is enforced is elsewhere: the
scheduler's filters choose hosts, and the claim (``minova.db.claims``)
refuses a host that would break a hard policy.
"""

import oslo_messaging as messaging
from oslo_log import log as logging

from minova.db import server_groups as db_server_groups

LOG = logging.getLogger(__name__)


class ServerGroupManager:
    """Endpoints on the ``conductor`` topic for server groups."""

    # 1.6: server_group_uuids_for_instance
    target = messaging.Target(version="1.6")

    def __init__(self, host: str | None = None) -> None:
        self.host = host

    def server_group_create(self, ctxt, name: str, policy: str,
                            rules: dict | None = None) -> dict:
        group = db_server_groups.create(ctxt, name, policy, rules)
        LOG.info("Server group %s (%s, %s) created", group["uuid"], name, policy)
        return group

    def server_group_get(self, ctxt, group_uuid: str) -> dict:
        return db_server_groups.get(ctxt, group_uuid)

    def server_group_get_all(self, ctxt, all_projects: bool = False, limit: int | None = None,
                             offset: int = 0) -> list[dict]:
        return db_server_groups.get_all(ctxt, all_projects=all_projects, limit=limit,
                                        offset=offset)

    def server_group_delete(self, ctxt, group_uuid: str) -> None:
        db_server_groups.delete(ctxt, group_uuid)
        LOG.info("Server group %s deleted", group_uuid)

    def server_group_uuids_for_instance(self, ctxt, instance_uuid: str) -> list[str]:
        return db_server_groups.uuids_for_instance(ctxt, instance_uuid)
