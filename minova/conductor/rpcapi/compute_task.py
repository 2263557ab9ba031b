"""``ComputeTaskAPI``: what the api and the compute hosts ask of the
conductor's ``ComputeTaskManager`` (a server's build and life)."""

from minova.conductor.rpcapi.client import _Client
from minova.conductor.rpcapi.moves import MovesAPI
from minova.context import RequestContext


class ComputeTaskAPI(MovesAPI, _Client):
    """What the api and the compute hosts ask of the conductor's ComputeTaskManager."""

    # --- create and build (the api, through minova.conductor.api)

    def schedule_and_build_instances(self, ctxt: RequestContext, base: dict, count: int,
                                     request_spec: dict,
                                     instance_uuids: list[str] | None = None) -> list[dict]:
        """Record ``count`` instances in BUILD/scheduling and start building them (1.9).

        Returns ``[{"uuid", "display_name"}, ...]``, what the 202 answer shows;
        scheduling, claiming and the cast to a compute host go on in the
        conductor after the answer. ``instance_uuids`` (1.11, one per
        instance): the call may be sent again with the same ones.
        """
        if instance_uuids is not None:
            return self._call(ctxt, "schedule_and_build_instances", version="1.11", base=base,
                              count=count, request_spec=request_spec,
                              instance_uuids=instance_uuids)
        return self._call(ctxt, "schedule_and_build_instances", version="1.9", base=base,
                          count=count, request_spec=request_spec)

    def create_instances(self, ctxt: RequestContext, base: dict, count: int,
                         request_spec: dict) -> dict:
        """Record the instances only (1.0, for a conductor older than 1.9).

        Returns ``{"instances": [...], "request_spec": {...}}``; the spec goes
        on to build_instances.
        """
        return self._call(ctxt, "create_instances", base=base, count=count,
                          request_spec=request_spec)

    def build_instances(self, ctxt: RequestContext, instance_uuids: list[str],
                        request_spec: dict, host_lists: list | None = None) -> None:
        """Schedule, claim and cast recorded instances (1.0, with create_instances)."""
        self._cast(ctxt, "build_instances", instance_uuids=instance_uuids,
                   request_spec=request_spec, host_lists=host_lists)

    def start_instance_action(self, ctxt: RequestContext, instance_uuid: str, action: str,
                              expected_vm_state: list, expected_task_state: list,
                              task_state: str) -> dict:
        """Move an idle instance into ``task_state`` and record the user's action.

        Raises InstanceInvalidState (409) when the instance is not in one of
        the expected states, so of two racing actions only one starts.
        """
        return self._call(ctxt, "start_instance_action", instance_uuid=instance_uuid, action=action,
                          expected_vm_state=expected_vm_state,
                          expected_task_state=expected_task_state, task_state=task_state)

    def delete_instance(self, ctxt: RequestContext, instance_uuid: str) -> None:
        """Start deleting a server wherever it is in its life."""
        return self._call(ctxt, "delete_instance", instance_uuid=instance_uuid)

    def rebuild_instance(self, ctxt: RequestContext, instance_uuid: str, image_ref: str,
                         changes: dict, preserve_ephemeral: bool = False,
                         files: list | None = None) -> dict:
        """Rebuild a server from ``image_ref`` with ``changes`` (1.13): answered
        once it is REBUILDING, with the instance; the 4xx of a bad request
        (image, flavor fit, key pair, quota, state) before anything changed."""
        return self._call(ctxt, "rebuild_instance", version="1.13",
                          instance_uuid=instance_uuid, image_ref=image_ref, changes=changes,
                          preserve_ephemeral=preserve_ephemeral, files=files or [])

    def soft_delete_instance(self, ctxt: RequestContext, instance_uuid: str) -> None:
        """Soft-delete a server (its host powers the guest off; reclaimed later)."""
        self._call(ctxt, "soft_delete_instance", version="1.15", instance_uuid=instance_uuid)

    def unshelve_instance(self, ctxt: RequestContext, instance_uuid: str,
                          new_zone: dict | None = None, host: str | None = None) -> dict:
        """Unshelve a server (1.17): answered once it is ``unshelving``, with
        the instance; ``new_zone`` ``{"availability_zone": ...}`` (2.77),
        ``host`` (2.91) only for an offloaded server."""
        return self._call(ctxt, "unshelve_instance", version="1.17",
                          instance_uuid=instance_uuid, new_zone=new_zone, host=host)

    def shelve_offload_finish(self, ctxt: RequestContext, instance_uuid: str, host: str,
                              event: str | None, expected_task_state: list,
                              error: str | None = None, traceback: str | None = None) -> None:
        """The shelved guest is gone from ``host``: SHELVED_OFFLOADED, its claim
        freed (1.17); ``error``: an unshelve's spawn failed (a fault too)."""
        self._call(ctxt, "shelve_offload_finish", version="1.17",
                   instance_uuid=instance_uuid, host=host, event=event,
                   expected_task_state=expected_task_state, error=error,
                   traceback=traceback)

    # --- build progress (compute hosts)

    def build_started(self, ctxt: RequestContext, instance_uuid: str, host: str) -> dict:
        """The spawn begins (1.0; a compute host of this release does not send it)."""
        return self._call(ctxt, "build_started", instance_uuid=instance_uuid, host=host)

    def build_finished(self, ctxt: RequestContext, instance_uuid: str, host: str,
                       power_state: int, root_device_name: str | None = None,
                       failed_builds_reset: bool = False) -> None:
        """The guest runs: ACTIVE, the build event and the create action finished.

        ``failed_builds_reset``: this host had failed builds in a row before
        this one, so the conductor sets its count back to 0 (1.9; the host
        keeps the count, as Nova's compute does, so a success after a
        success costs no write).
        """
        return self._call(ctxt, "build_finished", version="1.9", instance_uuid=instance_uuid,
                          host=host, power_state=power_state, root_device_name=root_device_name,
                          failed_builds_reset=failed_builds_reset)

    def build_failed(self, ctxt: RequestContext, instance_uuid: str, host: str,
                     node: str, reason: str, details: str, request_spec: dict,
                     alternates: list, reschedule: bool, wait_for_receipt: bool = False) -> None:
        """A spawn failed on ``host``: free its claim, then reschedule or go to ERROR.

        A cast; with ``wait_for_receipt`` a call of the same endpoint (any
        version), answered once the conductor has checked the instance is
        still spawning on ``host`` and taken the work: a cast lost with a
        broker restart would leave the build in BUILD, a call can be sent
        again (``minova.compute.conductor_calls``).
        """
        send = self._call if wait_for_receipt else self._cast
        send(ctxt, "build_failed", instance_uuid=instance_uuid, host=host, node=node,
             reason=reason, details=details, request_spec=request_spec, alternates=alternates,
             reschedule=reschedule)
