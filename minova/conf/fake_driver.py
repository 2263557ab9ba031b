"""Inventory the fake virt driver reports, so tests can shape each host's capacity."""

from oslo_config import cfg

fake_driver_group = cfg.OptGroup("fake_driver", title="Fake virt driver options")

fake_driver_opts = [
    cfg.IntOpt("vcpus", default=1000, min=0, help="vCPUs the fake host reports."),
    cfg.IntOpt(
        "memory_mb", default=1048576, min=0, help="RAM in MiB the fake host reports."
    ),
    cfg.IntOpt(
        "local_gb", default=100000, min=0, help="Local disk in GiB the fake host reports."
    ),
    cfg.StrOpt(
        "architecture",
        default="x86_64",
        help="CPU architecture the fake host reports (in cpu_info and as the one "
        "architecture of its supported_instances, with hypervisor type fake and "
        "vm mode hvm), so tests can shape hosts the ImagePropertiesFilter tells apart.",
    ),
    cfg.FloatOpt(
        "spawn_delay",
        default=0.0,
        min=0.0,
        help="Testing aid: seconds a spawn takes, to exercise actions that "
        "arrive while an instance is spawning.",
    ),
    cfg.StrOpt(
        "fail_spawn_for_name",
        default=None,
        help="Testing aid: a server whose name matches this regular expression "
        "fails to spawn on this host, to exercise reschedules.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(fake_driver_group)
    conf.register_opts(fake_driver_opts, group=fake_driver_group)


def list_opts() -> dict:
    return {"fake_driver": fake_driver_opts}
