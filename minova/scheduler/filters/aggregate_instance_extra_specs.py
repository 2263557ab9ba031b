"""Only hosts whose aggregates' metadata match the flavor's extra specs.

Nova's AggregateInstanceExtraSpecsFilter: lets an operator reserve hosts
for flavors ("ssd=true" on both the aggregate and the flavor). A flavor
extra spec is considered when it has no scope or the
``aggregate_instance_extra_specs:`` scope; other scoped specs
(``hw:cpu_policy`` ...) belong to other parts and are ignored. Each
considered spec must match one of the values the host's aggregates give
that key; a key none of them sets fails the host, so, as in Nova, a host in
no aggregate only takes flavors without such specs.
"""

from typing import TYPE_CHECKING

from minova.scheduler import filters
from minova.scheduler.filters import extra_specs_ops
from minova.scheduler.spec import SchedulingSpec

if TYPE_CHECKING:  # host_manager imports this package
    from minova.scheduler.host_manager import HostState

_SCOPE = "aggregate_instance_extra_specs"


def aggregate_values(host_state: "HostState") -> dict[str, set[str]]:
    """``{key: {value, ...}}`` over every aggregate the host is in."""
    values: dict[str, set[str]] = {}
    for agg in host_state.aggregates:
        for key, value in agg["metadata"].items():
            values.setdefault(key, set()).add(value)
    return values


class AggregateInstanceExtraSpecsFilter(filters.BaseHostFilter):
    """Removes hosts whose aggregate metadata does not satisfy the flavor's extra specs."""

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        extra_specs = (spec["flavor"] or {}).get("extra_specs") or {}
        if not extra_specs:
            return True
        metadata = aggregate_values(host_state)
        for key, requirement in extra_specs.items():
            scope = key.split(":", 1)
            if len(scope) > 1:
                if scope[0] != _SCOPE:
                    continue
                key = scope[1]
            aggregate_vals = metadata.get(key)
            if not aggregate_vals:
                return False
            if not any(extra_specs_ops.match(value, str(requirement))
                       for value in aggregate_vals):
                return False
        return True
