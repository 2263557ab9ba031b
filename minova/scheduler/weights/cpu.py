"""Prefer hosts with more free vCPUs (spread), or fewer with a negative multiplier (stack)."""

from minova.scheduler import weights
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec


class CPUWeigher(weights.BaseHostWeigher):
    multiplier_option = "cpu_weight_multiplier"

    def _weigh_object(self, host_state: HostState, spec: SchedulingSpec) -> float:
        return host_state.free_vcpus

    def weigh_objects(self, hosts: list[HostState], spec: SchedulingSpec) -> list[float]:
        return [h.free_vcpus for h in hosts]  # _weigh_object, inlined
