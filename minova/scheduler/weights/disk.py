"""Prefer hosts with more free disk (spread), or less with a negative multiplier (stack)."""

from minova.scheduler import weights
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec


class DiskWeigher(weights.BaseHostWeigher):
    multiplier_option = "disk_weight_multiplier"

    def _weigh_object(self, host_state: HostState, spec: SchedulingSpec) -> float:
        return host_state.free_disk_gb

    def weigh_objects(self, hosts: list[HostState], spec: SchedulingSpec) -> list[float]:
        return [h.free_disk_gb for h in hosts]  # _weigh_object, inlined
