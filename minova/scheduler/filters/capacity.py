"""Room checks: RAM, vCPUs and disk, by the one capacity formula.

HostState's free amounts and SchedulingSpec's requested amounts both come
from minova.objects.capacity, the formula the conductor's claim uses, so a
host these filters pass is one the claim will accept (unless someone else
took the room first).
"""

from typing import TYPE_CHECKING

from minova.scheduler import filters
from minova.scheduler.spec import SchedulingSpec

if TYPE_CHECKING:  # host_manager imports this package
    from minova.scheduler.host_manager import HostState


class RamFilter(filters.BaseHostFilter):
    """Removes hosts without the flavor's memory free (after reserved, times ratio)."""

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        return host_state.free_ram_mb >= spec.memory_mb

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        wanted = spec.memory_mb  # host_passes, inlined: this runs over every host
        return [h for h in hosts if h.free_ram_mb >= wanted]


class CoreFilter(filters.BaseHostFilter):
    """Removes hosts without the flavor's vCPUs free (after reserved, times ratio)."""

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        return host_state.free_vcpus >= spec.vcpus

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        wanted = spec.vcpus  # host_passes, inlined: this runs over every host
        return [h for h in hosts if h.free_vcpus >= wanted]


class DiskFilter(filters.BaseHostFilter):
    """Removes hosts without room for root + ephemeral + swap disk."""

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        return host_state.free_disk_gb >= spec.disk_gb

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        wanted = spec.disk_gb  # host_passes, inlined: this runs over every host
        return [h for h in hosts if h.free_disk_gb >= wanted]
