"""Nova's canonical names of CPU architectures, hypervisor types and VM modes.

A host reports what it can run as ``supported_instances``, a list of
``[architecture, hypervisor type, vm mode]``; an image asks for some of the
three in its properties. Both sides say the same thing in different words
("amd64" and "x86_64", "HV" and "hvm"), so both are put in Nova's canonical
form (nova.objects.fields Architecture/HVType/VMMode) before comparing.
"""

# The architecture names libvirt uses, as Nova lists them.
ARCHITECTURES = frozenset((
    "alpha", "armv6", "armv7l", "armv7b", "aarch64", "cris", "i686", "ia64", "lm32", "m68k",
    "microblaze", "microblazeel", "mips", "mipsel", "mips64", "mips64el", "openrisc",
    "parisc", "parisc64", "ppc", "ppcle", "ppc64", "ppc64le", "ppcemb", "s390", "s390x",
    "sh4", "sh4eb", "sparc", "sparc64", "unicore32", "x86_64", "xtensa", "xtensaeb",
))
# Virtualisation types, not drivers: libvirt offers "qemu" (TCG) and "kvm".
HV_TYPES = frozenset((
    "baremetal", "bhyve", "docker", "fake", "hyperv", "ironic", "kqemu", "kvm", "lxc", "lxd",
    "openvz", "parallels", "vz", "phyp", "qemu", "test", "uml", "vbox", "vmware", "xen",
    "zvm", "prsm",
))
# hvm: fully virtualised; xen: Xen PV; uml: User Mode Linux; exe: containers.
VM_MODES = frozenset(("hvm", "xen", "uml", "exe"))

_ARCH_ALIASES = {"i386": "i686", "i486": "i686", "i586": "i686",
                 "x86_32": "i686", "x86_32p": "i686",  # an old Xen mistake
                 "amd64": "x86_64"}
_HV_TYPE_ALIASES = {"xapi": "xen"}
_VM_MODE_ALIASES = {"pv": "xen", "hv": "hvm", "baremetal": "hvm"}  # pre-Folsom names


def canonical_architecture(name: str | None) -> str | None:
    """``name`` in Nova's spelling; a name Nova does not know is returned lowercased."""
    if name is None:
        return None
    name = str(name).lower()
    return _ARCH_ALIASES.get(name, name)


def canonical_hv_type(name: str | None) -> str | None:
    if name is None:
        return None
    name = str(name).lower()
    return _HV_TYPE_ALIASES.get(name, name)


def canonical_vm_mode(name: str | None) -> str | None:
    if name is None:
        return None
    name = str(name).lower()
    return _VM_MODE_ALIASES.get(name, name)


def supported_instance(arch: str, hv_type: str, vm_mode: str) -> list[str] | None:
    """The canonical ``[arch, hv_type, vm_mode]``, or None if Nova knows one of them not.

    A hypervisor may list guests Nova has no name for (a new emulated
    architecture); such an entry is left out rather than failing the report.
    """
    entry = [canonical_architecture(arch), canonical_hv_type(hv_type),
             canonical_vm_mode(vm_mode)]
    if entry[0] in ARCHITECTURES and entry[1] in HV_TYPES and entry[2] in VM_MODES:
        return entry
    return None
