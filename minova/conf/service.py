"""Options every minova service reads: identity of the host, state, heartbeats."""

import os
import socket

from oslo_config import cfg
from oslo_utils import netutils

service_opts = [
    cfg.StrOpt(
        "host",
        default=socket.gethostname(),
        sample_default="<current_hostname>",
        help="Name of this node. Compute services use it as their RPC server "
        "name and as the compute node's host; it must be unique per "
        "deployment and stable across restarts.",
    ),
    cfg.StrOpt(
        "my_ip",
        default=netutils.get_my_ipv4(),
        sample_default="<host_ipv4>",
        help="The IP address of this host on the deployment's network: what a "
        "compute host reports as its hypervisor's host_ip. The default is the "
        "address of the interface the default route leaves by, as Nova's; "
        "set it on a host with several networks (127.0.0.1 when the host has "
        "no default route).",
    ),
    cfg.StrOpt(
        "state_path",
        default=os.path.join(os.path.expanduser("~"), ".local", "state", "minova"),
        sample_default="$HOME/.local/state/minova",
        help="Top-level directory for the state minova keeps on this host "
        "(the embedded SQLite database, instances, image store).",
    ),
    cfg.IntOpt(
        "report_interval",
        default=10,
        min=1,
        help="Seconds between a service's heartbeats. A service whose last "
        "heartbeat is older than service_down_time is shown as down.",
    ),
    cfg.IntOpt(
        "service_down_time",
        default=60,
        min=1,
        help="Seconds after the last heartbeat at which a service is "
        "considered down. Must be larger than report_interval.",
    ),
    cfg.IntOpt(
        "conductor_call_retry_timeout",
        default=300,
        min=0,
        help="Seconds a compute host keeps retrying a call that reports progress "
        "to the conductor (an action's result, a deleted guest) while the "
        "broker or the conductor's database is unavailable, before it gives "
        "the report up and logs it. Long enough to outlast a RabbitMQ restart "
        "or a database failover. A build's outcome (build_finished, "
        "build_failed) is retried until it is delivered or the service stops; "
        "heartbeats and inventory reports until the next one is due.",
    ),
    cfg.IntOpt(
        "graceful_shutdown_timeout",
        default=5,
        min=0,
        help="Seconds a service given SIGTERM (or SIGINT) waits for the work "
        "in hand (RPC messages being handled, the conductor's builds, HTTP "
        "requests) before it exits anyway, leaving what did not finish as it "
        "is in the database for the conductors' re-drive; 0 waits without "
        "bound. The name and meaning are oslo.service's (Nova's); minova's "
        "default is short so that a service exits within 10 s under load. "
        "Keep the systemd units' TimeoutStopSec above this plus 5 s.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(service_opts)


def list_opts() -> dict:
    return {"DEFAULT": service_opts}
