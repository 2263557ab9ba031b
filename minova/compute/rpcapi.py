"""Client side of the compute service's RPC API (topic ``compute``, server = host).

Version history:

* 1.0 - build_and_run_instance, terminate_instance, stop/start/reboot/pause/
  unpause/suspend/resume_instance (casts), get_console_output (call)
* 1.1 - cache_images (cast; API 2.81)
* 1.2 - get_host_uptime (call; API os-hypervisors/{id}/uptime, before 2.88)
"""

from minova import rpc
from minova.context import RequestContext

TOPIC = "compute"


class ComputeAPI:
    VERSION_CAP = "1.2"

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
