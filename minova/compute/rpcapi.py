"""Client side of the compute service's RPC API (topic ``compute``, server = host).

Version history:

* 1.0 - build_and_run_instance, terminate_instance
"""

from minova import rpc
from minova.context import RequestContext

TOPIC = "compute"


class ComputeAPI:
    VERSION_CAP = "1.0"

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, version="1.0", version_cap=self.VERSION_CAP)

    def build_and_run_instance(self, ctxt: RequestContext, host: str, instance: dict,
                               node: str, request_spec: dict, alternates: list) -> None:
        self.client.prepare(server=host).cast(
            ctxt, "build_and_run_instance", instance=instance, node=node,
            request_spec=request_spec, alternates=alternates)

    def terminate_instance(self, ctxt: RequestContext, host: str, instance: dict) -> None:
        self.client.prepare(server=host).cast(ctxt, "terminate_instance", instance=instance)
