"""Only hosts that can run the image: its architecture, hypervisor type, VM mode.

Nova's ImagePropertiesFilter. An image may ask for ``hw_architecture``,
``img_hv_type`` and ``hw_vm_mode`` (or their pre-Liberty names
``architecture``, ``hypervisor_type`` and ``vm_mode``; the new name wins
when both are set); a host passes if one entry of its
``supported_instances`` has every one asked for. ``img_hv_requested_version``
(``hypervisor_version_requires``), e.g. ``">=6.0,<6.2"``, is then compared
with the host's hypervisor version, but only when one of the three is asked
for too, as in Nova. An image asking for none of them passes every host; a
host that reports no supported_instances passes only such images.

``[filter_scheduler] image_properties_default_architecture`` stands in for
an image's missing ``hw_architecture``, so images without one do not land
on hosts of another architecture.
"""

import re
from typing import TYPE_CHECKING

import minova.conf
from minova.objects import virt_types
from minova.scheduler import filters
from minova.scheduler.spec import SchedulingSpec

if TYPE_CHECKING:  # host_manager imports this package
    from minova.scheduler.host_manager import HostState

CONF = minova.conf.CONF

# (property, its pre-Liberty name) of each thing an image may ask for.
_ARCH = ("hw_architecture", "architecture")
_HV_TYPE = ("img_hv_type", "hypervisor_type")
_VM_MODE = ("hw_vm_mode", "vm_mode")
_VERSION = ("img_hv_requested_version", "hypervisor_version_requires")

_CLAUSE = re.compile(r"^\s*(<=|>=|<|>|!=|==)\s*(\d+(?:\.\d+)*)\s*$")
_COMPARE = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}


def _prop(props: dict, names: tuple[str, str]):
    new, legacy = names
    value = props.get(new)
    return props.get(legacy) if value is None else value


def requested(spec: SchedulingSpec) -> tuple | None:
    """``((arch, hv_type, vm_mode), version requirement)`` the image asks for, or None."""
    props = (spec.get("image") or {}).get("properties") or {}
    arch = _prop(props, _ARCH) or CONF.filter_scheduler.image_properties_default_architecture
    wanted = (virt_types.canonical_architecture(arch),
              virt_types.canonical_hv_type(_prop(props, _HV_TYPE) or None),
              virt_types.canonical_vm_mode(_prop(props, _VM_MODE) or None))
    if not any(wanted):
        return None
    return wanted, _prop(props, _VERSION)


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = tuple(int(p) for p in text.split("."))
    return parts + (0,) * (3 - len(parts))


def hypervisor_version_tuple(version: int) -> tuple[int, ...]:
    """Nova's integer version (major * 1,000,000 + minor * 1,000 + micro) as a tuple."""
    parts = []
    while version:
        version, part = divmod(version, 1000)
        parts.insert(0, part)
    return tuple(parts) + (0,) * (3 - len(parts))


def version_satisfies(version: int, requirement: str) -> bool:
    """True if ``version`` meets every comma-separated clause (``">=6.0,<6.2"``).

    A requirement that does not parse is met by no host: the image asks
    for something no version can give.
    """
    have = hypervisor_version_tuple(version)
    for clause in str(requirement).split(","):
        match = _CLAUSE.match(clause)
        if match is None:
            return False
        if not _COMPARE[match.group(1)](have, _version_tuple(match.group(2))):
            return False
    return True


def supports(supported_instances: list, hypervisor_version: int, wanted: tuple) -> bool:
    """Whether a host with these capabilities can run what ``requested()`` returned."""
    props, version_required = wanted
    if not supported_instances:
        return False
    for entry in supported_instances:
        # Nova's test: each asked-for name is among the entry's three.
        if all(p is None or p in entry for p in props):
            if not (hypervisor_version and version_required):
                return True
            if version_satisfies(hypervisor_version, version_required):
                return True
    return False


class ImagePropertiesFilter(filters.BaseHostFilter):
    """Removes hosts whose supported_instances cannot run the image."""

    RUN_ON_REBUILD = True

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        wanted = requested(spec)
        return wanted is None or supports(host_state.supported_instances,
                                          host_state.hypervisor_version, wanted)

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        wanted = requested(spec)
        if wanted is None:  # most images ask for nothing: no per-host work at all
            return list(hosts)
        # Hosts of one kind share one parsed supported_instances list (see
        # HostState), so the answer is worked out once per kind. The list is
        # kept in the key's entry so its id cannot be reused meanwhile.
        verdicts: dict[tuple[int, int], tuple[list, bool]] = {}
        kept = []
        for host_state in hosts:
            supported = host_state.supported_instances
            version = host_state.hypervisor_version
            key = (id(supported), version)
            entry = verdicts.get(key)
            if entry is None:
                entry = verdicts[key] = (supported, supports(supported, version, wanted))
            if entry[1]:
                kept.append(host_state)
        return kept
