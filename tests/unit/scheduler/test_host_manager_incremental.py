"""HostManager merging the conductor's incremental answers (docs/architecture.md)."""

from minova import context
from minova.scheduler.host_manager import HostManager

from . import fakes

CTXT = context.get_admin_context()
ONE = {"vcpus": 1, "memory_mb": 1024, "disk_gb": 10}
NO_SERVICE_PROBLEMS = {"down": [], "disabled": []}


class ScriptedConductor:
    """Answers get_host_states with the answers a test queues, recording each summary."""

    def __init__(self, *answers: dict) -> None:
        self.answers = list(answers)
        self.calls: list = []

    def get_host_states(self, ctxt, since_generations=None) -> dict:
        self.calls.append(since_generations)
        return self.answers.pop(0)


def full(*hosts: dict) -> dict:
    return {"full": True, "hosts": list(hosts), "removed": [], "count": len(hosts),
            "generation_sum": sum(h["generation"] for h in hosts)}


def increment(hosts=(), removed=(), count=None, generation_sum=None,
              services=NO_SERVICE_PROBLEMS) -> dict:
    return {"full": False, "hosts": list(hosts), "removed": list(removed), "count": count,
            "generation_sum": generation_sum, "services": services}


def node(host: str, node_id: int, **overrides) -> dict:
    return fakes.host_state(host, compute_node_id=node_id, **overrides)


def refresh(manager: HostManager) -> dict[str, object]:
    with manager.host_states(CTXT, fresh=True) as hosts:
        return {h.host: h for h in hosts}


def test_increment_replaces_changed_hosts_and_keeps_the_others():
    a, b = node("a", 1, generation=2), node("b", 2, generation=5)
    changed_b = dict(b, generation=6, memory_mb_used=2048, updated_at="2026-11-21T06:00:00")
    conductor = ScriptedConductor(full(a, b),
                                  increment([changed_b], count=2, generation_sum=8))
    manager = HostManager(conductor)
    first = refresh(manager)
    first["a"].consume(ONE)
    hosts = refresh(manager)
    assert hosts["a"] is first["a"] and hosts["a"].free_ram_mb == 8192 - 1024  # kept
    assert hosts["b"].generation == 6 and hosts["b"].free_ram_mb == 8192 - 2048
    assert conductor.calls[1]["generation_sum"] == 7
    assert manager.summary()["max_updated"] == "2026-11-21T06:00:00"
    assert manager.summary()["generation_sum"] == 8
    assert (manager.full_refreshes, manager.incremental_refreshes) == (1, 1)


def test_changed_host_drops_local_consumption_unchanged_one_keeps_it():
    a = node("a", 1, generation=3)
    same_a = dict(a)  # sent again (inside the look-back) at the same generation
    conductor = ScriptedConductor(full(a), increment([same_a], count=1, generation_sum=3),
                                  increment([dict(a, generation=4, memory_mb_used=1024)],
                                            count=1, generation_sum=4))
    manager = HostManager(conductor)
    refresh(manager)["a"].consume(ONE)
    assert refresh(manager)["a"].running_vms == 1
    state = refresh(manager)["a"]
    assert state.running_vms == 0 and state.free_ram_mb == 8192 - 1024


def test_new_and_removed_hosts():
    a, b, c = node("a", 1), node("b", 2), node("c", 3)
    conductor = ScriptedConductor(full(a, b, c),
                                  increment([node("d", 7)], removed=[2], count=3,
                                            generation_sum=3))
    manager = HostManager(conductor)
    refresh(manager)
    assert [h.host for h in refresh(manager).values()] == ["a", "c", "d"]
    assert manager.summary()["ids"] == [[1, 1], [3, 3], [7, 7]]
    assert conductor.calls[1]["ids"] == [[1, 3]]


def test_service_state_of_hosts_not_sent_comes_from_the_summary():
    a, b, c = node("a", 1), node("b", 2), node("c", 3, service_up=False)
    conductor = ScriptedConductor(
        full(a, b, c),
        increment(count=3, generation_sum=3,
                  services={"down": [1], "disabled": [[2, "drain"]]}),
        increment(count=3, generation_sum=3, services=NO_SERVICE_PROBLEMS))
    manager = HostManager(conductor)
    assert refresh(manager)["c"].service_up is False
    hosts = refresh(manager)
    assert (hosts["a"].service_up, hosts["a"].service_disabled) == (False, False)
    assert (hosts["b"].service_up, hosts["b"].service_disabled,
            hosts["b"].service_disabled_reason) == (True, True, "drain")
    assert hosts["c"].service_up is True  # came back up: no longer listed as down
    hosts = refresh(manager)
    assert all(h.service_up and not h.service_disabled for h in hosts.values())
    assert hosts["b"].service_disabled_reason is None


def test_totals_that_disagree_trigger_a_full_refresh():
    a = node("a", 1, generation=2)
    newer = dict(a, generation=3, memory_mb_used=4096)
    # The increment misses a change (count/generation_sum say so): a full one follows.
    conductor = ScriptedConductor(full(a), increment([], count=1, generation_sum=3), full(newer))
    manager = HostManager(conductor)
    refresh(manager)
    state = refresh(manager)["a"]
    assert conductor.calls[2] is None
    assert state.generation == 3 and state.free_ram_mb == 4096
    assert manager.full_refreshes == 2


def test_an_older_conductor_answering_only_hosts_is_taken_as_everything():
    a, b = node("a", 1), node("b", 2)
    conductor = ScriptedConductor({"hosts": [a, b]}, {"hosts": [dict(b, generation=2)]})
    manager = HostManager(conductor)
    assert set(refresh(manager)) == {"a", "b"}
    hosts = refresh(manager)
    assert set(hosts) == {"b"} and hosts["b"].generation == 2
    assert manager.incremental_refreshes == 0


def test_full_answer_keeps_local_consumption_where_generation_unchanged():
    a, b = node("a", 1, generation=4), node("b", 2, generation=4)
    conductor = ScriptedConductor(full(a, b), full(a, dict(b, generation=5)))
    manager = HostManager(conductor)
    first = refresh(manager)
    first["a"].consume(ONE)
    first["b"].consume(ONE)
    hosts = refresh(manager)
    assert hosts["a"].running_vms == 1 and hosts["b"].running_vms == 0


def test_recent_lists_only_nodes_written_within_the_look_back():
    old = node("old", 1, updated_at="2026-11-21T05:00:00")
    fresh = node("fresh", 2, generation=4, updated_at="2026-11-21T05:59:59.500000")
    newest = node("newest", 3, generation=2, updated_at="2026-11-21T06:00:00")
    manager = HostManager(ScriptedConductor(full(old, fresh, newest)))
    refresh(manager)
    assert sorted(manager.summary()["recent"]) == [[2, 4], [3, 2]]
