"""Host filters: small yes/no checks, run in the order the operator lists them.

Each filter answers one question about one host ("is its service up?",
"does the flavor's RAM fit?"); the pipeline records what each one removed,
so a failed request can say which check left it without a host.
"""

from typing import TYPE_CHECKING

from minova import exception
from minova.scheduler.spec import SchedulingSpec

if TYPE_CHECKING:  # host_manager imports this package
    from minova.scheduler.host_manager import HostState


class BaseHostFilter:
    """A feasibility check: host_passes() says whether a host can take the instance."""

    @property
    def name(self) -> str:
        return type(self).__name__

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        """True if ``host_state`` can take one instance of ``spec`` (a SchedulingSpec)."""
        raise NotImplementedError

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        """The hosts that pass; a filter may override this only to go faster."""
        host_passes = self.host_passes
        return [h for h in hosts if host_passes(h, spec)]


def make_record(name: str, before: list["HostState"], after: list["HostState"]) -> dict:
    """The decision entry for one filter: counts in and out, and who was removed."""
    if len(after) == len(before):
        removed = []
    else:
        kept = {id(h) for h in after}
        removed = [h.host for h in before if id(h) not in kept]
    return {"name": name, "in": len(before), "out": len(after), "removed": removed}


def all_filters() -> dict[str, type[BaseHostFilter]]:
    """Every filter an operator may name in ``[filter_scheduler] enabled_filters``."""
    # Imported here because those modules import BaseHostFilter from this one.
    from minova.scheduler.filters import (
        aggregate_instance_extra_specs,
        aggregate_multitenancy_isolation,
        availability_zone,
        capacity,
        compute,
        compute_capabilities,
        hints,
        image_properties,
        num_instances,
        server_group,
    )

    classes = (
        compute.ComputeFilter,
        availability_zone.AvailabilityZoneFilter,
        capacity.RamFilter,
        capacity.CoreFilter,
        capacity.DiskFilter,
        aggregate_instance_extra_specs.AggregateInstanceExtraSpecsFilter,
        aggregate_multitenancy_isolation.AggregateMultiTenancyIsolation,
        server_group.ServerGroupAntiAffinityFilter,
        server_group.ServerGroupAffinityFilter,
        hints.SameHostFilter,
        hints.DifferentHostFilter,
        num_instances.NumInstancesFilter,
        num_instances.AggregateNumInstancesFilter,
        compute_capabilities.ComputeCapabilitiesFilter,
        image_properties.ImagePropertiesFilter,
    )
    return {cls.__name__: cls for cls in classes}


def load_filters(names: list[str]) -> list[BaseHostFilter]:
    """Instances of the named filters, in order; a typo fails at service start."""
    available = all_filters()
    unknown = [name for name in names if name not in available]
    if unknown:
        raise exception.ConfigurationError(
            reason=f"unknown scheduler filter(s) {', '.join(unknown)} in "
            f"[filter_scheduler] enabled_filters; available: {', '.join(sorted(available))}")
    return [available[name]() for name in names]
