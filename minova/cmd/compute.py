"""minova-compute: one per hypervisor host; runs guests through its virt driver."""

from oslo_config import cfg

from minova import service
from minova.cmd import common
from minova.compute import manager
from minova.compute import rpcapi as compute_rpcapi
from minova.conductor import rpcapi as conductor_rpcapi

CONF = cfg.CONF
BINARY = "minova-compute"


def create_service(host: str) -> service.Service:
    conductor = conductor_rpcapi.ConductorAPI()
    return service.Service(host=host, binary=BINARY, topic=compute_rpcapi.TOPIC,
                           manager=manager.ComputeManager(host, conductor_api=conductor),
                           recorder=service.ConductorServiceRecorder(conductor))


def main(argv: list[str] | None = None) -> None:
    common.setup(argv, BINARY)
    service.start_and_wait([create_service(CONF.host)])
