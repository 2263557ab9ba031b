"""Options of the libvirt virt driver, named as Nova names them."""

from oslo_config import cfg

libvirt_group = cfg.OptGroup("libvirt", title="Libvirt driver options")

libvirt_opts = [
    cfg.StrOpt(
        "connection_uri",
        default="qemu:///system",
        help="libvirt URI the compute service connects to. qemu:///system for a "
        "host's libvirtd; test:///default for libvirt's in-process test driver.",
    ),
    cfg.StrOpt(
        "virt_type",
        default="kvm",
        choices=[("kvm", "hardware virtualisation (real hypervisor hosts)"),
                 ("qemu", "TCG software emulation (no usable /dev/kvm)")],
        help="Domain type of the guests. Only use qemu where KVM is not usable: "
        "it is an emulator and much slower.",
    ),
    cfg.IntOpt(
        "wait_soft_reboot_seconds",
        default=120,
        min=0,
        help="Seconds to wait for a guest to come back from an ACPI (soft) reboot "
        "before falling back to a hard reboot.",
    ),
]

default_opts = [
    cfg.StrOpt(
        "instance_name_template",
        default="instance-%08x",
        help="Template of hypervisor domain names, filled with the instance's "
        "integer id.",
    ),
    cfg.IntOpt(
        "shutdown_timeout",
        default=60,
        min=0,
        help="Seconds to wait for a guest to shut down cleanly (ACPI) before it is "
        "powered off hard.",
    ),
    cfg.StrOpt(
        "image_cache_subdirectory_name",
        default="_base",
        help="Directory under instances_path where base images are cached, one "
        "download per image per host.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(libvirt_group)
    conf.register_opts(libvirt_opts, group=libvirt_group)
    conf.register_opts(default_opts)


def list_opts() -> dict:
    return {"DEFAULT": default_opts, "libvirt": libvirt_opts}
