"""Options of the compute service: driver, capacity reporting, allocation ratios."""

from oslo_config import cfg

compute_opts = [
    cfg.StrOpt(
        "compute_driver",
        default="fake.FakeDriver",
        help="Virt driver the compute service uses, relative to minova.virt: "
        "fake.FakeDriver (no hypervisor) or libvirt.LibvirtDriver.",
    ),
    cfg.StrOpt(
        "instances_path",
        default="$state_path/instances",
        help="Where a compute host keeps instance directories and its image cache.",
    ),
    cfg.IntOpt(
        "update_resources_interval",
        default=60,
        min=1,
        help="Seconds between reports of this host's inventory and usage.",
    ),
    cfg.IntOpt(
        "sync_power_state_interval",
        default=600,
        help="Seconds between comparisons of each guest's power state with the "
        "database, to notice guests that stopped or changed behind minova's "
        "back. 0 or less disables it.",
    ),
    cfg.StrOpt(
        "running_deleted_instance_action",
        default="reap",
        choices=[
            ("reap", "Power the guests off and destroy them"),
            ("log", "Log a warning about each of them"),
            ("shutdown", "Power the guests off, keeping them for debugging or analysis"),
            ("noop", "Do nothing"),
        ],
        help="What a compute host does with a guest it runs whose instance the "
        "database says is deleted, or lives on another host (Nova's option of "
        "the same name and default). It acts at service start and every "
        "running_deleted_instance_poll_interval. A guest the database has no "
        "record of at all is only logged, whatever this says: it may not be "
        "minova's.",
    ),
    cfg.BoolOpt(
        "allow_resize_to_same_host",
        default=False,
        help="Nova's option: a resize may pick the server's own host (its "
        "source is not excluded from scheduling). A cold migration always "
        "leaves its host. Read by the conductor.",
    ),
    cfg.IntOpt(
        "resize_confirm_window",
        default=0,
        min=0,
        help="Nova's option: a server in VERIFY_RESIZE for longer than this many "
        "seconds is confirmed by its destination compute host (checked every "
        "minute at most). 0 (the default) never confirms on its own.",
    ),
    cfg.IntOpt(
        "reclaim_instance_interval",
        default=0,
        help="Nova's deferred delete: with a value above 0, deleting a server "
        "soft-deletes it (SOFT_DELETED, its guest powered off, still counted "
        "in its project's quota and still holding its host's resources); the "
        "restore action brings it back, forceDelete deletes it at once, and its "
        "compute host deletes it for good once it has been soft-deleted this "
        "many seconds. 0 (the default) deletes at once. Read by the api "
        "(whether a delete is soft) and by compute hosts (the reclaim).",
    ),
    cfg.IntOpt(
        "shelved_offload_time",
        default=0,
        min=-1,
        help="Nova's: seconds a shelved server keeps its host (guest powered off, "
        "resources still claimed) before its compute host offloads it "
        "(SHELVED_OFFLOADED: guest and disks gone, host and claim freed). 0 "
        "offloads at once, at the end of the shelve; -1 never (only "
        "shelveOffload does). Read by compute hosts.",
    ),
    cfg.IntOpt(
        "shelved_poll_interval",
        default=3600,
        help="Nova's: seconds between a compute host's checks for shelved servers "
        "due for offload (with shelved_offload_time above 0); 0 or less: never.",
    ),
    cfg.IntOpt(
        "running_deleted_instance_poll_interval",
        default=1800,
        min=0,
        help="Seconds between two looks for the guests running_deleted_instance_action "
        "is about (Nova's default). 0 disables the periodic look; the one at "
        "service start still happens.",
    ),
    cfg.StrOpt(
        "default_availability_zone",
        default="nova",
        help="Availability zone of compute hosts that no aggregate places elsewhere.",
    ),
    cfg.FloatOpt(
        "cpu_allocation_ratio",
        default=4.0,
        min=0.0,
        help="Virtual CPUs a host may allocate per physical CPU. Reported with "
        "the host's inventory and applied by the scheduler and by claims.",
    ),
    cfg.FloatOpt(
        "ram_allocation_ratio",
        default=1.0,
        min=0.0,
        help="Virtual RAM a host may allocate per MiB of physical RAM.",
    ),
    cfg.FloatOpt(
        "disk_allocation_ratio",
        default=1.0,
        min=0.0,
        help="Virtual disk a host may allocate per GiB of local disk.",
    ),
    cfg.IntOpt(
        "reserved_host_memory_mb",
        default=512,
        min=0,
        help="RAM kept back for the host itself, never given to instances.",
    ),
    cfg.IntOpt(
        "reserved_host_disk_mb",
        default=0,
        min=0,
        help="Disk kept back for the host itself, never given to instances.",
    ),
    cfg.IntOpt(
        "reserved_host_cpus",
        default=0,
        min=0,
        help="Physical CPUs kept back for the host itself.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(compute_opts)


def list_opts() -> dict:
    return {"DEFAULT": compute_opts}
