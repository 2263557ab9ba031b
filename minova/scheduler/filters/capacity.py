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


class _RoomFilter(filters.BaseHostFilter):
    """A room check states its test once, in filter_all; host_passes asks it of one host.

    filter_all runs over every host of every request, and an attribute
    compared inline in a comprehension takes half the time of a method
    call (or an attrgetter) per host: 0.3 ms less per filter at 10,000
    hosts. So the list form is the one written out, and the one-host form
    is derived from it rather than repeating the comparison.
    """

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        return bool(self.filter_all([host_state], spec))


class RamFilter(_RoomFilter):
    """Removes hosts without the flavor's memory free (after reserved, times ratio)."""

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        wanted = spec.memory_mb
        return [h for h in hosts if h.free_ram_mb >= wanted]


class CoreFilter(_RoomFilter):
    """Removes hosts without the flavor's vCPUs free (after reserved, times ratio)."""

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        wanted = spec.vcpus
        return [h for h in hosts if h.free_vcpus >= wanted]


class DiskFilter(_RoomFilter):
    """Removes hosts without room for root + ephemeral + swap disk."""

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        wanted = spec.disk_gb
        return [h for h in hosts if h.free_disk_gb >= wanted]
