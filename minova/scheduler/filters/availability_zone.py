"""Only hosts in the availability zone the user asked for."""

from typing import TYPE_CHECKING

from minova.scheduler import filters
from minova.scheduler.spec import SchedulingSpec

if TYPE_CHECKING:  # host_manager imports this package
    from minova.scheduler.host_manager import HostState


class AvailabilityZoneFilter(filters.BaseHostFilter):
    """Removes hosts outside the requested zone; no zone requested means any zone."""

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        zone = spec.availability_zone
        return zone is None or host_state.availability_zone == zone

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        # The common case asks for no zone: skip the per-host loop entirely.
        if spec.availability_zone is None:
            return list(hosts)
        return super().filter_all(hosts, spec)
