"""A fake of ``minova.compute.api.API`` over a dict of instances."""

import copy

from minova import exception
from minova.compute import api as compute_api
from minova.compute import rescue_api, shelve_api
from minova.virt import diagnostics

from .base import FakeFacade, only_in_fake
from .data import IMAGE_ID, PROJECT, USER, make_instance, ts


class FakeComputeAPI(FakeFacade):
    """The compute facade over a dict of instances (and of their actions).

    It applies the conductor's rules the REST layer relies on: another
    project's server is not found, metadata and tags change only in Nova's
    states, a lifecycle action only from the states ``LIFECYCLE_RULES``
    allow.
    """

    MUTATING = ("create", "delete", "update_instance", "update_instance_metadata",
                "delete_instance_metadata", "add_tag", "set_tags", "delete_tag", "delete_tags",
                "stop", "start", "pause", "unpause", "suspend", "resume", "reboot",
                "rebuild", "lock", "unlock", "reset_state", "soft_delete", "force_delete",
                "restore", "trigger_crash_dump", "rescue", "unrescue", "resize",
                "confirm_resize", "revert_resize")
    # The vm_states Nova lets metadata and tags change in (the conductor's rule).
    MUTABLE_VM_STATES = ("active", "paused", "suspended", "stopped")

    def __init__(self, instances: list[dict] | None = None, flavor_ids=("1", "2"),
                 image_ids=(IMAGE_ID,)) -> None:
        super().__init__()
        self.instances = {inst["uuid"]: inst for inst in (instances or [])}
        self.compute_services: dict[str, dict] = {}
        self.server_groups: dict[str, list[str]] = {}
        self.actions: dict[str, list[dict]] = {}
        self.flavor_ids = set(flavor_ids)
        self.image_ids = set(image_ids)
        self._next_id = 1000

    # --- servers

    def create(self, ctxt, *, name, flavor_ref, image_ref, availability_zone=None,
               metadata=None, min_count=1, max_count=1, key_name=None,
               access_ip_v4=None, access_ip_v6=None, config_drive=None,
               scheduler_hints=None, user_data=None, description=None, tags=None,
               trusted_certs=None, requested_host=None, requested_node=None,
               hostname=None):
        kwargs = dict(locals())
        kwargs.pop("self")
        kwargs.pop("ctxt")
        for later in ("trusted_certs", "requested_host", "requested_node", "hostname"):
            if kwargs[later] is None:  # recorded only when given (2.63, 2.74, 2.90)
                kwargs.pop(later)
        self._call("create", **kwargs)
        if flavor_ref not in self.flavor_ids:
            raise exception.FlavorNotFoundForBuild(flavor_id=flavor_ref)
        if image_ref not in self.image_ids:
            raise exception.ImageNotFoundForBuild(image_id=image_ref)
        created = []
        for _ in range(max_count):
            self._next_id += 1
            inst = make_instance(self._next_id, project_id=ctxt.project_id,
                                 display_name=name, vm_state="building",
                                 task_state="scheduling", host=None, node=None,
                                 power_state=0, metadata=metadata or {},
                                 description=description, tags=sorted(set(tags or [])),
                                 trusted_certs=trusted_certs,
                                 pinned_availability_zone=availability_zone,
                                 scheduler_hints=dict(scheduler_hints or {}),
                                 hostname=hostname)
            self.instances[inst["uuid"]] = inst
            created.append(copy.deepcopy(inst))
        return created, "r-fake0001"

    def get(self, ctxt, instance_uuid, read_deleted=False):
        self._call("get", instance_uuid=instance_uuid)
        inst = self.instances.get(instance_uuid)
        if (inst is None or (not ctxt.is_admin and inst["project_id"] != ctxt.project_id)
                or (inst["deleted"] and not read_deleted)):
            raise exception.InstanceNotFound(instance_id=instance_uuid)
        return copy.deepcopy(inst)

    def get_server_groups(self, ctxt, instance_uuid):
        """``server_groups``: instance uuid -> the uuids of its groups (2.71)."""
        self._call("get_server_groups", instance_uuid=instance_uuid)
        return list(self.server_groups.get(instance_uuid, []))

    def get_instances_host_statuses(self, ctxt, instances):
        """``compute_services``: host -> the service record the conductor would give."""
        self._call("get_instances_host_statuses", instances=[i["uuid"] for i in instances])
        return {i["uuid"]: compute_api.host_status(self.compute_services.get(i.get("host")))
                for i in instances}

    def get_all(self, ctxt, *, filters=None, limit=None, marker=None, sort_keys=None,
                sort_dirs=None, columns=None):
        """As the conductor: with ``columns``, each instance has only those
        (and ``uuid``), so every list test checks the views ask for what they read."""
        self._call("get_all", filters=filters, limit=limit, marker=marker,
                   sort_keys=sort_keys, sort_dirs=sort_dirs, columns=columns)
        filters = filters or {}
        found = sorted(self.instances.values(), key=lambda i: i["created_at"], reverse=True)
        if "project_id" in filters:
            found = [i for i in found if i["project_id"] == filters["project_id"]]
        if "vm_state" in filters:
            found = [i for i in found if i["vm_state"] in filters["vm_state"]]
        if "host" in filters:
            found = [i for i in found if i["host"] == filters["host"]]
        if "task_state" in filters:
            found = [i for i in found if i["task_state"] in filters["task_state"]]
        if "locked" in filters:
            found = [i for i in found if bool(i.get("locked")) == filters["locked"]]
        if "display_name" in filters:
            found = [i for i in found if filters["display_name"] in i["display_name"]]
        if marker is not None:
            uuids = [i["uuid"] for i in found]
            if marker not in uuids:
                raise exception.MarkerNotFound(marker=marker)
            found = found[uuids.index(marker) + 1:]
        if limit is not None:
            found = found[:limit]
        if columns is not None:
            keep = {"uuid", *columns}
            cut_flavor = "flavor.flavorid" in keep and "flavor" not in keep
            keep |= {"flavor"} if cut_flavor else set()
            found = [{k: v for k, v in inst.items() if k in keep} for inst in found]
            for inst in found if cut_flavor else ():
                flavor = inst.get("flavor") or {}
                inst["flavor"] = {"flavorid": flavor["flavorid"]} if "flavorid" in flavor else {}
        return copy.deepcopy(found)

    def delete(self, ctxt, instance_uuid, instance=None):
        self._call("delete", instance_uuid=instance_uuid)
        if instance is not None:
            compute_api.check_instance_lock(ctxt, instance)
        self.instances.pop(instance_uuid)

    def soft_delete(self, ctxt, instance):
        self._call("soft_delete", instance_uuid=instance["uuid"])
        compute_api.check_instance_lock(ctxt, instance)
        if not instance.get("launched_at"):
            raise exception.InstanceInvalidState(action="soft_delete",
                                                 instance_uuid=instance["uuid"],
                                                 attr="launched_at", state=None)
        self.instances[instance["uuid"]].update(vm_state="soft-delete", task_state=None)

    def force_delete(self, ctxt, instance):
        self._call("force_delete", instance_uuid=instance["uuid"])
        compute_api.check_instance_lock(ctxt, instance)
        self.instances.pop(instance["uuid"])

    def trigger_crash_dump(self, ctxt, instance):
        self._lifecycle(ctxt, "trigger_crash_dump", instance,
                        (compute_api.ALLOW_TRIGGER_CRASH_DUMP, [None], None))

    def get_instance_diagnostics(self, ctxt, instance):
        self._call("get_instance_diagnostics", instance_uuid=instance["uuid"])
        if not instance.get("host"):
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        return diagnostics.build(
            state="running", driver="libvirt", hypervisor="fake", hypervisor_os="linux",
            uptime=10, config_drive=False, memory_maximum_mb=512, memory_used_mb=512,
            cpus=[{"id": 0, "time": 10**10}], nics=[{"mac_address": "fa:16:3e:00:00:01"}],
            disks=[{"read_bytes": 1, "read_requests": 1, "write_bytes": 2,
                    "write_requests": 2, "errors_count": 0}])

    def get_diagnostics(self, ctxt, instance):
        self._call("get_diagnostics", instance_uuid=instance["uuid"])
        if not instance.get("host"):
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        return {"cpu0_time": 10**10, "memory": 524288, "vda_read": 1}

    # --- createImage and shelving (minova.compute.shelve_api's rules)

    def snapshot(self, ctxt, instance, name, metadata=None):
        self._lifecycle(ctxt, "createImage", instance, (
            shelve_api.SNAPSHOT_VM_STATES, [None], "image_snapshot_pending"),
            name=name, metadata=metadata)
        return {"id": "5e1f0b3a-0000-4000-8000-000000000001"}

    def shelve(self, ctxt, instance, clean_shutdown=True):
        compute_api.check_instance_lock(ctxt, instance)
        self._lifecycle(ctxt, "shelve", instance,
                        (shelve_api.SHELVE_VM_STATES, [None], "shelving"))

    def shelve_offload(self, ctxt, instance, clean_shutdown=True):
        compute_api.check_instance_lock(ctxt, instance)
        self._lifecycle(ctxt, "shelveOffload", instance,
                        (shelve_api.SHELVE_OFFLOAD_VM_STATES, [None], "shelving_offloading"))

    def unshelve(self, ctxt, instance, new_zone=None, host=None):
        compute_api.check_instance_lock(ctxt, instance)
        self._lifecycle(ctxt, "unshelve", instance,
                        (["shelved", "shelved_offloaded"], [None], "unshelving"),
                        new_zone=new_zone, host=host)
        return self.instances[instance["uuid"]]

    def restore(self, ctxt, instance):
        self._lifecycle(ctxt, "restore", instance, compute_api.LIFECYCLE_RULES["restore"])

    def rescue(self, ctxt, instance, rescue_password=None, rescue_image_ref=None,
               clean_shutdown=True):
        compute_api.check_instance_lock(ctxt, instance)
        self._lifecycle(ctxt, "rescue", instance,
                        (rescue_api.RESCUE_VM_STATES, [None], "rescuing"),
                        rescue_image_ref=rescue_image_ref)

    def unrescue(self, ctxt, instance):
        compute_api.check_instance_lock(ctxt, instance)
        self._lifecycle(ctxt, "unrescue", instance,
                        (rescue_api.UNRESCUE_VM_STATES, [None], "unrescuing"))

    # --- the lock and an admin's state reset

    is_expected_locked_by = staticmethod(compute_api.API.is_expected_locked_by)

    def resize(self, ctxt, instance, flavor_ref=None, host=None):
        """A move recorded: the conductor's state rule (the whole flow is
        tested against the real conductor and computes)."""
        self._call("resize", instance_uuid=instance["uuid"], flavor_ref=flavor_ref, host=host)
        compute_api.check_instance_lock(ctxt, instance)
        stored = self.instances[instance["uuid"]]
        if stored["vm_state"] not in ("active", "stopped") or stored["task_state"]:
            raise exception.InstanceInvalidState(
                action="resize", instance_uuid=instance["uuid"], attr="vm_state",
                state=stored["vm_state"])
        stored["task_state"] = "resize_prep"
        return copy.deepcopy(stored)

    def _verdict(self, ctxt, instance, action):
        self._call(action, instance_uuid=instance["uuid"])
        compute_api.check_instance_lock(ctxt, instance)
        stored = self.instances[instance["uuid"]]
        if stored["vm_state"] != "resized" or stored["task_state"]:
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=instance["uuid"], attr="vm_state",
                state=stored["vm_state"])

    def confirm_resize(self, ctxt, instance):
        self._verdict(ctxt, instance, "confirm_resize")

    def revert_resize(self, ctxt, instance):
        self._verdict(ctxt, instance, "revert_resize")

    def lock(self, ctxt, instance, reason=None):
        self._call("lock", instance_uuid=instance["uuid"], reason=reason)
        stored = self.instances[instance["uuid"]]
        is_owner = stored["project_id"] == ctxt.project_id
        if not (stored.get("locked") and is_owner):
            stored.update(locked=True, locked_by="owner" if is_owner else "admin")
            if reason:
                stored["locked_reason"] = reason
        return copy.deepcopy(stored)

    def unlock(self, ctxt, instance):
        self._call("unlock", instance_uuid=instance["uuid"])
        stored = self.instances[instance["uuid"]]
        stored.update(locked=False, locked_by=None, locked_reason=None)
        return copy.deepcopy(stored)

    def reset_state(self, ctxt, instance, vm_state):
        self._call("reset_state", instance_uuid=instance["uuid"], vm_state=vm_state)
        stored = self.instances[instance["uuid"]]
        stored.update(vm_state=vm_state, task_state=None)
        return copy.deepcopy(stored)

    # --- lifecycle actions: the task_state the real facade sets, no host is asked

    def _lifecycle(self, ctxt, action: str, instance: dict, rules: tuple, **kwargs) -> None:
        vm_states, task_states, task_state = rules[:3]
        self._call(action, instance_uuid=instance["uuid"], **kwargs)
        if not instance.get("host"):
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        stored = self.instances[instance["uuid"]]
        for attr, allowed in (("vm_state", vm_states), ("task_state", task_states)):
            if stored[attr] not in allowed:
                raise exception.InstanceInvalidState(
                    action=action, instance_uuid=instance["uuid"], attr=attr, state=stored[attr])
        stored["task_state"] = task_state

    def stop(self, ctxt, instance, clean_shutdown=True):
        self._lifecycle(ctxt, "stop", instance, compute_api.LIFECYCLE_RULES["stop"],
                        clean_shutdown=clean_shutdown)

    def start(self, ctxt, instance):
        self._lifecycle(ctxt, "start", instance, compute_api.LIFECYCLE_RULES["start"])

    def pause(self, ctxt, instance):
        self._lifecycle(ctxt, "pause", instance, compute_api.LIFECYCLE_RULES["pause"])

    def unpause(self, ctxt, instance):
        self._lifecycle(ctxt, "unpause", instance, compute_api.LIFECYCLE_RULES["unpause"])

    def suspend(self, ctxt, instance):
        self._lifecycle(ctxt, "suspend", instance, compute_api.LIFECYCLE_RULES["suspend"])

    def resume(self, ctxt, instance):
        self._lifecycle(ctxt, "resume", instance, compute_api.LIFECYCLE_RULES["resume"])

    def reboot(self, ctxt, instance, reboot_type):
        self._lifecycle(ctxt, "reboot", instance, compute_api.REBOOT_RULES[reboot_type.upper()],
                        reboot_type=reboot_type)

    def rebuild(self, ctxt, instance, image_ref, changes, preserve_ephemeral=False,
                files=None):
        """The conductor's state rule and the image's existence; the changes
        written (the whole rule is tested against the real conductor)."""
        self._call("rebuild", instance_uuid=instance["uuid"], image_ref=image_ref,
                   changes=changes, preserve_ephemeral=preserve_ephemeral, files=files)
        if not instance.get("host"):
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        stored = self.instances[instance["uuid"]]
        if stored["vm_state"] not in ("active", "stopped", "error") or stored["task_state"]:
            raise exception.InstanceInvalidState(
                action="rebuild", instance_uuid=instance["uuid"], attr="vm_state",
                state=stored["vm_state"])
        if image_ref not in self.image_ids:
            raise exception.ImageNotFoundForBuild(image_id=image_ref)
        stored.update(changes, image_ref=image_ref, task_state="rebuilding")
        return copy.deepcopy(stored)

    def get_console_output(self, ctxt, instance, tail_length=None):
        self._call("get_console_output", instance_uuid=instance["uuid"],
                   tail_length=tail_length)
        if not instance.get("host"):
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        lines = [f"{instance['display_name']} line {n}\n" for n in range(1, 4)]
        return "".join(lines[-tail_length:] if tail_length is not None else lines)

    # --- what a user changes on a server

    def _mutable(self, ctxt, method: str, instance_uuid: str, action: str,
                 **kwargs) -> dict:
        """Record the call; the stored instance, after the conductor's checks."""
        self._call(method, **dict(kwargs, instance_uuid=instance_uuid))
        self.get(ctxt, instance_uuid)
        inst = self.instances[instance_uuid]
        if action and inst["vm_state"] not in self.MUTABLE_VM_STATES:
            raise exception.InstanceInvalidState(action=action, instance_uuid=instance_uuid,
                                                 attr="vm_state", state=inst["vm_state"])
        return inst

    def update_instance(self, ctxt, instance_uuid, values):
        inst = self._mutable(ctxt, "update_instance", instance_uuid, None, values=values)
        inst.update(values)
        return copy.deepcopy(inst)

    def update_instance_metadata(self, ctxt, instance_uuid, metadata, delete=False):
        inst = self._mutable(ctxt, "update_instance_metadata", instance_uuid,
                             "update metadata", metadata=metadata, delete=delete)
        merged = dict(metadata) if delete else {**inst["metadata"], **metadata}
        if len(merged) > 128:
            raise exception.MetadataLimitExceeded(allowed=128)
        inst["metadata"] = merged
        return dict(merged)

    def delete_instance_metadata(self, ctxt, instance_uuid, key):
        self.get(ctxt, instance_uuid)
        if key not in self.instances[instance_uuid]["metadata"]:
            raise exception.MetadataItemNotFound()
        inst = self._mutable(ctxt, "delete_instance_metadata", instance_uuid,
                             "delete metadata", key=key)
        del inst["metadata"][key]

    def add_tag(self, ctxt, instance_uuid, tag):
        inst = self._mutable(ctxt, "add_tag", instance_uuid, "update tag", tag=tag)
        if len(inst["tags"]) >= 50:
            raise exception.TooManyInstanceTags(limit=50)
        if tag in inst["tags"]:
            return False
        inst["tags"] = sorted(inst["tags"] + [tag])
        return True

    def set_tags(self, ctxt, instance_uuid, tags):
        inst = self._mutable(ctxt, "set_tags", instance_uuid, "update tags", tags=tags)
        inst["tags"] = sorted(set(tags))
        return list(inst["tags"])

    def delete_tag(self, ctxt, instance_uuid, tag):
        inst = self._mutable(ctxt, "delete_tag", instance_uuid, "delete tag", tag=tag)
        if tag not in inst["tags"]:
            raise exception.InstanceTagNotFound(instance_id=instance_uuid, tag=tag)
        inst["tags"].remove(tag)

    def delete_tags(self, ctxt, instance_uuid):
        inst = self._mutable(ctxt, "delete_tags", instance_uuid, "delete tags")
        inst["tags"] = []

    # --- instance actions

    @only_in_fake
    def add_action(self, instance_uuid: str, request_id: str, project_id: str = PROJECT,
                   events: list[dict] | None = None) -> dict:
        """Record an action of the server, as the conductor would have."""
        action = {
            "id": sum(len(a) for a in self.actions.values()) + 1, "action": "create",
            "instance_uuid": instance_uuid, "request_id": request_id, "user_id": USER,
            "project_id": project_id, "start_time": ts(0), "finish_time": ts(1),
            "message": None, "updated_at": ts(1), "events": events or [],
        }
        self.actions.setdefault(instance_uuid, []).append(action)
        return action

    def actions_get(self, ctxt, instance_uuid):
        self._call("actions_get", instance_uuid=instance_uuid)
        return copy.deepcopy(self.actions.get(instance_uuid, []))

    def action_get_by_request_id(self, ctxt, instance_uuid, request_id):
        self._call("action_get_by_request_id", instance_uuid=instance_uuid,
                   request_id=request_id)
        for action in self.actions.get(instance_uuid, []):
            if action["request_id"] == request_id:
                return copy.deepcopy(action)
        raise exception.InstanceActionNotFound(request_id=request_id,
                                               instance_uuid=instance_uuid)
