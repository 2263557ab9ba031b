"""The conductor's orchestration, as the api process uses it (Nova's ComputeTaskAPI).

An in-process facade over ``rpcapi.ComputeTaskAPI``: it hides which RPC
version the conductors speak, so ``minova.compute.api`` asks for "create
and build these" and gets the recorded instances, in one round trip from a
conductor of this release or two (create, then build) from an older one.
"""

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging

from minova import exception
from minova.conductor import rpcapi as conductor_rpcapi
from minova.context import RequestContext

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# What a create is sent again after: no conductor answered, the broker could
# not take the message, or the conductor could not reach its database.
_RETRIABLE = (messaging.MessagingTimeout, messaging.MessageDeliveryFailure,
              exception.ServiceUnavailable)


class ComputeTaskAPI:
    def __init__(self, rpcapi: conductor_rpcapi.ComputeTaskAPI | None = None) -> None:
        self.rpcapi = rpcapi or conductor_rpcapi.ComputeTaskAPI()

    def schedule_and_build_instances(self, ctxt: RequestContext, base: dict, count: int,
                                     request_spec: dict,
                                     instance_uuids: list[str] | None = None) -> list[dict]:
        """Record ``count`` instances in BUILD/scheduling and start building them;
        each one's ``uuid`` and ``display_name``.

        ``base`` holds the columns every instance shares plus ``flavor_ref``;
        ``request_spec`` what the user asked of the placement (zone, hints,
        ``min_count``, ``requested_destination``). Raises the 4xx of a bad
        request before anything is recorded.

        ``instance_uuids`` (Nova's api chooses them too): with a conductor of
        RPC 1.11 the call is idempotent, so when no conductor answers within
        ``[api] conductor_timeout`` it is sent again, up to ``[api]
        create_attempts`` times in all; a conductor that finds the uuids
        recorded answers with those instances. Older conductors get one
        attempt: sending theirs again could record the servers twice.
        """
        if self.rpcapi.can_send_version("1.11") and instance_uuids is not None:
            return self._create_with_retries(ctxt, base, count, request_spec, instance_uuids)
        if self.rpcapi.can_send_version("1.9"):
            return self.rpcapi.schedule_and_build_instances(ctxt, base, count, request_spec)
        created = self.rpcapi.create_instances(ctxt, base, count, request_spec)
        self.rpcapi.build_instances(ctxt, [i["uuid"] for i in created["instances"]],
                                    created["request_spec"])
        return [{"uuid": i["uuid"], "display_name": i["display_name"]}
                for i in created["instances"]]

    def _create_with_retries(self, ctxt: RequestContext, base: dict, count: int,
                             request_spec: dict, instance_uuids: list[str]) -> list[dict]:
        attempts = CONF.api.create_attempts
        for attempt in range(1, attempts + 1):
            try:
                return self.rpcapi.schedule_and_build_instances(
                    ctxt, base, count, request_spec, instance_uuids=instance_uuids)
            except _RETRIABLE as error:
                if attempt == attempts:
                    raise
                LOG.warning("Create of %s: attempt %d of %d failed (%s: %s); sending it "
                            "again", instance_uuids, attempt, attempts,
                            type(error).__name__, error)
        raise AssertionError("unreachable")  # the loop returns or raises

    def delete_instance(self, ctxt: RequestContext, instance_uuid: str) -> None:
        """Start deleting a server wherever it is in its life."""
        self.rpcapi.delete_instance(ctxt, instance_uuid)

    def soft_delete_instance(self, ctxt: RequestContext, instance_uuid: str) -> None:
        """Start a deferred delete ([DEFAULT] reclaim_instance_interval > 0)."""
        self.rpcapi.soft_delete_instance(ctxt, instance_uuid)

    def start_instance_action(self, ctxt: RequestContext, instance_uuid: str, action: str,
                              expected_vm_state: list, expected_task_state: list,
                              task_state: str) -> dict:
        """Move an idle instance into ``task_state`` and record the action (409 if
        it is not in a state the action may start from)."""
        return self.rpcapi.start_instance_action(ctxt, instance_uuid, action,
                                                 expected_vm_state, expected_task_state,
                                                 task_state)

    def rebuild_instance(self, ctxt: RequestContext, instance_uuid: str, image_ref: str,
                         changes: dict, preserve_ephemeral: bool = False,
                         files: list | None = None) -> dict:
        """Rebuild a server (REBUILDING when this returns, with the instance);
        409 from conductors that predate rebuilds (RPC 1.13)."""
        if not self.rpcapi.can_send_version("1.13"):
            raise exception.InstanceInvalidState(
                action="rebuild", instance_uuid=instance_uuid, attr="conductor RPC",
                state="version capped below 1.13 ([upgrade_levels] conductor)")
        return self.rpcapi.rebuild_instance(ctxt, instance_uuid, image_ref, changes,
                                            preserve_ephemeral=preserve_ephemeral,
                                            files=files)

    def unshelve_instance(self, ctxt: RequestContext, instance_uuid: str,
                          new_zone: dict | None = None, host: str | None = None) -> dict:
        """Unshelve a server (UNSHELVING when this returns); 409 from
        conductors that predate it (RPC 1.17)."""
        if not self.rpcapi.can_send_version("1.17"):
            raise exception.InstanceInvalidState(
                action="unshelve", instance_uuid=instance_uuid, attr="conductor RPC",
                state="version capped below 1.17 ([upgrade_levels] conductor)")
        return self.rpcapi.unshelve_instance(ctxt, instance_uuid, new_zone=new_zone,
                                             host=host)
