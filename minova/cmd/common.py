"""What every separate service's entry point does before it starts."""

import sys

from oslo_config import cfg
from oslo_log import log as logging

from minova import config, rpc

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def setup(argv: list[str] | None, binary: str, init_rpc: bool = True) -> None:
    """Parse config, set up logging, and refuse a bus that cannot reach other processes.

    ``init_rpc=False`` leaves the transport to be made later, in each worker
    process of a service that forks (a transport must not cross a fork).
    """
    config.parse_args(argv if argv is not None else sys.argv)
    if rpc.transport_is_in_process(CONF):
        sys.exit(f"{binary}: transport_url {CONF.transport_url!r} only reaches services in "
                 "the same process; point it at RabbitMQ (rabbit://user:pass@host:5672/) "
                 "or run minova-all-in-one")
    if init_rpc:
        rpc.init(CONF)
    LOG.info("%s starting on host %s", binary, CONF.host)
