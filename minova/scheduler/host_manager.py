"""The scheduler's in-memory view of the compute hosts.

The conductor owns the truth (the compute_nodes rows); the scheduler keeps
a copy that it refreshes on every request, and between refreshes subtracts
what it has itself just handed out. Without that local consumption, the
instances of one request, or two requests a moment apart, would all land on
the same "best" host before its claims show up in the conductor's numbers.
"""

import contextlib
import itertools
import threading
from collections.abc import Iterator

from minova.context import RequestContext
from minova.objects import capacity
from minova.scheduler import filters as base_filters

# The host_state keys (docs/architecture.md) copied onto a HostState. The
# inventory and usage keys change only together with ``generation``.
_INVENTORY_KEYS = (
    "compute_node_id", "uuid", "host", "nodename",
    "vcpus", "vcpus_used", "memory_mb", "memory_mb_used", "local_gb", "local_gb_used",
    "cpu_allocation_ratio", "ram_allocation_ratio", "disk_allocation_ratio",
    "reserved_host_memory_mb", "reserved_host_disk_mb", "reserved_host_cpus",
    "running_vms", "availability_zone", "generation", "updated_at",
)
# The service's state moves with heartbeats and admin actions, not with the
# node's generation, so it is taken from every refresh.
_SERVICE_KEYS = ("service_up", "service_disabled", "service_disabled_reason")


class HostState:
    """One compute node as filters and weighers see it.

    Attributes rather than a dict, and the free amounts precomputed, because
    filters and weighers read them for every host of every request.
    """

    __slots__ = _INVENTORY_KEYS + _SERVICE_KEYS + ("free_vcpus", "free_ram_mb", "free_disk_gb")

    def __init__(self, host_state: dict) -> None:
        self.update_inventory(host_state)
        self.update_service(host_state)

    def update_inventory(self, host_state: dict) -> None:
        """Take the conductor's inventory and usage, dropping local consumption."""
        for key in _INVENTORY_KEYS:
            setattr(self, key, host_state[key])
        free = capacity.free_resources(host_state)
        self.free_vcpus = free["vcpus"]
        self.free_ram_mb = free["memory_mb"]
        self.free_disk_gb = free["disk_gb"]

    def update_service(self, host_state: dict) -> None:
        # Plain assignments, not a loop: this runs for every host on every request.
        self.service_up = host_state["service_up"]
        self.service_disabled = host_state["service_disabled"]
        self.service_disabled_reason = host_state["service_disabled_reason"]

    def consume(self, requested: dict) -> None:
        """Count an instance placed here that the conductor has not claimed yet."""
        self.vcpus_used += requested["vcpus"]
        self.memory_mb_used += requested["memory_mb"]
        self.local_gb_used += requested["disk_gb"]
        self.running_vms += 1
        self.free_vcpus -= requested["vcpus"]
        self.free_ram_mb -= requested["memory_mb"]
        self.free_disk_gb -= requested["disk_gb"]

    def release(self, requested: dict) -> None:
        """Undo consume(), for a request that could not place all its instances."""
        self.vcpus_used -= requested["vcpus"]
        self.memory_mb_used -= requested["memory_mb"]
        self.local_gb_used -= requested["disk_gb"]
        self.running_vms -= 1
        self.free_vcpus += requested["vcpus"]
        self.free_ram_mb += requested["memory_mb"]
        self.free_disk_gb += requested["disk_gb"]

    def selection(self) -> dict:
        """This host as one entry of a select_destinations answer."""
        return {
            "service_host": self.host,
            "nodename": self.nodename,
            "compute_node_id": self.compute_node_id,
            "compute_node_uuid": self.uuid,
        }

    def __repr__(self) -> str:
        return (f"HostState({self.host}/{self.nodename} gen={self.generation} "
                f"free: ram={self.free_ram_mb}MB vcpus={self.free_vcpus} "
                f"disk={self.free_disk_gb}GB)")


class HostManager:
    """Keeps the host states between requests and merges each refresh into them.

    Use ``with host_manager.host_states(ctxt) as hosts:`` around a whole
    placement: the lock it holds makes filtering, weighing and consuming one
    step, so two requests handled at once cannot both take the same room.
    """

    def __init__(self, conductor_api) -> None:
        self.conductor_api = conductor_api
        self._states: dict[str, HostState] = {}  # by compute node uuid
        self._lock = threading.Lock()
        # Tickets taken before each fetch: a fetch that started earlier than
        # one already merged carries older numbers and must not overwrite them.
        self._tickets = itertools.count(1)
        self._merged_ticket = 0

    @contextlib.contextmanager
    def host_states(self, ctxt: RequestContext) -> Iterator[list[HostState]]:
        """Refresh from the conductor, then hold the placement lock while in use."""
        ticket = next(self._tickets)
        # The RPC call stays outside the lock so a slow conductor answer does
        # not also hold up the merging and placing of other requests.
        raw_hosts = self.conductor_api.get_host_states(ctxt, since_generations=None)["hosts"]
        with self._lock:
            yield self._merge(ticket, raw_hosts)

    def _merge(self, ticket: int, raw_hosts: list[dict]) -> list[HostState]:
        stale = ticket < self._merged_ticket
        cached = self._states
        current: dict[str, HostState] = {}
        for raw in raw_hosts:
            state = cached.get(raw["uuid"])
            if state is None:
                state = HostState(raw)
            elif stale:
                pass
            elif state.generation == raw["generation"]:
                # Nothing was claimed or released there since our copy, so
                # what we consumed locally is still pending: keep it.
                state.update_service(raw)
            else:
                state.update_inventory(raw)
                state.update_service(raw)
            current[state.uuid] = state
        if not stale:
            self._states = current
            self._merged_ticket = ticket
        return list(current.values())


def exclude_hosts(hosts: list[HostState], request_spec: dict) -> tuple[list[HostState], list]:
    """Drop the hosts this request must not use, before any filter runs.

    ``ignore_hosts`` are host names; ``retry.hosts`` are the [host, node]
    pairs a build of this request already failed on (Nova's RetryFilter).
    Returns the remaining hosts and a filter record for each exclusion that
    removed something, so a decision shows why those hosts never competed.
    """
    records = []
    ignore = set(request_spec.get("ignore_hosts") or ())
    if ignore:
        kept = [h for h in hosts if h.host not in ignore]
        if len(kept) != len(hosts):
            records.append(base_filters.make_record("IgnoreHosts", hosts, kept))
        hosts = kept
    retry = request_spec.get("retry") or {}
    tried = {(host, node) for host, node in retry.get("hosts") or ()}
    if tried:
        kept = [h for h in hosts if (h.host, h.nodename) not in tried]
        if len(kept) != len(hosts):
            records.append(base_filters.make_record("RetryFilter", hosts, kept))
        hosts = kept
    return hosts, records
