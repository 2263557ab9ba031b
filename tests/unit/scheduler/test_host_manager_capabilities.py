"""What hosts report about themselves, as the scheduler's host states carry it."""

from minova import context
from minova.scheduler.host_manager import CAPABILITIES, HostManager, HostState

from . import fakes

CTXT = context.get_admin_context()
X86 = {"hypervisor_type": "QEMU", "hypervisor_version": 7002000,
       "cpu_info": {"arch": "x86_64", "model": "EPYC-Rome", "vendor": "AMD"},
       "supported_instances": [["x86_64", "qemu", "hvm"], ["x86_64", "kvm", "hvm"]]}
ARM = {"hypervisor_type": "QEMU", "hypervisor_version": 8002002,
       "cpu_info": {"arch": "aarch64"}, "supported_instances": [["aarch64", "kvm", "hvm"]]}


class ScriptedConductor:
    def __init__(self, *answers: dict) -> None:
        self.answers = list(answers)

    def get_host_states(self, ctxt, since_generations=None) -> dict:
        return self.answers.pop(0)


def answer(hosts: list[dict], sets: list[dict], full=True) -> dict:
    result = {"full": full, "hosts": hosts, "removed": [], "count": len(hosts),
              "generation_sum": sum(h["generation"] for h in hosts),
              "capability_sets": sets}
    if not full:
        result["services"] = {"down": [], "disabled": []}
    return result


def refresh(manager: HostManager) -> dict[str, HostState]:
    with manager.host_states(CTXT, fresh=True) as hosts:
        return {h.host: h for h in hosts}


def test_capability_sets_are_resolved_and_shared():
    hosts = [fakes.host_state("a", compute_node_id=1, capability_set=0),
             fakes.host_state("b", compute_node_id=2, capability_set=1, failed_builds=2),
             fakes.host_state("c", compute_node_id=3, capability_set=0)]
    states = refresh(HostManager(ScriptedConductor(answer(hosts, [X86, ARM]))))
    a, b, c = states["a"], states["b"], states["c"]
    assert (a.hypervisor_type, a.hypervisor_version) == ("QEMU", 7002000)
    assert a.cpu_info["model"] == "EPYC-Rome"
    assert b.supported_instances == [["aarch64", "kvm", "hvm"]]
    assert (a.failed_builds, b.failed_builds) == (0, 2)
    # One parsed value per set, not per host.
    assert a.supported_instances is c.supported_instances


def test_keys_carried_by_the_host_itself_are_read_and_json_text_parsed():
    state = HostState(fakes.host_state(
        "a", hypervisor_type="fake", hypervisor_version=1000,
        cpu_info='{"arch": "x86_64", "model": "fake"}',
        supported_instances='[["x86_64", "fake", "hvm"]]', failed_builds=1))
    assert state.hypervisor_type == "fake" and state.hypervisor_version == 1000
    assert state.cpu_info == {"arch": "x86_64", "model": "fake"}
    assert state.supported_instances == [["x86_64", "fake", "hvm"]]
    assert state.failed_builds == 1


def test_an_older_conductors_host_state_reports_nothing():
    state = HostState(fakes.host_state("a"))
    assert state.hypervisor_type is None and state.hypervisor_version == 0
    assert state.cpu_info == {} and state.supported_instances == []
    assert state.failed_builds == 0


def test_garbage_text_reads_as_nothing_reported():
    state = HostState(fakes.host_state("a", cpu_info="not json", supported_instances='{"a": 1}'))
    assert state.cpu_info == {} and state.supported_instances == []


def test_capabilities_change_only_with_the_generation():
    first = fakes.host_state("a", compute_node_id=1, generation=1, capability_set=0)
    same_gen = dict(first, capability_set=0, failed_builds=4)
    bumped = dict(first, generation=2, capability_set=0, failed_builds=4,
                  updated_at="2026-11-21T06:00:00")
    conductor = ScriptedConductor(
        answer([first], [X86]),
        answer([same_gen], [ARM], full=False) | {"generation_sum": 1},
        answer([bumped], [ARM], full=False) | {"generation_sum": 2})
    manager = HostManager(conductor)
    assert refresh(manager)["a"].hypervisor_version == 7002000
    # Same generation: what the scheduler holds stays (its consumption too).
    state = refresh(manager)["a"]
    assert state.hypervisor_version == 7002000 and state.failed_builds == 0
    state = refresh(manager)["a"]
    assert state.hypervisor_version == 8002002 and state.failed_builds == 4
    assert state.cpu_info == {"arch": "aarch64"}


def test_capability_names_are_the_host_state_attributes():
    assert {"hypervisor_type", "hypervisor_version", "cpu_info", "supported_instances",
            "failed_builds", "free_ram_mb", "aggregates"} <= CAPABILITIES
    assert "consume" not in CAPABILITIES and "ssd" not in CAPABILITIES
