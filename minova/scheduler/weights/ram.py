"""Prefer hosts with more free RAM (spread), or less with a negative multiplier (stack)."""

from minova.scheduler import weights
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec


class RAMWeigher(weights.BaseHostWeigher):
    multiplier_option = "ram_weight_multiplier"

    def _weigh_object(self, host_state: HostState, spec: SchedulingSpec) -> float:
        return host_state.free_ram_mb

    def weigh_objects(self, hosts: list[HostState], spec: SchedulingSpec) -> list[float]:
        return [h.free_ram_mb for h in hosts]  # _weigh_object, inlined
