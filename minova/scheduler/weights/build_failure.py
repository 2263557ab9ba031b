"""Prefer hosts where builds have not been failing.

Nova's BuildFailureWeigher: a node whose recent builds failed one after
another (a broken hypervisor, a full disk) would otherwise keep winning,
since failing builds leave its resources free. The count is the node's
consecutive failed builds, which the conductor raises on every failed build
there and resets on a successful one. The default multiplier (1,000,000)
makes it outweigh every resource weigher: such a node is chosen only if no
other is left.
"""

from minova.scheduler import weights
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec


class BuildFailureWeigher(weights.BaseHostWeigher):
    multiplier_option = "build_failure_weight_multiplier"

    def _weigh_object(self, host_state: HostState, spec: SchedulingSpec) -> float:
        # Higher weighs better, so the failures count against the host.
        return -host_state.failed_builds

    def weigh_objects(self, hosts: list[HostState], spec: SchedulingSpec) -> list[float]:
        return [-h.failed_builds for h in hosts]  # _weigh_object, inlined
