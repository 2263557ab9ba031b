"""Options of the conductor service."""

from oslo_config import cfg

conductor_group = cfg.OptGroup("conductor", title="Conductor options")

conductor_opts = [
    cfg.IntOpt(
        "build_workers",
        default=8,
        min=1,
        help="Builds (and reschedules) the conductor schedules and claims at the "
        "same time. Each waits for the scheduler, which calls back into the "
        "conductor for host states, so they run on their own workers and never "
        "hold the RPC workers that serve those calls.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(conductor_group)
    conf.register_opts(conductor_opts, group=conductor_group)


def list_opts() -> dict:
    return {"conductor": conductor_opts}
