"""minova-all-in-one: api, conductor, scheduler and one compute in one process.

Embedded defaults make it work with no configuration at all: SQLite under
``state_path``, the in-process ``fake://`` bus and the fake virt driver.
Every option of the separate services applies here too.
"""

import sys

from oslo_config import cfg
from oslo_log import log as logging

from minova import config, rpc, service
from minova.cmd import api as api_cmd
from minova.cmd import compute as compute_cmd
from minova.cmd import conductor as conductor_cmd
from minova.cmd import scheduler as scheduler_cmd
from minova.db import engine, flavors, migration

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> None:
    CONF.set_default("transport_url", "fake://")
    config.parse_args(argv if argv is not None else sys.argv)
    rpc.init(CONF)

    migration.db_sync(engine.get_engine())
    flavors.bootstrap()

    host = CONF.host
    conductor = conductor_cmd.create_service(host)
    scheduler = scheduler_cmd.create_service(host)
    compute = compute_cmd.create_service(host)
    api = api_cmd.create_server()

    def announce() -> None:
        endpoint = f"http://{api.host}:{api.port}"
        print(f"minova all-in-one is running: compute API at {endpoint}/v2.1", flush=True)
        print(f"  state: {CONF.state_path}   database: {CONF.database.connection}", flush=True)
        print(f"  try:  curl -s -H 'X-Auth-Token: admin:admin' {endpoint}/v2.1/servers/detail",
              flush=True)

    # The api starts last (it answers only once the services it calls run)
    # and, in a stop, takes no new request first.
    service.start_and_wait([conductor, scheduler, compute, api], on_started=announce)


if __name__ == "__main__":
    main()
