"""Prefer hosts with more free vCPUs (spread), or fewer with a negative multiplier (stack)."""

from minova.scheduler import weights
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec


class CPUWeigher(weights.BaseHostWeigher):
    multiplier_option = "cpu_weight_multiplier"

    def _weigh_object(self, host_state: HostState, spec: SchedulingSpec) -> float:
        return host_state.free_vcpus
