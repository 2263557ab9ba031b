"""The compute API facade the REST layer uses: turns "create this server" into RPC.

It lives in the api process. It never opens the database: a create is one
call to the conductor (record the instances) and one cast (build them).
"""

import uuid as uuidlib

from oslo_log import log as logging

from minova import exception
from minova.compute import rpcapi as compute_rpcapi
from minova.conductor import rpcapi as conductor_rpcapi
from minova.context import RequestContext
from minova.objects import actions, states

LOG = logging.getLogger(__name__)


class API:
    def __init__(self, conductor_api=None, compute_rpc=None) -> None:
        self.conductor_api = conductor_api or conductor_rpcapi.ConductorAPI()
        self.compute_rpc = compute_rpc or compute_rpcapi.ComputeAPI()

    def create(self, ctxt: RequestContext, *, name: str, flavor_ref, image_ref,
               availability_zone: str | None = None, metadata: dict | None = None,
               min_count: int = 1, max_count: int = 1, key_name: str | None = None,
               access_ip_v4: str | None = None, access_ip_v6: str | None = None,
               config_drive=None, scheduler_hints: dict | None = None,
               user_data: str | None = None) -> tuple[list[dict], str]:
        """Record the instances (BUILD/scheduling) and cast their build."""
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
        }
        count = max(min_count, max_count)
        created = self.conductor_api.create_instances(
            ctxt, base=base, count=count,
            request_spec={"availability_zone": availability_zone,
                          "scheduler_hints": scheduler_hints or {}})
        instances = created["instances"]
        self.conductor_api.build_instances(ctxt, [i["uuid"] for i in instances],
                                           created["request_spec"])
        return instances, reservation_id

    def get(self, ctxt: RequestContext, instance_uuid: str) -> dict:
        return self.conductor_api.instance_get(ctxt, instance_uuid)

    def get_all(self, ctxt: RequestContext, *, filters: dict | None = None,
                limit: int | None = None, marker: str | None = None,
                sort_keys: list | None = None, sort_dirs: list | None = None) -> list[dict]:
        filters = dict(filters or {})
        if not ctxt.is_admin:
            filters["project_id"] = ctxt.project_id
        return self.conductor_api.instance_get_all(ctxt, filters=filters, limit=limit,
                                                   marker=marker, sort_keys=sort_keys,
                                                   sort_dirs=sort_dirs)

    def delete(self, ctxt: RequestContext, instance_uuid: str) -> None:
        self.conductor_api.delete_instance(ctxt, instance_uuid)

    # --- lifecycle actions

    def _start(self, ctxt: RequestContext, instance: dict, action: str, vm_states: list,
               task_states: list, task_state: str) -> dict:
        if not instance.get("host"):
            # Never placed (or its build failed): no hypervisor holds a guest.
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        return self.conductor_api.start_instance_action(
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

    def reboot(self, ctxt: RequestContext, instance: dict, reboot_type: str) -> None:
        reboot_type = reboot_type.upper()
        vm_states, task_states, task_state = REBOOT_RULES[reboot_type]
        instance = self._start(ctxt, instance, actions.REBOOT, vm_states, task_states,
                               task_state)
        self.compute_rpc.reboot_instance(ctxt, instance["host"], instance, reboot_type)

    def get_console_output(self, ctxt: RequestContext, instance: dict,
                           tail_length: int | None = None) -> str:
        if not instance.get("host"):
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        return self.compute_rpc.get_console_output(ctxt, instance["host"], instance,
                                                   tail_length)


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
}

# A soft reboot needs a running, idle guest; a hard one may start from more
# states and may interrupt a reboot that is stuck, as in Nova.
REBOOT_RULES = {
    "SOFT": ([states.ACTIVE], [None], states.REBOOTING),
    "HARD": ([states.ACTIVE, states.STOPPED, states.PAUSED, states.SUSPENDED, states.ERROR],
             [None, states.REBOOTING, states.REBOOTING_HARD], states.REBOOTING_HARD),
}
