"""Client side of the compute service's RPC API (topic ``compute``, server = host).

Version history:

* 1.0 - build_and_run_instance, terminate_instance, stop/start/reboot/pause/
  unpause/suspend/resume_instance (casts), get_console_output (call)
* 1.1 - cache_images (cast; API 2.81)
* 1.2 - get_host_uptime (call; API os-hypervisors/{id}/uptime, before 2.88)
* 1.3 - rebuild_instance (cast; API rebuild)
* 1.4 - soft_delete_instance, restore_instance (casts; deferred delete)
* 1.5 - trigger_crash_dump (cast; API 2.17)
* 1.6 - get_instance_diagnostics (call; API 2.48), get_diagnostics (call;
  API before 2.48)
* 1.7 - rescue_instance, unrescue_instance (casts; API rescue / unrescue)
* 1.8 - snapshot_instance, shelve_instance, shelve_offload_instance,
  unshelve_instance (casts; API createImage, shelve, shelveOffload, unshelve)
* 1.9 - prep_resize, resize_instance, finish_resize, confirm_resize,
  revert_resize, finish_revert_resize (casts; cold migration and resize,
  minova/compute/move_rpcapi.py)
"""

from minova import rpc
from minova.compute.move_rpcapi import MoveRPCAPI
from minova.context import RequestContext

TOPIC = "compute"


class ComputeAPI(MoveRPCAPI):
    VERSION_CAP = "1.9"

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, version="1.0", version_cap=self.VERSION_CAP)

    def _cast(self, ctxt: RequestContext, host: str, method: str, **kwargs) -> None:
        self.client.prepare(server=host).cast(ctxt, method, **kwargs)

    def build_and_run_instance(self, ctxt: RequestContext, host: str, instance: dict,
                               node: str, request_spec: dict, alternates: list) -> None:
        self._cast(ctxt, host, "build_and_run_instance", instance=instance, node=node,
                   request_spec=request_spec, alternates=alternates)

    def terminate_instance(self, ctxt: RequestContext, host: str, instance: dict) -> None:
        self._cast(ctxt, host, "terminate_instance", instance=instance)

    def stop_instance(self, ctxt: RequestContext, host: str, instance: dict,
                      clean_shutdown: bool = True) -> None:
        self._cast(ctxt, host, "stop_instance", instance=instance,
                   clean_shutdown=clean_shutdown)

    def start_instance(self, ctxt: RequestContext, host: str, instance: dict) -> None:
        self._cast(ctxt, host, "start_instance", instance=instance)

    def reboot_instance(self, ctxt: RequestContext, host: str, instance: dict,
                        reboot_type: str) -> None:
        self._cast(ctxt, host, "reboot_instance", instance=instance, reboot_type=reboot_type)

    def pause_instance(self, ctxt: RequestContext, host: str, instance: dict) -> None:
        self._cast(ctxt, host, "pause_instance", instance=instance)

    def unpause_instance(self, ctxt: RequestContext, host: str, instance: dict) -> None:
        self._cast(ctxt, host, "unpause_instance", instance=instance)

    def suspend_instance(self, ctxt: RequestContext, host: str, instance: dict) -> None:
        self._cast(ctxt, host, "suspend_instance", instance=instance)

    def resume_instance(self, ctxt: RequestContext, host: str, instance: dict) -> None:
        self._cast(ctxt, host, "resume_instance", instance=instance)

    def get_console_output(self, ctxt: RequestContext, host: str, instance: dict,
                           tail_length: int | None) -> str:
        return self.client.prepare(server=host).call(
            ctxt, "get_console_output", instance=instance, tail_length=tail_length)

    def cache_images(self, ctxt: RequestContext, host: str, images: list[dict]) -> None:
        """Download the images (records as a build's request spec carries them)
        into the host's image cache, ahead of any build."""
        self.client.prepare(server=host, version="1.1").cast(ctxt, "cache_images",
                                                             images=images)

    def get_host_uptime(self, ctxt: RequestContext, host: str) -> str:
        """What ``uptime`` prints on ``host``; NotImplementedError when the
        computes may not be sent 1.2 yet ([upgrade_levels] compute)."""
        if not self.client.can_send_version("1.2"):
            raise NotImplementedError("compute RPC 1.2 (get_host_uptime) not allowed yet")
        return self.client.prepare(server=host, version="1.2").call(ctxt, "get_host_uptime")

    def can_rebuild(self) -> bool:
        """Whether computes may be sent rebuild_instance ([upgrade_levels] compute)."""
        return self.client.can_send_version("1.3")

    def rebuild_instance(self, ctxt: RequestContext, host: str, instance: dict,
                         image_meta: dict, preserve_ephemeral: bool,
                         orig_vm_state: str) -> None:
        """Remake the guest from ``image_meta`` (the image record, as a build's
        request spec carries it); ``orig_vm_state`` is what the server was
        before (a stopped one is stopped again after)."""
        self.client.prepare(server=host, version="1.3").cast(
            ctxt, "rebuild_instance", instance=instance, image_meta=image_meta,
            preserve_ephemeral=preserve_ephemeral, orig_vm_state=orig_vm_state)

    def soft_delete_instance(self, ctxt: RequestContext, host: str, instance: dict) -> None:
        """Power the guest off and set SOFT_DELETED (the instance is soft-deleting)."""
        self.client.prepare(server=host, version="1.4").cast(ctxt, "soft_delete_instance",
                                                             instance=instance)

    def restore_instance(self, ctxt: RequestContext, host: str, instance: dict) -> None:
        """Power a soft-deleted guest on again and set ACTIVE (the instance is restoring)."""
        self.client.prepare(server=host, version="1.4").cast(ctxt, "restore_instance",
                                                             instance=instance)

    def trigger_crash_dump(self, ctxt: RequestContext, host: str, instance: dict) -> None:
        """Inject an NMI into the guest (API 2.17); the outcome is the action's event."""
        self.client.prepare(server=host, version="1.5").cast(ctxt, "trigger_crash_dump",
                                                             instance=instance)

    def get_instance_diagnostics(self, ctxt: RequestContext, host: str,
                                 instance: dict) -> dict:
        """The running guest's diagnostics as API 2.48 shows them."""
        return self.client.prepare(server=host, version="1.6").call(
            ctxt, "get_instance_diagnostics", instance=instance)

    def get_diagnostics(self, ctxt: RequestContext, host: str, instance: dict) -> dict:
        """The running guest's diagnostics in the driver's names (before 2.48)."""
        return self.client.prepare(server=host, version="1.6").call(
            ctxt, "get_diagnostics", instance=instance)

    def can_rescue(self) -> bool:
        """Whether computes may be sent rescue_instance ([upgrade_levels] compute)."""
        return self.client.can_send_version("1.7")

    def rescue_instance(self, ctxt: RequestContext, host: str, instance: dict,
                        rescue_password: str | None, rescue_image_ref: str | None,
                        clean_shutdown: bool = True) -> None:
        """Boot the guest from a rescue image, its own disk attached second
        (the instance is rescuing); ``rescue_image_ref`` None: its own image."""
        self.client.prepare(server=host, version="1.7").cast(
            ctxt, "rescue_instance", instance=instance, rescue_password=rescue_password,
            rescue_image_ref=rescue_image_ref, clean_shutdown=clean_shutdown)

    def unrescue_instance(self, ctxt: RequestContext, host: str, instance: dict) -> None:
        """Boot the original guest again (the instance is unrescuing)."""
        self.client.prepare(server=host, version="1.7").cast(ctxt, "unrescue_instance",
                                                             instance=instance)

    # --- snapshots and shelving (1.8)

    def can_shelve(self) -> bool:
        """Whether computes may be sent 1.8 ([upgrade_levels] compute)."""
        return self.client.can_send_version("1.8")

    def snapshot_instance(self, ctxt: RequestContext, host: str, instance: dict,
                          image_id: str) -> None:
        """Snapshot the guest into the queued image ``image_id`` (createImage)."""
        self.client.prepare(server=host, version="1.8").cast(
            ctxt, "snapshot_instance", instance=instance, image_id=image_id)

    def shelve_instance(self, ctxt: RequestContext, host: str, instance: dict,
                        image_id: str, clean_shutdown: bool = True) -> None:
        """Power off and snapshot into ``image_id``: SHELVED (offloaded at once
        with [DEFAULT] shelved_offload_time 0)."""
        self.client.prepare(server=host, version="1.8").cast(
            ctxt, "shelve_instance", instance=instance, image_id=image_id,
            clean_shutdown=clean_shutdown)

    def shelve_offload_instance(self, ctxt: RequestContext, host: str, instance: dict,
                                clean_shutdown: bool = True) -> None:
        """Destroy a shelved guest; the conductor then frees its claim."""
        self.client.prepare(server=host, version="1.8").cast(
            ctxt, "shelve_offload_instance", instance=instance,
            clean_shutdown=clean_shutdown)

    def unshelve_instance(self, ctxt: RequestContext, host: str, instance: dict,
                          image: dict | None = None, node: str | None = None) -> None:
        """Power a shelved guest on (``image`` None), or spawn an offloaded
        server from its shelve snapshot ``image`` on the ``node`` claimed."""
        self.client.prepare(server=host, version="1.8").cast(
            ctxt, "unshelve_instance", instance=instance, image=image, node=node)
