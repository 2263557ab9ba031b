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
    cfg.StrOpt(
        "spawn_hold_path",
        default=None,
        help="Testing aid: while a file exists at this path, every spawn on this "
        "host (and every rebuild and rescue, which boot a guest too) waits "
        "(looking again every 0.1 s, for at most spawn_hold_max seconds) "
        "before it ends, so a test can act on a build held in spawning and then "
        "release it by removing the file.",
    ),
    cfg.FloatOpt(
        "spawn_hold_max",
        default=600.0,
        min=0.0,
        help="Testing aid: the longest a spawn waits for spawn_hold_path to be "
        "removed; after that it ends as if the file had gone.",
    ),
    cfg.StrOpt(
        "guests_path",
        default=None,
        help="Testing aid: a JSON file where the fake driver keeps its guests, so "
        "that they outlive a restart of the compute service as a hypervisor's "
        "do (by default they die with the process). A test may edit it while "
        "the service is down to lose guests or add some.",
    ),
    cfg.StrOpt(
        "fail_spawn_for_name",
        default=None,
        help="Testing aid: a server whose name matches this regular expression "
        "fails to spawn on this host, to exercise reschedules.",
    ),
    cfg.StrOpt(
        "fail_snapshot_for_name",
        default=None,
        help="Testing aid: a snapshot (createImage, shelve) of a server whose name "
        "matches this regular expression fails on this host.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(fake_driver_group)
    conf.register_opts(fake_driver_opts, group=fake_driver_group)


def list_opts() -> dict:
    return {"fake_driver": fake_driver_opts}
