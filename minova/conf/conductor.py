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
        "same time. Each waits for the scheduler, which may call back into the "
        "conductor for fresh host states while it answers (after lost claims, or "
        "when no host passed on an older view), so builds run on their own "
        "workers and never hold the RPC workers that serve those calls.",
    ),
    cfg.IntOpt(
        "instance_build_timeout",
        default=3600,
        min=0,
        help="Seconds an instance may stay in BUILD (counted from its creation) "
        "before the conductor sets it to ERROR with the fault \"Instance build "
        "timed out. Set to error state.\"; 0 disables the check. Nova's "
        "compute option of the same name defaults to 0; minova enables it by "
        "default because a build is never to be left in BUILD: when a compute "
        "dies after the build was cast to it, or its build_started/"
        "build_finished call is lost, nothing else would end the build. The "
        "instance keeps its host and allocation (its guest may still run) "
        "until the user deletes it.",
    ),
    cfg.IntOpt(
        "build_timeout_check_interval",
        default=60,
        min=1,
        help="Seconds between two runs of the conductor's check for builds "
        "older than instance_build_timeout (in the first conductor worker "
        "only).",
    ),
    cfg.FloatOpt(
        "select_destinations_timeout",
        default=15.0,
        min=1,
        help="Seconds the conductor waits for a scheduler's answer to "
        "select_destinations. A scheduler that died holding the request never "
        "answers: the build is then left in scheduling for build recovery "
        "rather than failed (no scheduler said there is no host). Placing even "
        "a large request on ten thousand hosts takes well under a second.",
    ),
    cfg.FloatOpt(
        "build_recovery_interval",
        default=5.0,
        min=0,
        help="Seconds between two passes of build recovery on each conductor "
        "worker: builds left in scheduling or never taken by their compute host "
        "are taken over (see build_orphan_timeout, build_ack_timeout); 0 turns "
        "it off, leaving only instance_build_timeout.",
    ),
    cfg.FloatOpt(
        "build_orphan_timeout",
        default=20.0,
        min=1,
        help="Seconds a build may stay in scheduling before another conductor "
        "takes it over and schedules it again: its conductor died, or no "
        "scheduler answered. A build normally leaves scheduling in "
        "milliseconds; one queued behind a burst waits for a build worker, "
        "which is why this is not shorter. Taking over a build that its "
        "conductor was still driving is harmless: only one claim can win.",
    ),
    cfg.FloatOpt(
        "build_ack_timeout",
        default=20.0,
        min=1,
        help="Seconds after its claim that a build is expected to be listed by "
        "its compute host's heartbeat (which lists the builds the host has "
        "taken and not yet reported). After that, a build its live host does "
        "not list is cast to it again (the cast was lost); one whose host is "
        "down is scheduled elsewhere, or, if the host had taken it, set to "
        "ERROR. Keep it above twice the report_interval.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(conductor_group)
    conf.register_opts(conductor_opts, group=conductor_group)


def list_opts() -> dict:
    return {"conductor": conductor_opts}
