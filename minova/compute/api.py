"""The compute API facade the REST layer uses: turns "create this server" into RPC.

It lives in the api process. It never opens the database: a create is one
call to the conductor (``schedule_and_build_instances``: record the
instances, answer, then build them), through the conductor's
ComputeTaskAPI.
"""

import uuid as uuidlib

from oslo_log import log as logging

from minova import exception
from minova.compute import rescue_api, shelve_api
from minova.compute import rpcapi as compute_rpcapi
from minova.compute.move_api import MoveAPI
from minova.conductor import api as conductor_task_api
from minova.conductor import rpcapi as conductor_rpcapi
from minova.context import RequestContext
from minova.objects import actions, states

LOG = logging.getLogger(__name__)


class API(rescue_api.RescueAPIMixin, shelve_api.ShelveAPI, MoveAPI):
    def __init__(self, conductor_api=None, compute_rpc=None, compute_task_api=None) -> None:
        self.conductor_api = conductor_api or conductor_rpcapi.ConductorAPI()
        self.compute_rpc = compute_rpc or compute_rpcapi.ComputeAPI()
        self.compute_task_api = compute_task_api or conductor_task_api.ComputeTaskAPI()

    def create(self, ctxt: RequestContext, *, name: str, flavor_ref, image_ref,
               availability_zone: str | None = None, metadata: dict | None = None,
               min_count: int = 1, max_count: int = 1, key_name: str | None = None,
               access_ip_v4: str | None = None, access_ip_v6: str | None = None,
               config_drive=None, scheduler_hints: dict | None = None,
               user_data: str | None = None, description: str | None = None,
               tags: list[str] | None = None,
               trusted_certs: list[str] | None = None,
               requested_host: str | None = None,
               requested_node: str | None = None,
               hostname: str | None = None) -> tuple[list[dict], str]:
        """Record the instances (BUILD/scheduling) and have the conductor build them.

        ``hostname`` (API 2.90) is the guest's; without it the conductor
        derives one from the name.
        """
        reservation_id = "r-" + uuidlib.uuid4().hex[:8]
        base = {
            "display_name": name,
            "flavor_ref": str(flavor_ref),
            "image_ref": image_ref or None,
            "metadata": dict(metadata or {}),
            "key_name": key_name,
            "access_ip_v4": access_ip_v4,
            "access_ip_v6": access_ip_v6,
            "config_drive": "True" if config_drive in (True, "True", "true") else "",
            "reservation_id": reservation_id,
            "description": description,
            "user_data": user_data,
        }
        if tags:
            base["tags"] = list(tags)
        if trusted_certs:
            base["trusted_certs"] = list(trusted_certs)
        if hostname:
            base["hostname"] = hostname
        count = max(min_count, max_count)
        # Chosen here, as Nova's api does, so that the conductor can tell a
        # create sent again (its first answer was lost) from a new one.
        instance_uuids = [str(uuidlib.uuid4()) for _ in range(count)]
        instances = self.compute_task_api.schedule_and_build_instances(
            ctxt, base=base, count=count, instance_uuids=instance_uuids,
            request_spec={"availability_zone": availability_zone,
                          "scheduler_hints": scheduler_hints or {},
                          "min_count": min(min_count, count),
                          "requested_destination": {"host": requested_host,
                                                    "node": requested_node}
                          if requested_host or requested_node else None})
        return instances, reservation_id

    def get(self, ctxt: RequestContext, instance_uuid: str,
            read_deleted: bool = False) -> dict:
        """The instance; a deleted one too with ``read_deleted`` (its actions
        stay readable from API 2.21)."""
        if read_deleted:
            return self.conductor_api.instance_get(ctxt, instance_uuid, read_deleted=True)
        return self.conductor_api.instance_get(ctxt, instance_uuid)

    def get_all(self, ctxt: RequestContext, *, filters: dict | None = None,
                limit: int | None = None, marker: str | None = None,
                sort_keys: list | None = None, sort_dirs: list | None = None,
                columns: list[str] | None = None) -> list[dict]:
        """The instances matching, each with only ``columns`` (and ``fault``,
        ``tags`` when named) when given: a list view reads far less than the
        full row, and the whole row of 1000 instances is slow to send."""
        filters = dict(filters or {})
        if not ctxt.is_admin:
            filters["project_id"] = ctxt.project_id
        return self.conductor_api.instance_get_all(ctxt, filters=filters, limit=limit,
                                                   marker=marker, sort_keys=sort_keys,
                                                   sort_dirs=sort_dirs, columns=columns)

    def delete(self, ctxt: RequestContext, instance_uuid: str,
               instance: dict | None = None) -> None:
        """Start deleting the server; ``instance`` as the caller read it, for
        Nova's lock check (409 for a project's delete of a locked server)."""
        if instance is not None:
            check_instance_lock(ctxt, instance)
        self.compute_task_api.delete_instance(ctxt, instance_uuid)

    def soft_delete(self, ctxt: RequestContext, instance: dict) -> None:
        """Nova's deferred delete (``[DEFAULT] reclaim_instance_interval`` > 0):
        any state, but only a server that was launched once (else
        InstanceInvalidState, and the caller deletes it for good)."""
        check_instance_lock(ctxt, instance)
        if not instance.get("launched_at"):
            raise exception.InstanceInvalidState(
                action="soft_delete", instance_uuid=instance["uuid"], attr="launched_at",
                state=None)
        self.compute_task_api.soft_delete_instance(ctxt, instance["uuid"])

    def force_delete(self, ctxt: RequestContext, instance: dict) -> None:
        """forceDelete: delete now, in any vm_state but only while idle (Nova)."""
        check_instance_lock(ctxt, instance)
        if instance["task_state"] is not None:
            raise exception.InstanceInvalidState(
                action="forceDelete", instance_uuid=instance["uuid"], attr="task_state",
                state=instance["task_state"])
        self.compute_task_api.delete_instance(ctxt, instance["uuid"])

    def restore(self, ctxt: RequestContext, instance: dict) -> None:
        """Bring a soft-deleted server back: its host powers the guest on.

        Nova checks the project's quota for one more instance of the
        server's flavor first (TooManyInstances, 403), although the
        soft-deleted server is still counted: at its limit, a project
        cannot restore. Like Nova's, the check is not repeated atomically."""
        check_instance_lock(ctxt, instance)
        # Nova checks the state before the quota: a server that is not
        # soft-deleted is a 409 whatever the quota (the conductor's
        # compare-and-swap checks it again).
        vm_states, task_states = LIFECYCLE_RULES[actions.RESTORE][:2]
        for attr, allowed in (("vm_state", vm_states), ("task_state", task_states)):
            if instance[attr] not in allowed:
                raise exception.InstanceInvalidState(
                    action=actions.RESTORE, instance_uuid=instance["uuid"], attr=attr,
                    state=instance[attr])
        self._check_one_more(ctxt, instance)
        self._lifecycle(ctxt, instance, actions.RESTORE)

    def _check_one_more(self, ctxt: RequestContext, instance: dict) -> None:
        quota = self.conductor_api.quota_get(ctxt, instance["project_id"], usages=True)
        limits, used = quota["limits"], quota["in_use"]
        wanted = {"instances": 1, "cores": instance["vcpus"], "ram": instance["memory_mb"]}
        overs = sorted(r for r, n in wanted.items()
                       if limits.get(r, -1) >= 0 and used.get(r, 0) + n > limits[r])
        if overs:
            raise exception.TooManyInstances(
                overs=", ".join(overs), req=", ".join(str(wanted[r]) for r in overs),
                used=", ".join(str(used.get(r, 0)) for r in overs),
                allowed=", ".join(str(limits[r]) for r in overs))

    def get_server_groups(self, ctxt: RequestContext, instance_uuid: str) -> list[str]:
        """The uuids of the server groups the instance belongs to (API 2.71)."""
        return self.conductor_api.server_group_uuids_for_instance(ctxt, instance_uuid)

    def get_instances_host_statuses(self, ctxt: RequestContext,
                                    instances: list[dict]) -> dict[str, str]:
        """Nova's ``host_status`` of each instance (by uuid): how its host's
        compute service is, so a user can tell a stuck server from a lost host."""
        hosts = {inst["host"] for inst in instances if inst.get("host")}
        services: dict[str, dict] = {}
        if hosts:
            only = next(iter(hosts)) if len(hosts) == 1 else None
            for service in self.conductor_api.service_get_all(
                    ctxt, binary=COMPUTE_BINARY, host=only):
                services[service["host"]] = service
        return {inst["uuid"]: host_status(services.get(inst.get("host") or ""))
                for inst in instances}

    # --- lifecycle actions

    def _start(self, ctxt: RequestContext, instance: dict, action: str, vm_states: list,
               task_states: list, task_state: str) -> dict:
        check_instance_lock(ctxt, instance)
        if not instance.get("host"):
            # Never placed (or its build failed): no hypervisor holds a guest.
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        return self.compute_task_api.start_instance_action(
            ctxt, instance["uuid"], action, vm_states, task_states, task_state)

    def _lifecycle(self, ctxt: RequestContext, instance: dict, action: str, **kwargs) -> None:
        vm_states, task_states, task_state, method = LIFECYCLE_RULES[action]
        instance = self._start(ctxt, instance, action, vm_states, task_states, task_state)
        getattr(self.compute_rpc, method)(ctxt, instance["host"], instance, **kwargs)

    def stop(self, ctxt: RequestContext, instance: dict, clean_shutdown: bool = True) -> None:
        self._lifecycle(ctxt, instance, actions.STOP, clean_shutdown=clean_shutdown)

    def start(self, ctxt: RequestContext, instance: dict) -> None:
        self._lifecycle(ctxt, instance, actions.START)

    def pause(self, ctxt: RequestContext, instance: dict) -> None:
        self._lifecycle(ctxt, instance, actions.PAUSE)

    def unpause(self, ctxt: RequestContext, instance: dict) -> None:
        self._lifecycle(ctxt, instance, actions.UNPAUSE)

    def suspend(self, ctxt: RequestContext, instance: dict) -> None:
        self._lifecycle(ctxt, instance, actions.SUSPEND)

    def resume(self, ctxt: RequestContext, instance: dict) -> None:
        self._lifecycle(ctxt, instance, actions.RESUME)

    def trigger_crash_dump(self, ctxt: RequestContext, instance: dict) -> None:
        """API 2.17: the action is recorded and the host injects an NMI; the
        task_state stays as it is (idle), as in Nova."""
        instance = self._start(ctxt, instance, actions.TRIGGER_CRASH_DUMP,
                               ALLOW_TRIGGER_CRASH_DUMP, [None], None)
        self.compute_rpc.trigger_crash_dump(ctxt, instance["host"], instance)

    def reboot(self, ctxt: RequestContext, instance: dict, reboot_type: str) -> None:
        reboot_type = reboot_type.upper()
        vm_states, task_states, task_state = REBOOT_RULES[reboot_type]
        instance = self._start(ctxt, instance, actions.REBOOT, vm_states, task_states,
                               task_state)
        self.compute_rpc.reboot_instance(ctxt, instance["host"], instance, reboot_type)

    def rebuild(self, ctxt: RequestContext, instance: dict, image_ref: str,
                changes: dict, preserve_ephemeral: bool = False,
                files: list | None = None) -> dict:
        """Rebuild the server from ``image_ref`` (Nova's API.rebuild): the
        conductor checks and records it (REBUILDING) and answers with the
        instance; the rebuild goes on on its host. A locked server is its
        project's to rebuild only once unlocked (Nova's check_instance_lock)."""
        check_instance_lock(ctxt, instance)
        if not instance.get("host"):
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        return self.compute_task_api.rebuild_instance(
            ctxt, instance["uuid"], image_ref, changes,
            preserve_ephemeral=preserve_ephemeral, files=files)

    def get_console_output(self, ctxt: RequestContext, instance: dict,
                           tail_length: int | None = None) -> str:
        if not instance.get("host"):
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        return self.compute_rpc.get_console_output(ctxt, instance["host"], instance,
                                                   tail_length)

    # --- the lock (Nova's lock/unlock) and an admin's state reset: database
    # writes the conductor makes and records as instance actions

    @staticmethod
    def is_expected_locked_by(ctxt: RequestContext, instance: dict) -> bool:
        """False when the server is locked by the other side (its owner, or
        an admin): unlocking it then needs the ``unlock_override`` rule."""
        is_owner = instance["project_id"] == ctxt.project_id
        locked_by = instance.get("locked_by")
        return not locked_by or locked_by == ("owner" if is_owner else "admin")

    def lock(self, ctxt: RequestContext, instance: dict, reason: str | None = None) -> dict:
        return self.conductor_api.server_lock(ctxt, instance["uuid"], reason=reason)

    def unlock(self, ctxt: RequestContext, instance: dict) -> dict:
        return self.conductor_api.server_unlock(ctxt, instance["uuid"])

    def reset_state(self, ctxt: RequestContext, instance: dict, vm_state: str) -> dict:
        return self.conductor_api.server_reset_state(ctxt, instance["uuid"], vm_state)

    # --- diagnostics: asked of the host (a running guest, else 409)

    def get_instance_diagnostics(self, ctxt: RequestContext, instance: dict) -> dict:
        """API 2.48's diagnostics (``minova.virt.diagnostics``)."""
        if not instance.get("host"):
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        return self.compute_rpc.get_instance_diagnostics(ctxt, instance["host"], instance)

    def get_diagnostics(self, ctxt: RequestContext, instance: dict) -> dict:
        """The driver's own diagnostics, before API 2.48."""
        if not instance.get("host"):
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        return self.compute_rpc.get_diagnostics(ctxt, instance["host"], instance)

    # --- what a user changes on a server: no compute host is involved; the
    # conductor checks the state Nova allows each change in, with the write

    def update_instance(self, ctxt: RequestContext, instance_uuid: str,
                        values: dict) -> dict:
        """Rename, describe, re-address or re-hostname a server (any state); the
        instance after."""
        return self.conductor_api.server_update(ctxt, instance_uuid, values)

    def update_instance_metadata(self, ctxt: RequestContext, instance_uuid: str,
                                 metadata: dict, delete: bool = False) -> dict:
        """Merge (``delete``: replace) the server's metadata; the metadata after."""
        return self.conductor_api.server_metadata_update(ctxt, instance_uuid, metadata,
                                                         delete=delete)

    def delete_instance_metadata(self, ctxt: RequestContext, instance_uuid: str,
                                 key: str) -> None:
        self.conductor_api.server_metadata_delete(ctxt, instance_uuid, key)

    def add_tag(self, ctxt: RequestContext, instance_uuid: str, tag: str) -> bool:
        """True if added, False if the server had the tag already."""
        return self.conductor_api.server_tag_add(ctxt, instance_uuid, tag)

    def set_tags(self, ctxt: RequestContext, instance_uuid: str,
                 tags: list[str]) -> list[str]:
        return self.conductor_api.server_tags_set(ctxt, instance_uuid, tags)

    def delete_tag(self, ctxt: RequestContext, instance_uuid: str, tag: str) -> None:
        self.conductor_api.server_tag_delete(ctxt, instance_uuid, tag)

    def delete_tags(self, ctxt: RequestContext, instance_uuid: str) -> None:
        self.conductor_api.server_tags_delete_all(ctxt, instance_uuid)

    # --- what happened to a server (os-instance-actions); the conductor
    # scopes them to the caller's servers, deleted ones included (API 2.21)

    def actions_get(self, ctxt: RequestContext, instance_uuid: str) -> list[dict]:
        """The server's actions, newest first, without their events."""
        return self.conductor_api.actions_get(ctxt, instance_uuid)

    def action_get_by_request_id(self, ctxt: RequestContext, instance_uuid: str,
                                 request_id: str) -> dict:
        """The action of the request, with its events (InstanceActionNotFound)."""
        return self.conductor_api.action_get_by_request_id(ctxt, instance_uuid, request_id)


COMPUTE_BINARY = "minova-compute"


def check_instance_lock(ctxt: RequestContext, instance: dict) -> None:
    """Nova's ``check_instance_lock``: a locked server refuses a project's
    actions (409 "Instance ... is locked"); an admin's go through."""
    if instance.get("locked") and not ctxt.is_admin:
        raise exception.InstanceIsLocked(instance_uuid=instance["uuid"])


def host_status(service: dict | None) -> str:
    """UP, DOWN (forced down), MAINTENANCE (disabled), UNKNOWN (not reporting),
    or "" (no host, or no compute service there), checked in Nova's order."""
    if service is None:
        return ""
    if service.get("forced_down"):
        return "DOWN"
    if service.get("disabled"):
        return "MAINTENANCE"
    return "UP" if service.get("state") == "up" else "UNKNOWN"


# Nova's rules for each lifecycle action: the vm_states it may start from,
# the task_states it may interrupt (None: only an idle instance), the
# task_state it sets while it runs, and the compute RPC method that does it.
LIFECYCLE_RULES = {
    actions.STOP: ([states.ACTIVE, states.ERROR], [None], states.POWERING_OFF,
                   "stop_instance"),
    actions.START: ([states.STOPPED], [None], states.POWERING_ON, "start_instance"),
    actions.PAUSE: ([states.ACTIVE], [None], states.PAUSING, "pause_instance"),
    actions.UNPAUSE: ([states.PAUSED], [None], states.UNPAUSING, "unpause_instance"),
    actions.SUSPEND: ([states.ACTIVE], [None], states.SUSPENDING, "suspend_instance"),
    actions.RESUME: ([states.SUSPENDED], [None], states.RESUMING, "resume_instance"),
    actions.RESTORE: ([states.SOFT_DELETED], [None], states.RESTORING, "restore_instance"),
}

# Nova's ALLOW_TRIGGER_CRASH_DUMP, of the vm_states minova has.
ALLOW_TRIGGER_CRASH_DUMP = [states.ACTIVE, states.PAUSED, states.ERROR]

# A soft reboot needs a running, idle guest; a hard one may start from more
# states and may interrupt a reboot that is stuck, as in Nova.
REBOOT_RULES = {
    "SOFT": ([states.ACTIVE], [None], states.REBOOTING),
    "HARD": ([states.ACTIVE, states.STOPPED, states.PAUSED, states.SUSPENDED, states.ERROR],
             [None, states.REBOOTING, states.REBOOTING_HARD], states.REBOOTING_HARD),
}
