"""createImage, shelve, shelveOffload and unshelve: the api's part, mixed
into the compute API facade (``minova.compute.api.API``).

As Nova's api: check the lock and the state, create the ``queued`` image
record the host will upload into (through the conductor's image door),
move the instance into the action's first task state and record the
action (``start_instance_action``, a compare-and-swap: of racing actions
one wins, the rest get 409, and a loser's image record is deleted again),
then cast to the host that holds the guest. Unshelve is the conductor's
to check and place (``unshelve_instance``).
"""

from oslo_log import log as logging

from minova import exception
from minova.context import RequestContext
from minova.objects import actions, states

LOG = logging.getLogger(__name__)

# Nova's check_instance_state of each action (all idle only).
SNAPSHOT_VM_STATES = [states.ACTIVE, states.STOPPED, states.PAUSED, states.SUSPENDED]
SHELVE_VM_STATES = [states.ACTIVE, states.STOPPED, states.PAUSED, states.SUSPENDED]
SHELVE_OFFLOAD_VM_STATES = [states.SHELVED]

# Image properties a snapshot does not inherit from the image the server
# was booted from: they describe that image's bytes, not the snapshot's.
_NOT_INHERITED = ("img_signature", "img_signature_hash_method",
                  "img_signature_key_type", "img_signature_certificate_uuid",
                  "base_image_ref", "image_type", "instance_uuid", "user_id")


class ShelveAPI:
    """Uses the facade's ``conductor_api``, ``compute_rpc`` and
    ``compute_task_api``."""

    def snapshot(self, ctxt: RequestContext, instance: dict, name: str,
                 metadata: dict | None = None) -> dict:
        """createImage: the new image's record (queued); its host uploads the
        snapshot into it. Not lock-checked, as in Nova."""
        self._check_can_start(instance, actions.CREATE_IMAGE, SNAPSHOT_VM_STATES)
        self._check_metadata_quota(ctxt, instance, metadata or {})
        image = self._create_image(ctxt, instance, name, metadata or {})
        self._start_or_forget(ctxt, instance, image, actions.CREATE_IMAGE,
                              SNAPSHOT_VM_STATES, states.IMAGE_SNAPSHOT_PENDING)
        self.compute_rpc.snapshot_instance(ctxt, instance["host"], instance, image["id"])
        return image

    def shelve(self, ctxt: RequestContext, instance: dict,
               clean_shutdown: bool = True) -> None:
        """Shelve: the host powers the guest off and snapshots it into an image
        named ``<server name>-shelved``."""
        from minova.compute.api import check_instance_lock

        check_instance_lock(ctxt, instance)
        self._check_can_start(instance, actions.SHELVE, SHELVE_VM_STATES)
        image = self._create_image(ctxt, instance, f"{instance['display_name']}-shelved", {})
        instance = self._start_or_forget(ctxt, instance, image, actions.SHELVE,
                                         SHELVE_VM_STATES, states.SHELVING)
        self.compute_rpc.shelve_instance(ctxt, instance["host"], instance, image["id"],
                                         clean_shutdown=clean_shutdown)

    def shelve_offload(self, ctxt: RequestContext, instance: dict,
                       clean_shutdown: bool = True) -> None:
        """shelveOffload (admin): the host destroys the shelved guest; its
        claim is then freed."""
        from minova.compute.api import check_instance_lock

        check_instance_lock(ctxt, instance)
        self._check_can_start(instance, actions.SHELVE_OFFLOAD, SHELVE_OFFLOAD_VM_STATES)
        instance = self.compute_task_api.start_instance_action(
            ctxt, instance["uuid"], actions.SHELVE_OFFLOAD, SHELVE_OFFLOAD_VM_STATES, [None],
            states.SHELVING_OFFLOADING)
        self.compute_rpc.shelve_offload_instance(ctxt, instance["host"], instance,
                                                 clean_shutdown=clean_shutdown)

    def unshelve(self, ctxt: RequestContext, instance: dict, new_zone: dict | None = None,
                 host: str | None = None) -> dict:
        """unshelve: the conductor checks, records and brings the server back;
        ``new_zone`` ``{"availability_zone": name or None}`` when given (2.77,
        2.91), ``host`` (2.91, admin)."""
        from minova.compute.api import check_instance_lock

        check_instance_lock(ctxt, instance)
        return self.compute_task_api.unshelve_instance(ctxt, instance["uuid"],
                                                       new_zone=new_zone, host=host)

    # --- helpers

    def _check_can_start(self, instance: dict, action: str, vm_states: list) -> None:
        """Nova's state check before anything is created (the compare-and-swap
        checks again), the host, and computes that know the action."""
        for attr, allowed in (("vm_state", vm_states), ("task_state", [None])):
            if instance[attr] not in allowed:
                raise exception.InstanceInvalidState(
                    action=action, instance_uuid=instance["uuid"], attr=attr,
                    state=instance[attr])
        if not instance.get("host"):
            raise exception.InstanceNotReady(instance_id=instance["uuid"])
        if not self.compute_rpc.can_shelve():
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=instance["uuid"], attr="compute RPC",
                state="version capped below 1.8 ([upgrade_levels] compute)")

    def _check_metadata_quota(self, ctxt: RequestContext, instance: dict,
                              metadata: dict) -> None:
        """Nova's check_metadata_properties_quota on createImage's metadata (403)."""
        if not metadata:
            return
        limit = self.conductor_api.quota_get(ctxt, instance["project_id"])["limits"].get(
            "metadata_items", -1)
        if 0 <= limit < len(metadata):
            raise exception.MetadataLimitExceeded(allowed=limit)

    def _create_image(self, ctxt: RequestContext, instance: dict, name: str,
                      metadata: dict) -> dict:
        """The snapshot's record, Nova's way: the base image's formats, sizes
        and properties, then what marks it a snapshot of this server, then
        the caller's metadata."""
        base: dict = {}
        if instance.get("image_ref"):
            try:
                base = self.conductor_api.image_get(ctxt, instance["image_ref"])
            except exception.ImageNotFound:
                LOG.info("Base image %s of %s is gone; the snapshot has default formats",
                         instance["image_ref"], instance["uuid"])
        properties = {k: v for k, v in (base.get("properties") or {}).items()
                      if k not in _NOT_INHERITED}
        properties.update(image_type="snapshot", instance_uuid=instance["uuid"],
                          user_id=ctxt.user_id or instance["user_id"],
                          base_image_ref=instance.get("image_ref") or "")
        properties.update({k: str(v) for k, v in metadata.items()})
        values = {"name": name, "visibility": "private",
                  "disk_format": base.get("disk_format") or "qcow2",
                  "container_format": base.get("container_format") or "bare",
                  "min_disk": max(int(base.get("min_disk") or 0),
                                  int(instance.get("root_gb") or 0)),
                  "min_ram": int(base.get("min_ram") or 0),
                  "properties": properties}
        return self.conductor_api.image_create(ctxt, values)

    def _start_or_forget(self, ctxt: RequestContext, instance: dict, image: dict,
                         action: str, vm_states: list, task_state: str) -> dict:
        """The compare-and-swap and the action; a lost race deletes the image
        record made for it (it has no bytes yet)."""
        try:
            return self.compute_task_api.start_instance_action(
                ctxt, instance["uuid"], action, vm_states, [None], task_state)
        except Exception:
            try:
                self.conductor_api.image_delete(ctxt, image["id"])
            except Exception as exc:  # the refusal is what the caller must see
                LOG.warning("Could not delete image %s of a refused %s: %s", image["id"],
                            action, exc)
            raise
