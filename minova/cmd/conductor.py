"""minova-conductor: the only service that opens the database."""

import sys

from oslo_config import cfg

from minova import rpc, service, workers
from minova.cmd import common
from minova.conductor import (
    aggregates,
    build_recovery,
    build_timeout,
    db_errors,
    flavor_access,
    images,
    keypairs,
    manager,
    quotas,
    server_attributes,
    server_groups,
    server_state,
    service_records,
)
from minova.conductor import rpcapi as conductor_rpcapi

CONF = cfg.CONF
BINARY = "minova-conductor"


def create_service(host: str) -> service.Service:
    data = manager.ConductorManager(host)
    tasks = manager.ComputeTaskManager(host)
    return service.Service(host=host, binary=BINARY, topic=conductor_rpcapi.TOPIC,
                           manager=data, recorder=service_records.DatabaseServiceRecorder(),
                           # A lost database connection crosses RPC as
                           # DatabaseUnavailable (503), whichever endpoint met it.
                           endpoints=db_errors.translating([
                               tasks, data,
                               images.ImageManager(host),
                               aggregates.AggregateManager(host),
                               server_groups.ServerGroupManager(host),
                               server_attributes.ServerAttributesManager(host),
                               server_state.ServerStateManager(host),
                               keypairs.KeypairManager(host),
                               flavor_access.FlavorAccessManager(host),
                               quotas.QuotaManager(host)]),
                           periodic_tasks=build_timeout.periodic_tasks(host)
                           + build_recovery.periodic_tasks(host, tasks.builder))


def _serve() -> None:
    rpc.init(CONF)
    service.start_and_wait([create_service(CONF.host)])


def main(argv: list[str] | None = None) -> None:
    common.setup(argv, BINARY, init_rpc=False)
    if CONF.conductor.workers == 1:
        _serve()
        return
    sys.exit(workers.run(CONF.conductor.workers, _serve))
