"""The scheduler's in-memory view of the compute hosts.

The conductor owns the truth (the compute_nodes rows); the scheduler keeps
a copy that it refreshes on a timer (``[scheduler]
host_state_refresh_interval``), not per request, and between refreshes
subtracts what it has itself just handed out. Without that local
consumption, the instances of one request, or two requests a moment apart,
would all land on the same "best" host before its claims show up in the
conductor's numbers. A view a little old is safe: the conductor's claim is
what makes a choice stick, and a request whose hosts all filled up under
it comes back asking for fresh states (see ``SchedulerManager``).
"""

import contextlib
import datetime
import itertools
import json
import threading
import time
from collections.abc import Iterator, Sequence

from minova.context import RequestContext
from minova.objects import capacity

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
# What the compute reports about itself (its capability set, shared by the
# hosts that report the same), and its failed builds in a row: these too
# change only with ``generation``.
_CAPABILITY_KEYS = ("capability_set", "failed_builds")


def capability_set(values: dict) -> dict:
    """What a compute reports about itself, from ``values``, with the right types.

    Missing means unknown: no hypervisor type, version 0, an empty cpu_info
    and no supported_instances.
    """
    return {"hypervisor_type": values.get("hypervisor_type"),
            "hypervisor_version": values.get("hypervisor_version") or 0,
            "cpu_info": _parsed(values.get("cpu_info"), dict),
            "supported_instances": _parsed(values.get("supported_instances"), list)}


def _parsed(raw, kind: type):
    """``raw`` (a ``kind``, or the JSON text a compute reported) as a ``kind``."""
    if isinstance(raw, kind):
        return raw
    if isinstance(raw, str):
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        if isinstance(value, kind):
            return value
    return kind()  # nothing, or garbage, reported


class HostState:
    """One compute node as filters and weighers see it.

    Attributes rather than a dict, and the free amounts precomputed, because
    filters and weighers read them for every host of every request.
    """

    __slots__ = _INVENTORY_KEYS + _SERVICE_KEYS + _CAPABILITY_KEYS + (
        "aggregates", "free_vcpus", "free_ram_mb", "free_disk_gb")

    def __init__(self, host_state: dict, capability_sets: Sequence[dict] = ()) -> None:
        self.update_inventory(host_state, capability_sets)
        self.update_service(host_state)

    def update_inventory(self, host_state: dict, capability_sets: Sequence[dict] = ()) -> None:
        """Take the conductor's inventory and usage, dropping local consumption.

        ``capability_sets`` are the answer's, as capability_set() returns
        them; the host's ``capability_set`` is an index into them.
        """
        for key in _INVENTORY_KEYS:
            setattr(self, key, host_state[key])
        # [{"id", "name", "metadata"}]; a change bumps the node's generation.
        # Absent from an older conductor's answer: no aggregates.
        self.aggregates = host_state.get("aggregates") or []
        self.failed_builds = host_state.get("failed_builds", 0)  # absent: none
        # One reference, not four attributes: this runs for every host of a
        # full refresh, and few requests read them. A host_state may also
        # carry the keys itself, or lack them (an older conductor).
        index = host_state.get("capability_set")
        if index.__class__ is int:
            self.capability_set = capability_sets[index]
        else:
            self.capability_set = capability_set(host_state)
        free = capacity.free_resources(host_state)
        self.free_vcpus = free["vcpus"]
        self.free_ram_mb = free["memory_mb"]
        self.free_disk_gb = free["disk_gb"]

    # What the compute reports about itself. The values are shared by the
    # hosts of one capability set: read-only.

    @property
    def hypervisor_type(self) -> str | None:
        return self.capability_set["hypervisor_type"]

    @property
    def hypervisor_version(self) -> int:
        """Nova's integer form: major * 1,000,000 + minor * 1,000 + micro."""
        return self.capability_set["hypervisor_version"]

    @property
    def cpu_info(self) -> dict:
        return self.capability_set["cpu_info"]

    @property
    def supported_instances(self) -> list:
        """``[[arch, hv_type, vm_mode], ...]`` the node can run; may be empty."""
        return self.capability_set["supported_instances"]

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
            # the zone the instance takes, so the claim need not read it
            "availability_zone": self.availability_zone,
        }

    def __repr__(self) -> str:
        return (f"HostState({self.host}/{self.nodename} gen={self.generation} "
                f"free: ram={self.free_ram_mb}MB vcpus={self.free_vcpus} "
                f"disk={self.free_disk_gb}GB)")


# What a flavor extra spec may name as ``capabilities:<name>[:<key>...]``, or
# without a scope (the ComputeCapabilitiesFilter): a host state's attributes.
CAPABILITIES = frozenset(HostState.__slots__) | {
    "hypervisor_type", "hypervisor_version", "cpu_info", "supported_instances"}


class HostManager:
    """Keeps the host states between requests and merges each refresh into them.

    Use ``with host_manager.host_states(ctxt) as hosts:`` around a whole
    placement: the lock it holds makes filtering, weighing and consuming one
    step, so two requests handled at once cannot both take the same room.

    Each refresh sends the conductor a summary of what is held (the node
    ids as ranges, the sum of their generations, the newest ``updated_at``)
    and gets back only the nodes that changed, the ids that are gone and the
    service state of every node (docs/architecture.md "host states"). After
    merging, the held node count and generation sum must equal the
    conductor's; if they do not (a change was missed), a full refresh
    follows at once.
    """

    def __init__(self, conductor_api) -> None:
        self.conductor_api = conductor_api
        self._states: dict[int, HostState] = {}  # by compute_node_id, in id order
        self._hosts: list[HostState] = []  # self._states' values, rebuilt on membership change
        self._id_ranges: list[list[int]] = []
        self._generation_sum = 0
        self._max_updated: str | None = None
        # {node_id: (updated_at, generation)} of the held nodes updated less
        # than _RECENT_S before _max_updated: the conductor looks that far
        # back for changes and skips the ones listed here.
        self._recent: dict[int, tuple[str, int]] = {}
        self._down: set[int] = set()  # the service state the held hosts carry
        self._disabled: dict[int, str | None] = {}
        self._lock = threading.Lock()
        # Tickets taken before each fetch: a fetch that started earlier than
        # one already merged carries older numbers and must not overwrite them.
        self._tickets = itertools.count(1)
        self._merged_ticket = 0
        self.refreshed_at = 0.0  # time.monotonic() of the last refresh
        self._stale = False  # an admin changed services or aggregates since
        self.full_refreshes = 0  # for tests and the benchmark
        self.incremental_refreshes = 0

    @contextlib.contextmanager
    def host_states(self, ctxt: RequestContext, fresh: bool = False) -> Iterator[list[HostState]]:
        """The held host states, under the placement lock while in use.

        Refreshed first when ``fresh`` is asked for or nothing is held yet;
        else as the last refresh left them, plus what was consumed since.
        """
        if fresh or self._stale or not self._merged_ticket:
            self.refresh(ctxt)
        with self._lock:
            yield list(self._hosts)

    def mark_stale(self) -> None:
        """Have the next placement refresh first (``host_states_changed``)."""
        self._stale = True

    def refresh(self, ctxt: RequestContext) -> None:
        """Bring the held states up to the conductor's: incrementally, and in
        full if the merged result disagrees with the conductor's totals."""
        # The RPC calls stay outside the lock so a slow conductor answer does
        # not also hold up the placing of other requests.
        self._stale = False  # a change marked after this point waits for the next refresh
        ticket, answer = self._fetch(ctxt, full=False)
        with self._lock:
            in_step = self._merge(ticket, answer)
        if not in_step:
            ticket, answer = self._fetch(ctxt, full=True)
            with self._lock:
                self._merge(ticket, answer)
        self.refreshed_at = time.monotonic()

    def _fetch(self, ctxt: RequestContext, full: bool) -> tuple[int, dict]:
        with self._lock:
            ticket = next(self._tickets)
            since = None if full or not self._states else self.summary()
        return ticket, self.conductor_api.get_host_states(ctxt, since_generations=since)

    def summary(self) -> dict:
        """What this scheduler holds, as ``since_generations`` tells the conductor."""
        return {"ids": [list(r) for r in self._id_ranges],
                "generation_sum": self._generation_sum, "max_updated": self._max_updated,
                "recent": [[node_id, gen] for node_id, (_, gen) in self._recent.items()]}

    def _merge(self, ticket: int, answer: dict) -> bool:
        """Merge one answer; False if the result disagrees with the conductor's totals."""
        if ticket < self._merged_ticket:
            return True  # what is held is newer than this answer
        self._merged_ticket = ticket
        # An older conductor answers only {"hosts": [...]}: that is everything.
        full = answer.get("full", True)
        sets = [capability_set(values) for values in answer.get("capability_sets") or ()]
        if full:
            self._merge_full(answer["hosts"], sets)
            self.full_refreshes += 1
        else:
            self._merge_increment(answer, sets)
            self.incremental_refreshes += 1
        if "generation_sum" not in answer:
            return True
        in_step = (len(self._states) == answer["count"]
                   and self._generation_sum == answer["generation_sum"])
        return in_step or full

    def _merge_full(self, raw_hosts: list[dict], sets: list[dict]) -> None:
        cached = self._states
        current: dict[int, HostState] = {}
        for raw in raw_hosts:
            state = cached.get(raw["compute_node_id"])
            if state is None or state.uuid != raw["uuid"]:
                state = HostState(raw, sets)
            elif state.generation == raw["generation"]:
                # Nothing was claimed or released there since our copy, so
                # what we consumed locally is still pending: keep it.
                state.update_service(raw)
            else:
                state.update_inventory(raw, sets)
                state.update_service(raw)
            current[state.compute_node_id] = state
        self._states = current
        self._generation_sum = sum(s.generation for s in current.values())
        self._max_updated = max((s.updated_at for s in current.values() if s.updated_at),
                                default=None)
        threshold = _recent_threshold(self._max_updated)
        self._recent = {i: (s.updated_at, s.generation) for i, s in current.items()
                        if s.updated_at is not None and s.updated_at >= threshold}
        self._down = {i for i, s in current.items() if not s.service_up}
        self._disabled = {i: s.service_disabled_reason for i, s in current.items()
                          if s.service_disabled}
        self._membership_changed()

    def _merge_increment(self, answer: dict, sets: list[dict]) -> None:
        states = self._states
        members_changed = False
        max_updated = self._max_updated
        recent = self._recent
        for raw in answer["hosts"]:
            node_id = raw["compute_node_id"]
            state = states.get(node_id)
            if state is None or state.uuid != raw["uuid"]:
                if state is not None:
                    self._generation_sum -= state.generation
                state = states[node_id] = HostState(raw, sets)
                self._generation_sum += state.generation
                members_changed = True
            elif state.generation == raw["generation"]:
                state.update_service(raw)  # keep local consumption, as above
            else:
                self._generation_sum += raw["generation"] - state.generation
                state.update_inventory(raw, sets)
                state.update_service(raw)
            updated = raw["updated_at"]
            if updated is not None:
                recent[node_id] = (updated, state.generation)
                if max_updated is None or updated > max_updated:
                    max_updated = updated
        if max_updated != self._max_updated:
            self._max_updated = max_updated
            threshold = _recent_threshold(max_updated)
            self._recent = recent = {i: entry for i, entry in recent.items()
                                     if entry[0] >= threshold}
        for node_id in answer.get("removed", ()):
            recent.pop(node_id, None)
            state = states.pop(node_id, None)
            if state is not None:
                self._generation_sum -= state.generation
                members_changed = True
        if members_changed:
            self._states = dict(sorted(states.items()))
            self._membership_changed()
        services = answer.get("services")
        if services is not None:
            self._apply_services(services)

    def _apply_services(self, services: dict) -> None:
        """Every node's service state, given as the few that are down or disabled.

        Only the hosts whose state differs from what they carry are touched,
        so an unchanged answer costs two set comparisons however many hosts.
        """
        down = set(services["down"])
        disabled = {node_id: reason for node_id, reason in services["disabled"]}
        touched = down ^ self._down
        if disabled != self._disabled:
            touched.update(node_id for node_id in disabled.keys() | self._disabled.keys()
                           if disabled.get(node_id, _ABSENT) != self._disabled.get(node_id,
                                                                                _ABSENT))
        states = self._states
        for node_id in touched:
            state = states.get(node_id)
            if state is not None:
                state.service_up = node_id not in down
                state.service_disabled = node_id in disabled
                state.service_disabled_reason = disabled.get(node_id)
        self._down = down
        self._disabled = disabled

    def _membership_changed(self) -> None:
        self._hosts = list(self._states.values())
        runs: list[list[int]] = []
        for node_id in self._states:
            if runs and runs[-1][1] == node_id - 1:
                runs[-1][1] = node_id
            else:
                runs.append([node_id, node_id])
        self._id_ranges = runs


_ABSENT = object()
# The conductor's look-back (minova.db.host_states HOST_STATE_UPDATED_MARGIN_S):
# a longer one costs bytes, a shorter one makes the conductor send nodes
# again that did not change; neither is wrong.
_RECENT_S = 1.0


def _recent_threshold(max_updated: str | None) -> str:
    """The oldest updated_at (ISO string, compared as such) still counted recent."""
    if max_updated is None:
        return ""
    start = datetime.datetime.fromisoformat(max_updated) - datetime.timedelta(seconds=_RECENT_S)
    return start.isoformat()
