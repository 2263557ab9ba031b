"""The conductor's endpoints for a server's lock and an admin's state reset
(RPC 1.14): database writes with no compute host involved, as in Nova,
where the api writes them itself. Thin doors onto ``minova.db.server_state``.
"""

import oslo_messaging as messaging

from minova.db import server_state as db_server_state


class ServerStateManager:
    """Endpoints on the ``conductor`` topic: server_lock, server_unlock,
    server_reset_state."""

    # 1.14: server_lock, server_unlock, server_reset_state
    target = messaging.Target(version="1.14")

    def __init__(self, host: str | None = None) -> None:
        self.host = host

    def server_lock(self, ctxt, instance_uuid: str, reason: str | None = None) -> dict:
        return db_server_state.lock(ctxt, instance_uuid, reason, self.host)

    def server_unlock(self, ctxt, instance_uuid: str) -> dict:
        return db_server_state.unlock(ctxt, instance_uuid, self.host)

    def server_reset_state(self, ctxt, instance_uuid: str, vm_state: str) -> dict:
        return db_server_state.reset_state(ctxt, instance_uuid, vm_state)
