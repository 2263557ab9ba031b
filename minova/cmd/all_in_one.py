"""minova-all-in-one: api, conductor, scheduler and one compute in one process.

Embedded defaults make it work with no configuration at all: SQLite under
``state_path``, the in-process ``fake://`` bus and the fake virt driver.
Every option of the separate services applies here too.
"""

import sys

from oslo_config import cfg
from oslo_log import log as logging

from minova import config, exception, rpc, service
from minova.cmd import api as api_cmd
from minova.cmd import compute as compute_cmd
from minova.cmd import conductor as conductor_cmd
from minova.cmd import scheduler as scheduler_cmd
from minova.db import engine, flavors, migration

CONF = cfg.CONF
LOG = logging.getLogger(__name__)
BINARY = "minova-all-in-one"


def next_steps(api_url: str) -> list[str]:
    """What the start-up output tells a newcomer to try first, on this api's URL."""
    compute = f"{api_url}/v2.1"
    return [
        f"minova all-in-one is running: compute API at {compute}",
        f"  state: {CONF.state_path}   database: {CONF.database.connection}",
        f"  the compute downloads images from: {', '.join(CONF.glance.api_servers or [])}",
        "",
        "Try it (noauth2: the token is user:project; user admin is an administrator):",
        f"  API={compute}; TOKEN='X-Auth-Token: demo:demo'",
        "  curl -s -H \"$TOKEN\" $API/flavors      # m1.tiny (id 1) ... m1.xlarge",
        "  curl -s -H \"$TOKEN\" $API/images       # the seeded image, cirros-standin",
        "  curl -s -H \"$TOKEN\" -H 'Content-Type: application/json' $API/servers -d "
        "'{\"server\": {\"name\": \"vm1\", \"flavorRef\": \"1\", "
        f"\"imageRef\": \"{flavors.STANDIN_IMAGE_ID}\"}}}}'",
        "  curl -s -H \"$TOKEN\" $API/servers/detail",
        f"  curl -s -H 'X-Auth-Token: admin:admin' {compute}/os-hypervisors/detail",
        "",
        "The openstack CLI (python-openstackclient):",
        f"  export OS_AUTH_TYPE=v3token OS_TOKEN=demo:demo OS_AUTH_URL={api_url}/identity/v3",
        "  openstack server create --flavor m1.tiny --image cirros-standin --wait vm2",
    ]


def main(argv: list[str] | None = None) -> None:
    CONF.set_default("transport_url", "fake://")
    config.parse_args(argv if argv is not None else sys.argv)
    rpc.init(CONF)

    # The api listens first, so that a taken port is one line and an exit
    # before anything else starts; requests wait in the backlog until it
    # answers, once the services it calls run.
    api = api_cmd.create_server()
    problem = None
    try:
        api.bind()
    except exception.CannotListen as exc:
        problem = exc.format_message()
    if problem is not None:  # logged out of the except: oslo.log would append the exception
        LOG.error("%s could not start: %s", BINARY, problem)
        raise SystemExit(2)
    # The compute downloads images from this very api unless told otherwise.
    CONF.set_default("api_servers", [f"{api.url}/image"], group="glance")
    # One host: a resize can only stay on it (devstack's single-node setting).
    CONF.set_default("allow_resize_to_same_host", True)

    migration.db_sync(engine.get_engine())
    flavors.bootstrap()

    host = CONF.host
    conductor = conductor_cmd.create_service(host)
    scheduler = scheduler_cmd.create_service(host)
    compute = compute_cmd.create_service(host)

    def announce() -> None:
        print("\n".join(next_steps(api.url)), flush=True)

    # The api starts last (it answers only once the services it calls run)
    # and, in a stop, takes no new request first.
    service.start_and_wait([conductor, scheduler, compute, api], on_started=announce)


if __name__ == "__main__":
    main()
