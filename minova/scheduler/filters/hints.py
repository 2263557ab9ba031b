"""Scheduler hints that place an instance next to, or away from, named instances.

Nova's SameHostFilter and DifferentHostFilter
(nova/scheduler/filters/affinity_filter.py): the user names instances in
``os:scheduler_hints`` ``same_host`` / ``different_host`` (one uuid or a
list). The scheduler holds no instances, so the conductor resolves the
uuids to the hosts they run on (``hint_hosts``, docs/architecture.md
"request spec") and these filters only compare host names.

Whether a hint was given at all is read from ``scheduler_hints``, not from
``hint_hosts``: a hint naming only instances that have no host (or that the
caller cannot see) resolves to no hosts, and then, as in Nova, SameHost
passes no host while DifferentHost passes them all.
"""

from typing import TYPE_CHECKING, Any

from minova.scheduler import filters
from minova.scheduler.spec import SchedulingSpec

if TYPE_CHECKING:  # host_manager imports this package
    from minova.scheduler.host_manager import HostState


def hint_given(spec: SchedulingSpec, name: str) -> bool:
    """True if the request carries a non-empty ``name`` hint.

    Nova's RequestSpec.get_scheduler_hint unwraps a one-element list, so
    ``[""]`` counts as empty just as ``""`` and ``[]`` do.
    """
    value: Any = (spec.get("scheduler_hints") or {}).get(name)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return bool(value)


def hint_hosts(spec: SchedulingSpec, name: str) -> set[str]:
    """The hosts of the instances the ``name`` hint names, as the conductor resolved them."""
    return set((spec.get("hint_hosts") or {}).get(name) or ())


class SameHostFilter(filters.BaseHostFilter):
    """Keeps only the hosts running one of the instances named by ``same_host``."""

    hint = "same_host"

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        if not hint_given(spec, self.hint):
            return True
        return host_state.host in hint_hosts(spec, self.hint)

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        # host_passes over every host, with the hint resolved once.
        if not hint_given(spec, self.hint):
            return hosts
        wanted = hint_hosts(spec, self.hint)
        return [h for h in hosts if h.host in wanted]


class DifferentHostFilter(filters.BaseHostFilter):
    """Removes the hosts running any of the instances named by ``different_host``."""

    hint = "different_host"

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        if not hint_given(spec, self.hint):
            return True
        return host_state.host not in hint_hosts(spec, self.hint)

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        # host_passes over every host, with the hint resolved once.
        if not hint_given(spec, self.hint):
            return hosts
        avoided = hint_hosts(spec, self.hint)
        if not avoided:
            return hosts
        return [h for h in hosts if h.host not in avoided]
