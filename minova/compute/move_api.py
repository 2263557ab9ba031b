"""The api's facade of cold migration and resize (Nova's ``API.resize``,
``confirm_resize``, ``revert_resize``), mixed into ``minova.compute.api.API``.

Each is one call to the conductor (RPC 1.18), which checks and records and
answers before the move goes on by casts: the 4xx of a bad request comes
back from that call, with nothing changed. A locked server is its
project's to move only once unlocked (Nova's ``check_instance_lock``).
"""

from minova import exception
from minova.context import RequestContext

_CONDUCTOR_VERSION = "1.18"


class MoveAPI:
    """Needs ``compute_task_api`` (the conductor facade) from ``API``."""

    def _moves(self, instance: dict, action: str):
        rpc = self.compute_task_api.rpcapi
        if not rpc.can_send_version(_CONDUCTOR_VERSION):
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=instance["uuid"], attr="conductor RPC",
                state="version capped below 1.18 ([upgrade_levels] conductor)")
        return rpc

    def _checked(self, ctxt: RequestContext, instance: dict, action: str):
        from minova.compute.api import check_instance_lock
        check_instance_lock(ctxt, instance)
        return self._moves(instance, action)

    def resize(self, ctxt: RequestContext, instance: dict, flavor_ref: str | None = None,
               host: str | None = None) -> dict:
        """Resize to ``flavor_ref``, or cold-migrate (no flavor; ``host``: API
        2.56's destination). Answered once the move is recorded (RESIZE)."""
        action = "resize" if flavor_ref is not None else "migrate"
        rpc = self._checked(ctxt, instance, action)
        if not instance.get("host"):
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        return rpc.migrate_server(ctxt, instance["uuid"], flavor_ref=flavor_ref, host=host)

    def confirm_resize(self, ctxt: RequestContext, instance: dict) -> None:
        self._checked(ctxt, instance, "confirmResize").confirm_resize(ctxt, instance["uuid"])

    def revert_resize(self, ctxt: RequestContext, instance: dict) -> None:
        self._checked(ctxt, instance, "revertResize").revert_resize(ctxt, instance["uuid"])
