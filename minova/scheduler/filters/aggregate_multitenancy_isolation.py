"""Hosts of tenant-isolated aggregates take only those tenants' instances.

Nova's AggregateMultiTenancyIsolation: an aggregate with metadata
``filter_tenant_id`` (a comma-separated list of project ids; further keys
starting with ``filter_tenant_id`` add more) admits only those projects to
its hosts. Hosts in no such aggregate take every project. This isolates
the hosts; it does not keep those projects off other hosts.
"""

from typing import TYPE_CHECKING

from minova.scheduler import filters
from minova.scheduler.spec import SchedulingSpec

if TYPE_CHECKING:  # host_manager imports this package
    from minova.scheduler.host_manager import HostState

_KEY = "filter_tenant_id"


class AggregateMultiTenancyIsolation(filters.BaseHostFilter):
    """Removes hosts whose aggregates are reserved for other projects."""

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        allowed: set[str] = set()
        for agg in host_state.aggregates:
            for key, value in agg["metadata"].items():
                if key.startswith(_KEY):
                    allowed.update(t.strip() for t in value.split(",") if t.strip())
        if not allowed:
            return True
        return spec.get("project_id") in allowed
