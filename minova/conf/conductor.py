"""Options of the conductor service."""

from oslo_config import cfg

conductor_group = cfg.OptGroup("conductor", title="Conductor options")

conductor_opts = [
    cfg.IntOpt(
        "workers",
        default=1,
        min=1,
        help="Conductor processes to run. They share the conductor topic, so "
        "RabbitMQ spreads requests over them; one process uses at most one "
        "core (the GIL), and the conductor is where a boot spends most of its "
        "CPU. Set it to the number of cores on a dedicated conductor host.",
    ),
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
