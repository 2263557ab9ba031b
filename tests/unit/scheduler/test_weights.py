import pytest

from minova import exception
from minova.scheduler import weights
from minova.scheduler.host_manager import HostState
from minova.scheduler.pipeline import weigh
from minova.scheduler.spec import SchedulingSpec
from minova.scheduler.weights.cpu import CPUWeigher
from minova.scheduler.weights.disk import DiskWeigher
from minova.scheduler.weights.ram import RAMWeigher

from . import fakes


class TestNormalize:
    def test_empty(self):
        assert weights.normalize([]) == []

    def test_all_equal_is_all_zero(self):
        assert weights.normalize([5, 5, 5]) == [0.0, 0.0, 0.0]

    def test_single_value_is_zero(self):
        assert weights.normalize([42]) == [0.0]

    def test_min_max_to_unit_interval(self):
        assert weights.normalize([1, 2, 3]) == [0.0, 0.5, 1.0]

    def test_negative_values(self):
        assert weights.normalize([-10, 0, 10]) == [0.0, 0.5, 1.0]

    def test_fixed_bounds(self):
        assert weights.normalize([2, 4], minval=0, maxval=8) == [0.25, 0.5]

    def test_fixed_bounds_equal_is_all_zero(self):
        assert weights.normalize([3, 4], minval=1, maxval=1) == [0.0, 0.0]


def hosts_with(**per_host):
    """HostStates named by keyword, each with the given host_state overrides."""
    return [HostState(fakes.host_state(name, **values)) for name, values in per_host.items()]


SPEC = SchedulingSpec(fakes.spec())


class TestWeighers:
    def test_ram_weigher_uses_free_ram_after_reserved_and_ratio(self):
        host = HostState(fakes.host_state(memory_mb=4096, memory_mb_used=1000,
                                          reserved_host_memory_mb=96,
                                          ram_allocation_ratio=1.5))
        assert RAMWeigher()._weigh_object(host, SPEC) == (4096 - 96) * 1.5 - 1000

    def test_cpu_weigher_uses_free_vcpus(self):
        host = HostState(fakes.host_state(vcpus=4, vcpus_used=5, cpu_allocation_ratio=2.0))
        assert CPUWeigher()._weigh_object(host, SPEC) == 3

    def test_disk_weigher_uses_free_disk(self):
        host = HostState(fakes.host_state(local_gb=50, local_gb_used=20,
                                          reserved_host_disk_mb=2048))
        assert DiskWeigher()._weigh_object(host, SPEC) == 28

    def test_multiplier_comes_from_config(self, override):
        override("disk_weight_multiplier", -3.5, group="filter_scheduler")
        assert DiskWeigher().weight_multiplier() == -3.5
        assert RAMWeigher().weight_multiplier() == 1.0

    def test_loader_keeps_order(self):
        loaded = weights.load_weighers(["DiskWeigher", "RAMWeigher", "CPUWeigher"])
        assert [w.name for w in loaded] == ["DiskWeigher", "RAMWeigher", "CPUWeigher"]

    def test_unknown_weigher_is_a_configuration_error(self):
        with pytest.raises(exception.ConfigurationError, match="RAMWeighter.*weight_classes"):
            weights.load_weighers(["RAMWeighter"])


class TestWeigh:
    def test_positive_multiplier_spreads(self):
        hosts = hosts_with(small={"memory_mb_used": 6000}, big={}, mid={"memory_mb_used": 3000})
        ordered, record = fakes.weigh([RAMWeigher()], hosts, SPEC)
        assert [h.host for h in ordered] == ["big", "mid", "small"]
        assert record["big"] == {"RAMWeigher": 1.0, "total": 1.0}
        assert record["small"] == {"RAMWeigher": 0.0, "total": 0.0}

    def test_negative_multiplier_stacks(self, override):
        override("ram_weight_multiplier", -1.0, group="filter_scheduler")
        hosts = hosts_with(small={"memory_mb_used": 6000}, big={}, mid={"memory_mb_used": 3000})
        ordered, record = fakes.weigh([RAMWeigher()], hosts, SPEC)
        assert [h.host for h in ordered] == ["small", "mid", "big"]
        # The record keeps the normalised weight; only the total is multiplied.
        assert record["big"] == {"RAMWeigher": 1.0, "total": -1.0}

    def test_totals_are_multiplier_times_normalised_summed(self, override):
        override("ram_weight_multiplier", 2.0, group="filter_scheduler")
        override("cpu_weight_multiplier", 1.0, group="filter_scheduler")
        # a: most RAM, least CPU; b: least RAM, most CPU; c: middle RAM, least CPU
        hosts = hosts_with(a={"vcpus_used": 4},
                           b={"memory_mb_used": 4096},
                           c={"memory_mb_used": 2048, "vcpus_used": 4})
        ordered, record = fakes.weigh([RAMWeigher(), CPUWeigher()], hosts, SPEC)
        assert record["a"] == {"RAMWeigher": 1.0, "CPUWeigher": 0.0, "total": 2.0}
        assert record["b"] == {"RAMWeigher": 0.0, "CPUWeigher": 1.0, "total": 1.0}
        assert record["c"] == {"RAMWeigher": 0.5, "CPUWeigher": 0.0, "total": 1.0}
        # b and c tie: the conductor's order decides, so the ranking is stable
        assert [h.host for h in ordered] == ["a", "b", "c"]

    def test_heavier_cpu_multiplier_flips_the_order(self, override):
        override("cpu_weight_multiplier", 3.0, group="filter_scheduler")
        hosts = hosts_with(a={"vcpus_used": 4}, b={"memory_mb_used": 4096})
        ordered, _ = fakes.weigh([RAMWeigher(), CPUWeigher()], hosts, SPEC)
        assert [h.host for h in ordered] == ["b", "a"]

    def test_ranking_builds_the_weights_of_the_ranks_asked_for(self):
        hosts = hosts_with(small={"memory_mb_used": 6000}, big={}, mid={"memory_mb_used": 3000})
        ranking = weigh([RAMWeigher()], hosts, SPEC)
        assert [h.host for h in ranking.hosts] == ["big", "mid", "small"]
        assert ranking.weights(1) == {"RAMWeigher": 0.5, "total": 0.5}
        # best first, each host once, whatever order the ranks come in
        assert list(ranking.record([2, 0, 2])) == ["big", "small"]
        assert ranking.record([]) == {}

    def test_no_weighers_keeps_order_with_zero_totals(self):
        hosts = hosts_with(x={}, y={})
        ordered, record = fakes.weigh([], hosts, SPEC)
        assert [h.host for h in ordered] == ["x", "y"]
        assert record == {"x": {"total": 0.0}, "y": {"total": 0.0}}
