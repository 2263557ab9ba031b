from minova import context
from minova.objects import capacity
from minova.scheduler.host_manager import HostManager, HostState

from . import fakes

CTXT = context.get_admin_context()
ONE = {"vcpus": 1, "memory_mb": 1024, "disk_gb": 10}


class TestHostState:
    def test_free_amounts_follow_the_capacity_formula(self):
        raw = fakes.host_state(vcpus=4, vcpus_used=1, cpu_allocation_ratio=4.0,
                               memory_mb=4096, reserved_host_memory_mb=512,
                               memory_mb_used=1024, local_gb=40, reserved_host_disk_mb=1500,
                               local_gb_used=5)
        state = HostState(raw)
        free = capacity.free_resources(raw)
        assert (state.free_vcpus, state.free_ram_mb, state.free_disk_gb) == (
            free["vcpus"], free["memory_mb"], free["disk_gb"]) == (15, 2560, 33)

    def test_consume_and_release(self):
        state = HostState(fakes.host_state())
        state.consume(ONE)
        assert (state.free_vcpus, state.free_ram_mb, state.free_disk_gb) == (7, 7168, 90)
        assert (state.vcpus_used, state.memory_mb_used, state.local_gb_used,
                state.running_vms) == (1, 1024, 10, 1)
        state.release(ONE)
        assert (state.free_vcpus, state.free_ram_mb, state.free_disk_gb) == (8, 8192, 100)
        assert state.running_vms == 0

    def test_selection_shape(self):
        state = HostState(fakes.host_state("c1", compute_node_id=7, nodename="c1.node"))
        assert state.selection() == {"service_host": "c1", "nodename": "c1.node",
                                     "compute_node_id": 7, "compute_node_uuid": "uuid-c1",
                                     "availability_zone": "nova"}


def refresh(manager: HostManager) -> dict[str, HostState]:
    with manager.host_states(CTXT, fresh=True) as hosts:
        return {h.host: h for h in hosts}


class TestHostManager:
    def test_asks_for_everything_first_then_sends_its_summary(self):
        conductor = fakes.FakeConductor([fakes.host_state("a", generation=3)])
        manager = HostManager(conductor)
        refresh(manager)
        refresh(manager)
        node_id = conductor.hosts[0]["compute_node_id"]
        assert conductor.calls[0] is None
        assert conductor.calls[1] == {
            "ids": [[node_id, node_id]], "generation_sum": 3,
            "max_updated": "2026-11-21T05:30:49.123456",
            "recent": [[node_id, 3]]}

    def test_local_consumption_kept_while_generation_unchanged(self):
        conductor = fakes.FakeConductor([fakes.host_state("a", generation=3)])
        manager = HostManager(conductor)
        refresh(manager)["a"].consume(ONE)
        again = refresh(manager)["a"]
        assert again.free_ram_mb == 8192 - 1024
        assert again.running_vms == 1

    def test_conductor_numbers_taken_when_generation_changed(self):
        conductor = fakes.FakeConductor([fakes.host_state("a", generation=3)])
        manager = HostManager(conductor)
        refresh(manager)["a"].consume(ONE)
        # The claim landed (and someone else's too): the conductor's usage wins.
        conductor.hosts[0].update(generation=5, memory_mb_used=3072, vcpus_used=2,
                                  local_gb_used=20, running_vms=2)
        again = refresh(manager)["a"]
        assert (again.free_ram_mb, again.free_vcpus, again.free_disk_gb) == (5120, 6, 80)
        assert again.running_vms == 2

    def test_service_state_refreshed_even_when_generation_unchanged(self):
        conductor = fakes.FakeConductor([fakes.host_state("a")])
        manager = HostManager(conductor)
        assert refresh(manager)["a"].service_up is True
        conductor.hosts[0].update(service_up=False, service_disabled=True,
                                  service_disabled_reason="drain")
        state = refresh(manager)["a"]
        assert (state.service_up, state.service_disabled,
                state.service_disabled_reason) == (False, True, "drain")

    def test_hosts_the_conductor_no_longer_lists_are_dropped(self):
        conductor = fakes.FakeConductor([fakes.host_state("a"), fakes.host_state("b")])
        manager = HostManager(conductor)
        assert set(refresh(manager)) == {"a", "b"}
        del conductor.hosts[0]
        assert set(refresh(manager)) == {"b"}

    def test_older_fetch_merged_late_does_not_overwrite_newer_numbers(self):
        manager = HostManager(fakes.FakeConductor([]))
        newer = [fakes.host_state("a", generation=9, memory_mb_used=4096)]
        older = [dict(newer[0], generation=8, memory_mb_used=0)]
        manager._merge(2, {"hosts": newer})
        assert manager._merge(1, {"hosts": older}) is True
        (state,) = manager._hosts
        assert state.generation == 9
        assert state.free_ram_mb == 4096
