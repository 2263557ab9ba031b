"""The api's side of rescue and unrescue (Nova's ``API.rescue`` /
``API.unrescue``), mixed into ``minova.compute.api.API``.

Nova's checks in Nova's order: the lock (409), the state (rescue: ACTIVE,
SHUTOFF or ERROR, idle; unrescue: RESCUED, idle; else 409), then the
rescue image (one the caller cannot see: 400). The move to ``rescuing`` /
``unrescuing`` and the action are the conductor's compare-and-swap
(``start_instance_action``), so of a rescue and a racing stop one gets 409;
then a cast to the server's host (compute RPC 1.7), as for stop or start.
"""

from minova import exception
from minova.context import RequestContext
from minova.objects import actions, states

# Nova's @check_instance_state of rescue and unrescue (only idle servers).
RESCUE_VM_STATES = [states.ACTIVE, states.STOPPED, states.ERROR]
UNRESCUE_VM_STATES = [states.RESCUED]


class RescueAPIMixin:
    """``rescue`` / ``unrescue`` for the compute API facade, whose
    ``conductor_api``, ``compute_rpc`` and ``_start`` they use."""

    def _check_rescue_state(self, ctxt: RequestContext, instance: dict, action: str,
                            vm_states: list) -> None:
        # Nova checks the lock first; compute.api imports this module.
        from minova.compute.api import check_instance_lock
        check_instance_lock(ctxt, instance)
        for attr, allowed in (("vm_state", vm_states), ("task_state", [None])):
            if instance[attr] not in allowed:
                raise exception.InstanceInvalidState(
                    action=action, instance_uuid=instance["uuid"], attr=attr,
                    state=instance[attr])
        if not self.compute_rpc.can_rescue():
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=instance["uuid"], attr="compute RPC",
                state="version capped below 1.7 ([upgrade_levels] compute)")

    def rescue(self, ctxt: RequestContext, instance: dict,
               rescue_password: str | None = None, rescue_image_ref: str | None = None,
               clean_shutdown: bool = True) -> None:
        """Start rescuing the server; its host boots it from the rescue image
        (``rescue_image_ref``, else its own image)."""
        self._check_rescue_state(ctxt, instance, actions.RESCUE, RESCUE_VM_STATES)
        if rescue_image_ref:
            try:
                image = self.conductor_api.image_get(ctxt, rescue_image_ref)
            except exception.ImageNotFound:
                raise exception.UnsupportedRescueImage(image=rescue_image_ref) from None
            if image.get("status") != "active":
                # Nova's compute would fail to download it; refused here first.
                raise exception.UnsupportedRescueImage(image=rescue_image_ref)
        instance = self._start(ctxt, instance, actions.RESCUE, RESCUE_VM_STATES, [None],
                               states.RESCUING)
        self.compute_rpc.rescue_instance(ctxt, instance["host"], instance,
                                         rescue_password, rescue_image_ref,
                                         clean_shutdown=clean_shutdown)

    def unrescue(self, ctxt: RequestContext, instance: dict) -> None:
        """Start unrescuing the server: its host boots the original guest again."""
        self._check_rescue_state(ctxt, instance, actions.UNRESCUE, UNRESCUE_VM_STATES)
        instance = self._start(ctxt, instance, actions.UNRESCUE, UNRESCUE_VM_STATES, [None],
                               states.UNRESCUING)
        self.compute_rpc.unrescue_instance(ctxt, instance["host"], instance)
