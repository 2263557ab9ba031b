"""Host-state dicts, request specs, a conductor stand-in and a weigh() for scheduler tests."""

import copy
import itertools

from minova.objects import request_spec
from minova.scheduler import pipeline

_NODE_IDS = itertools.count(1)


def host_state(host: str = "host-1", **overrides) -> dict:
    """A host_state dict with the keys of docs/architecture.md "host states".

    Defaults: 8 vCPUs, 8192 MB, 100 GB, nothing used or reserved, ratios 1.0,
    service up and enabled, zone "nova".
    """
    state = {
        "compute_node_id": next(_NODE_IDS),
        "uuid": f"uuid-{host}",
        "host": host,
        "nodename": host,
        "vcpus": 8,
        "vcpus_used": 0,
        "memory_mb": 8192,
        "memory_mb_used": 0,
        "local_gb": 100,
        "local_gb_used": 0,
        "cpu_allocation_ratio": 1.0,
        "ram_allocation_ratio": 1.0,
        "disk_allocation_ratio": 1.0,
        "reserved_host_memory_mb": 0,
        "reserved_host_disk_mb": 0,
        "reserved_host_cpus": 0,
        "running_vms": 0,
        "availability_zone": "nova",
        "generation": 1,
        "updated_at": "2026-11-21T05:30:49.123456",
        "service_disabled": False,
        "service_disabled_reason": None,
        "service_up": True,
    }
    state.update(overrides)
    return state


def flavor(vcpus: int = 1, memory_mb: int = 512, root_gb: int = 1, ephemeral_gb: int = 0,
           swap: int = 0) -> dict:
    return {"flavorid": "f1", "name": "m1.test", "vcpus": vcpus, "memory_mb": memory_mb,
            "root_gb": root_gb, "ephemeral_gb": ephemeral_gb, "swap": swap,
            "rxtx_factor": 1.0, "extra_specs": {}}


def spec(num: int = 1, availability_zone: str | None = None, **flavor_values) -> dict:
    """A request spec for ``num`` instances, built the way the conductor builds it."""
    return request_spec.build(
        instance_uuids=[f"inst-{i}" for i in range(num)], project_id="p1", user_id="u1",
        flavor=flavor(**flavor_values), image=None, availability_zone=availability_zone)


def server_group(policy: str, hosts: list[str] = (), rules: dict | None = None) -> dict:
    """A request spec's ``instance_group``: one member per entry of ``hosts``."""
    return {"uuid": "group-1", "name": "group", "policy": policy, "rules": dict(rules or {}),
            "members": [f"member-{i}" for i in range(len(hosts))], "hosts": list(hosts)}


class FakeConductor:
    """Answers get_host_states from a list the test edits, as the RPC call would."""

    def __init__(self, hosts: list[dict]) -> None:
        self.hosts = hosts
        self.calls: list[dict | None] = []

    def get_host_states(self, ctxt, since_generations=None) -> dict:
        self.calls.append(since_generations)
        # A copy, as a message over the bus would be: the scheduler must not
        # depend on sharing objects with the conductor.
        return {"hosts": copy.deepcopy(self.hosts)}


def weigh(weighers: list, hosts: list, spec) -> tuple[list, dict]:
    """pipeline.weigh: the hosts best first, and every one's weights (a decision keeps a few)."""
    ranking = pipeline.weigh(weighers, hosts, spec)
    return ranking.hosts, ranking.record(range(len(ranking.hosts)))
