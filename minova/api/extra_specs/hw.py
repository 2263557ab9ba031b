"""Guest hardware specs: ``hw:``, ``hw_rng:``, ``hw_video:``, ``os:`` and the
un-namespaced ``hide_hypervisor_id``.

Read by the virt driver when it builds the guest (minova's fake and libvirt
drivers read few of them); declared here so a typo or a bad value is
refused at the API instead of ignored at build time.
"""

from minova.api.extra_specs.spec import Spec

# A guest CPU set: ``0-3,^2``, ``^0-1``, ``5``.
CPU_SET = r"\^?\d+((-\d+)?(,\^?\d+(-\d+)?)?)*"
_NODE = {"node": r"\d+"}


def _flag(name: str, description: str) -> Spec:
    return Spec(name, bool, description=description)


def _count(name: str, description: str, minimum: int = 1) -> Spec:
    return Spec(name, int, min=minimum, description=description)


def _choice(name: str, description: str, *choices: str) -> Spec:
    return Spec(name, str, enum=choices, description=description)


CPU = (
    _choice("hw:cpu_policy", "Shared (may be overcommitted), dedicated (pinned) "
            "or mixed guest CPUs.", "dedicated", "shared", "mixed"),
    _choice("hw:cpu_thread_policy", "Whether hosts with SMT threads are preferred, "
            "required or avoided for pinned CPUs.", "prefer", "isolate", "require"),
    _choice("hw:emulator_threads_policy", "Where the emulator threads of a pinned "
            "guest run.", "isolate", "share"),
    Spec("hw:cpu_dedicated_mask", pattern=CPU_SET,
         description="The guest CPUs pinned under the mixed policy."),
    _flag("hw:cpu_realtime", "Realtime scheduling of the guest CPUs."),
    Spec("hw:cpu_realtime_mask", pattern=r"(\^)?\d+((-\d+)?(,\^?\d+(-\d+)?)?)*",
         description="The guest CPUs excluded from realtime scheduling."),
    _count("hw:cpu_sockets", "Sockets of the guest CPU topology."),
    _count("hw:cpu_cores", "Cores per socket of the guest CPU topology."),
    _count("hw:cpu_threads", "Threads per core of the guest CPU topology."),
    # hw:cpu_max_* is what the virt drivers read; Nova's first registry
    # spelled them hw:max_cpu_*, so both are accepted.
    _count("hw:cpu_max_sockets", "Most sockets an image may ask for."),
    _count("hw:cpu_max_cores", "Most cores per socket an image may ask for."),
    _count("hw:cpu_max_threads", "Most threads per core an image may ask for."),
    _count("hw:max_cpu_sockets", "Most sockets an image may ask for."),
    _count("hw:max_cpu_cores", "Most cores per socket an image may ask for."),
    _count("hw:max_cpu_threads", "Most threads per core an image may ask for."),
    _choice("hw:maxphysaddr_mode", "How the guest's physical address bits are "
            "chosen.", "passthrough", "emulate"),
    _count("hw:maxphysaddr_bits", "The guest's physical address bits (emulate mode)."),
)

MEMORY_AND_NUMA = (
    Spec("hw:mem_page_size", pattern=r"(large|small|any|\d+([kKMGT]i?)?(b|bit|B)?)",
         description="Page size backing guest memory: an alias or a size."),
    _flag("hw:locked_memory", "Lock the guest's memory in host RAM."),
    _flag("hw:mem_encryption", "Encrypt guest memory (AMD SEV)."),
    _choice("hw:mem_encryption_model", "The CPU feature that encrypts guest memory.",
            "amd-sev", "amd-sev-es"),
    _count("hw:numa_nodes", "Guest NUMA nodes."),
    Spec("hw:numa_cpus.{node}", pattern=CPU_SET, params=_NODE,
         description="The guest CPUs of guest NUMA node {node}."),
    Spec("hw:numa_mem.{node}", int, min=1, params=_NODE,
         description="The guest memory (MiB) of guest NUMA node {node}."),
    _choice("hw:pci_numa_affinity_policy", "NUMA affinity of PCI and SR-IOV "
            "devices.", "required", "preferred", "legacy", "socket"),
    Spec("hw:pmem", pattern=r"([a-zA-Z0-9_]+(,)?)+",
         description="Comma-separated labels of virtual persistent memory devices."),
)

DEVICES_AND_FEATURES = (
    _flag("hw:hide_hypervisor_id", "Hide the hypervisor signature from the guest."),
    _flag("hw:boot_menu", "Show a boot menu."),
    _flag("hw:pmu", "Expose a virtual performance monitoring unit."),
    _count("hw:serial_port_count", "Serial ports of the guest.", minimum=0),
    _choice("hw:tpm_model", "The virtual TPM device model.", "tpm-tis", "tpm-crb"),
    _choice("hw:tpm_version", "The virtual TPM version.", "1.2", "2.0"),
    _choice("hw:tpm_secret_security", "Who keeps the vTPM secret.",
            "user", "host", "deployment"),
    _choice("hw:watchdog_action", "What the watchdog does when it fires.",
            "none", "pause", "poweroff", "reset", "disabled"),
    _choice("hw:viommu_model", "The virtual IOMMU model.",
            "intel", "smmuv3", "virtio", "auto"),
    _flag("hw:virtio_packed_ring", "Use packed virtqueues."),
    _flag("hw:vif_multiqueue_enabled", "One virtio-net queue per guest CPU."),
    _flag("hw:disk_iothread", "Serve guest disks from a dedicated QEMU IOThread."),
    _flag("hw:ephemeral_encryption", "Encrypt ephemeral disks."),
    # Nova bounds these three by enumerations of its object model; any
    # value is accepted here rather than refuse one a newer Nova knows.
    Spec("hw:ephemeral_encryption_format", description="Format of encrypted ephemeral disks."),
    Spec("hw:sound_model", description="The sound device model."),
    Spec("hw:usb_model", description="The USB controller model."),
    Spec("hw:redirected_usb_ports", int, min=0, max=15,
         description="USB redirection ports (SPICE)."),
)

OTHER = (
    _flag("hw_rng:allowed", "Whether images may ask for a random number generator."),
    _count("hw_rng:rate_bytes", "Bytes of host entropy per period.", minimum=0),
    _count("hw_rng:rate_period", "Length of an entropy period.", minimum=0),
    _count("hw_video:ram_max_mb", "Most video memory (MiB) an image may ask for.",
           minimum=0),
    _choice("os:secure_boot", "Whether the guest boots with UEFI secure boot.",
            "disabled", "required"),
    # un-namespaced: checked, but it puts no namespace off limits
    _flag("hide_hypervisor_id", "Hide the hypervisor signature (old spelling)."),
)

SPECS = CPU + MEMORY_AND_NUMA + DEVICES_AND_FEATURES + OTHER
