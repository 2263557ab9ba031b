"""Only hosts whose compute service can act on a build."""

from typing import TYPE_CHECKING

from minova.scheduler import filters
from minova.scheduler.spec import SchedulingSpec

if TYPE_CHECKING:  # host_manager imports this package
    from minova.scheduler.host_manager import HostState


class ComputeFilter(filters.BaseHostFilter):
    """Removes hosts whose service is down or disabled by an operator.

    A down service would never pick the build message up; a disabled one
    was taken out of scheduling on purpose (maintenance, draining).
    """

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        return host_state.service_up and not host_state.service_disabled

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        # host_passes, inlined: this runs over every host
        return [h for h in hosts if h.service_up and not h.service_disabled]
