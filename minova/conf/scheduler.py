"""Scheduler options, named and grouped as Nova names them."""

from oslo_config import cfg

from minova.objects import virt_types

scheduler_group = cfg.OptGroup("scheduler", title="Scheduler options")
filter_scheduler_group = cfg.OptGroup("filter_scheduler", title="Filter scheduler options")

scheduler_opts = [
    cfg.FloatOpt(
        "host_state_refresh_interval",
        default=1.0,
        min=0.05,
        help="Seconds between the scheduler's refreshes of its host states from "
        "the conductor. Requests are placed on the states as last refreshed "
        "(less what the scheduler has handed out since), so a placement costs "
        "no round trip to the conductor; a request that finds no host on "
        "states older than itself reads them afresh. Shorter: choices see other "
        "schedulers' claims and freed room sooner; longer: fewer messages.",
    ),
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
            "ComputeCapabilitiesFilter",
            "ImagePropertiesFilter",
            "ServerGroupAntiAffinityFilter",
            "ServerGroupAffinityFilter",
        ],
        help="Filters applied, in order, to the candidate hosts of each request.",
    ),
    cfg.ListOpt(
        "weight_classes",
        default=["RAMWeigher", "CPUWeigher", "DiskWeigher", "ServerGroupSoftAffinityWeigher",
                 "ServerGroupSoftAntiAffinityWeigher", "BuildFailureWeigher"],
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
    cfg.FloatOpt(
        "build_failure_weight_multiplier",
        default=1000000.0,
        help="Multiplier of the BuildFailureWeigher, which counts against a host "
        "the builds that failed there in a row (reset by a successful one). The "
        "default outweighs every other weigher, so a host whose builds keep "
        "failing is chosen only when no other can take the instance; 0 ignores "
        "failed builds.",
    ),
    cfg.StrOpt(
        "image_properties_default_architecture",
        choices=sorted(virt_types.ARCHITECTURES),
        help="Architecture the ImagePropertiesFilter assumes for an image without "
        "hw_architecture, so that such images do not land on hosts of another "
        "architecture. Unset: an image without it runs on any architecture.",
    ),
    cfg.FloatOpt(
        "soft_affinity_weight_multiplier",
        default=1.0,
        min=0.0,
        help="Multiplier of the ServerGroupSoftAffinityWeigher, which prefers "
        "the hosts running the most members of a soft-affinity server group. "
        "Every weigher's weights are normalised to 0..1, so at 1.0 it counts "
        "as much as each of the RAM, CPU and disk weighers, which prefer "
        "emptier hosts; above the sum of their multipliers it outweighs them. Only "
        "non-negative values are allowed: a negative one would make it a "
        "soft-anti-affinity weigher.",
    ),
    cfg.FloatOpt(
        "soft_anti_affinity_weight_multiplier",
        default=1.0,
        min=0.0,
        help="Multiplier of the ServerGroupSoftAntiAffinityWeigher, which "
        "prefers the hosts running the fewest members of a soft-anti-affinity "
        "server group. Only non-negative values are allowed: a negative one "
        "would make it a soft-affinity weigher.",
    ),
    cfg.IntOpt(
        "max_instances_per_host",
        default=50,
        min=1,
        help="With NumInstancesFilter enabled, a host already running this "
        "many instances takes no more. AggregateNumInstancesFilter uses the "
        "smallest max_instances_per_host metadata of the host's aggregates "
        "instead, and this value for hosts without one.",
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
    cfg.IntOpt(
        "decision_removed_hosts",
        default=10,
        min=0,
        help="How many of the hosts a filter removed the scheduling decision "
        "names for that filter: the first ones, in host order. The decision "
        "always counts them all (removed_count) and says when it names fewer "
        "(removed_truncated); 'minova-manage scheduler explain' shows the rest "
        "as 'and N more'. The default, as many as the scheduler's log line "
        "names, is enough to recognise a pattern (one zone, hosts just "
        "filled). Naming every removed host took most of the filtering time "
        "at 10,000 hosts, and the conductor stores each decision with the "
        "server's create action, in a column MariaDB limits to 64 KB. 0 names "
        "none.",
    ),
    cfg.IntOpt(
        "decision_top_weights",
        default=5,
        min=0,
        help="How many hosts the scheduling decision gives the weights of: "
        "the best ones by total weight, plus the chosen host and its "
        "alternates wherever they rank. The decision counts every host "
        "weighed (hosts_weighed). The default, the number of scores Nomad's "
        "allocation metrics keep, shows the winner's closest competitors; "
        "recording every weighed host took longer, at 10,000 hosts, than "
        "weighing them.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(scheduler_group)
    conf.register_opts(scheduler_opts, group=scheduler_group)
    conf.register_group(filter_scheduler_group)
    conf.register_opts(filter_scheduler_opts, group=filter_scheduler_group)


def list_opts() -> dict:
    return {"scheduler": scheduler_opts, "filter_scheduler": filter_scheduler_opts}
