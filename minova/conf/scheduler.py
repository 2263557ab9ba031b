"""Scheduler options, named and grouped as Nova names them."""

from oslo_config import cfg

scheduler_group = cfg.OptGroup("scheduler", title="Scheduler options")
filter_scheduler_group = cfg.OptGroup("filter_scheduler", title="Filter scheduler options")

scheduler_opts = [
    cfg.IntOpt(
        "max_attempts",
        default=3,
        min=1,
        help="How many hosts a build may be tried on (the first plus "
        "reschedules) before the instance goes to ERROR.",
    ),
]

filter_scheduler_opts = [
    cfg.ListOpt(
        "enabled_filters",
        default=[
            "ComputeFilter",
            "AvailabilityZoneFilter",
            "RamFilter",
            "CoreFilter",
            "DiskFilter",
        ],
        help="Filters applied, in order, to the candidate hosts of each request.",
    ),
    cfg.ListOpt(
        "weight_classes",
        default=["RAMWeigher", "CPUWeigher"],
        help="Weighers that rank the hosts that passed every filter.",
    ),
    cfg.FloatOpt(
        "ram_weight_multiplier",
        default=1.0,
        help="Multiplier of the RAM weigher. Positive spreads instances over "
        "hosts with the most free RAM; negative stacks them.",
    ),
    cfg.FloatOpt(
        "cpu_weight_multiplier",
        default=1.0,
        help="Multiplier of the CPU weigher. Positive spreads, negative stacks.",
    ),
    cfg.FloatOpt(
        "disk_weight_multiplier",
        default=1.0,
        help="Multiplier of the disk weigher. Positive spreads, negative stacks.",
    ),
    cfg.IntOpt(
        "host_subset_size",
        default=1,
        min=1,
        help="Pick the winner at random among this many best-weighed hosts, "
        "which spreads concurrent schedulers over more hosts.",
    ),
    cfg.IntOpt(
        "max_alternates",
        default=2,
        min=0,
        help="Alternate hosts returned with each selection, tried in order "
        "when the claim on the primary fails or its build fails.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(scheduler_group)
    conf.register_opts(scheduler_opts, group=scheduler_group)
    conf.register_group(filter_scheduler_group)
    conf.register_opts(filter_scheduler_opts, group=filter_scheduler_group)


def list_opts() -> dict:
    return {"scheduler": scheduler_opts, "filter_scheduler": filter_scheduler_opts}
