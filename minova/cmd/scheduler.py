"""minova-scheduler: chooses hosts; keeps no durable state."""

from oslo_config import cfg

from minova import service
from minova.cmd import common
from minova.conductor import rpcapi as conductor_rpcapi
from minova.scheduler import manager
from minova.scheduler import rpcapi as scheduler_rpcapi

CONF = cfg.CONF
BINARY = "minova-scheduler"


def create_service(host: str) -> service.Service:
    conductor = conductor_rpcapi.ConductorAPI()
    return service.Service(host=host, binary=BINARY, topic=scheduler_rpcapi.TOPIC,
                           manager=manager.SchedulerManager(host, conductor_api=conductor),
                           recorder=service.ConductorServiceRecorder(conductor))


def main(argv: list[str] | None = None) -> None:
    common.setup(argv, BINARY)
    service.start_and_wait([create_service(CONF.host)])
