"""Server groups through the whole pipeline: filters, weighers, multi-instance requests."""

import pytest

from minova import exception
from minova.scheduler import filters, weights
from minova.scheduler.host_manager import HostState
from minova.scheduler.pipeline import FilterPipeline

from . import fakes

# Named rather than the configured defaults, so the weights below stay exact.
FILTERS = ["ComputeFilter", "AvailabilityZoneFilter", "RamFilter", "CoreFilter", "DiskFilter",
           "ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter"]
WEIGHERS = ["RAMWeigher", "CPUWeigher", "ServerGroupSoftAffinityWeigher",
            "ServerGroupSoftAntiAffinityWeigher"]


def pipeline() -> FilterPipeline:
    return FilterPipeline(filters.load_filters(FILTERS), weights.load_weighers(WEIGHERS))


def states(**per_host) -> list[HostState]:
    return [HostState(fakes.host_state(name, **values)) for name, values in per_host.items()]


def winners(result: dict) -> list[str]:
    return [selection[0]["service_host"] if selection else None
            for selection in result["selections"]]


def grouped_spec(policy: str, num: int, hosts: list[str] = (), rules: dict | None = None,
                 **flavor_values) -> dict:
    spec = fakes.spec(num=num, **flavor_values)
    spec["instance_group"] = fakes.server_group(policy, hosts, rules)
    return spec


def uuids(num: int) -> list[str]:
    return [f"i{n}" for n in range(1, num + 1)]


class TestHardPolicies:
    def test_anti_affinity_puts_two_instances_of_one_request_on_two_hosts(self):
        # b has the most room, so without the group both would go there
        hosts = states(a={"memory_mb_used": 2048}, b={})
        spec = grouped_spec("anti-affinity", 2, memory_mb=256)
        result = pipeline().place(hosts, spec, uuids(2))
        assert winners(result) == ["b", "a"]
        assert spec["instance_group"]["hosts"] == ["b", "a"]
        second = result["decisions"][1]
        assert {"name": "ServerGroupAntiAffinityFilter", "in": 2, "out": 1,
                "removed": ["b"], "removed_count": 1,
                "removed_truncated": False} in second["filters"]

    def test_affinity_puts_two_instances_of_one_request_on_one_host(self):
        # after the first lands on b, a has more free RAM and vCPUs
        hosts = states(a={"memory_mb_used": 512}, b={})
        spec = grouped_spec("affinity", 2, memory_mb=1024)
        result = pipeline().place(hosts, spec, uuids(2))
        assert winners(result) == ["b", "b"]
        assert spec["instance_group"]["hosts"] == ["b", "b"]
        assert result["decisions"][1]["alternates"] == []

    def test_affinity_follows_the_members_already_placed(self):
        hosts = states(a={}, b={"memory_mb_used": 4096})
        spec = grouped_spec("affinity", 1, hosts=["b"])
        assert winners(pipeline().place(hosts, spec, uuids(1))) == ["b"]

    def test_anti_affinity_max_server_per_host_two(self):
        hosts = states(a={}, b={})
        spec = grouped_spec("anti-affinity", 4, rules={"max_server_per_host": 2})
        result = pipeline().place(hosts, spec, uuids(4))
        assert sorted(winners(result)) == ["a", "a", "b", "b"]

    def test_anti_affinity_without_a_free_host_names_the_filter_and_gives_back(self):
        hosts = states(a={}, b={})
        spec = grouped_spec("anti-affinity", 2, hosts=["a"])
        with pytest.raises(exception.NoValidHost) as err:
            pipeline().place(hosts, spec, uuids(2))
        assert str(err.value) == (
            "No valid host was found. There are not enough hosts available: "
            "ServerGroupAntiAffinityFilter removed 2 of 2 hosts "
            "(placed 1 of 2 instances before none was left)")
        # The host the first instance was given is taken back with its usage.
        assert spec["instance_group"]["hosts"] == ["a"]
        assert [h.running_vms for h in hosts] == [0, 0]
        assert [h.free_ram_mb for h in hosts] == [8192, 8192]

    def test_affinity_host_full_names_the_group_filter(self):
        hosts = states(a={"memory_mb": 256}, b={})
        spec = grouped_spec("affinity", 1, hosts=["a"], memory_mb=512)
        with pytest.raises(exception.NoValidHost) as err:
            pipeline().place(hosts, spec, uuids(1))
        assert str(err.value).endswith(
            "RamFilter removed 1 of 2 hosts, ServerGroupAffinityFilter removed 1 of 1 hosts")

    def test_min_count_keeps_the_hosts_of_the_instances_placed(self):
        hosts = states(a={}, b={})
        spec = grouped_spec("anti-affinity", 3)
        spec["min_count"] = 2
        result = pipeline().place(hosts, spec, uuids(3))
        assert winners(result) == ["a", "b", None]
        assert spec["instance_group"]["hosts"] == ["a", "b"]


class TestSoftPolicies:
    def test_soft_anti_affinity_spreads_then_still_lands(self):
        hosts = states(a={}, b={})
        spec = grouped_spec("soft-anti-affinity", 3)
        result = pipeline().place(hosts, spec, uuids(3))
        placed = winners(result)
        assert sorted(placed[:2]) == ["a", "b"]
        assert placed[2] in ("a", "b")  # no host without a member is left: it lands anyway
        assert "ServerGroupSoftAntiAffinityWeigher" in result["decisions"][1]["weights"]["a"]

    def test_soft_anti_affinity_every_host_has_a_member(self):
        hosts = states(a={}, b={}, c={})
        spec = grouped_spec("soft-anti-affinity", 1, hosts=["a", "b", "c", "a", "c"])
        assert winners(pipeline().place(hosts, spec, uuids(1))) == ["b"]

    # With multiplier 1.0 (Nova's default) the soft-affinity weigher only
    # breaks ties: the RAM and CPU weighers, 1.0 each, prefer the emptier
    # host. Above their sum it wins, which is what these tests need.
    @pytest.fixture
    def affinity_outweighs_room(self, override):
        override("soft_affinity_weight_multiplier", 3.0, group="filter_scheduler")

    @pytest.mark.usefixtures("affinity_outweighs_room")
    def test_soft_affinity_member_host_full_still_lands_elsewhere(self):
        hosts = states(a={"memory_mb": 256}, b={}, c={})
        spec = grouped_spec("soft-affinity", 2, hosts=["a"], memory_mb=512)
        result = pipeline().place(hosts, spec, uuids(2))
        first, second = winners(result)
        assert first in ("b", "c")
        assert second == first  # the new member pulls the next one to its host
        assert spec["instance_group"]["hosts"] == ["a", first, first]

    @pytest.mark.usefixtures("affinity_outweighs_room")
    def test_soft_affinity_stacks_instances_of_one_request(self):
        hosts = states(a={}, b={}, c={})
        spec = grouped_spec("soft-affinity", 3)
        assert winners(pipeline().place(hosts, spec, uuids(3))) == ["a", "a", "a"]

    def test_soft_affinity_at_the_default_multiplier_breaks_ties(self):
        hosts = states(a={}, b={})
        spec = grouped_spec("soft-affinity", 1, hosts=["b"])
        assert winners(pipeline().place(hosts, spec, uuids(1))) == ["b"]

    def test_soft_affinity_at_the_default_multiplier_yields_to_room(self):
        hosts = states(a={}, b={"memory_mb_used": 1024, "vcpus_used": 2})
        spec = grouped_spec("soft-affinity", 1, hosts=["b"])
        result = pipeline().place(hosts, spec, uuids(1))
        # a: RAM 1.0 + CPU 1.0 = 2.0; b: the group's 1.0 only
        assert winners(result) == ["a"]
        assert result["decisions"][0]["weights"]["b"] == {
            "RAMWeigher": 0.0, "CPUWeigher": 0.0, "ServerGroupSoftAffinityWeigher": 1.0,
            "total": 1.0}

class TestWithoutAGroup:
    def test_no_group_spreads_and_records_no_group_weigher(self):
        hosts = states(a={}, b={})
        spec = fakes.spec(num=2)
        result = pipeline().place(hosts, spec, uuids(2))
        assert winners(result) == ["a", "b"]
        assert "instance_group" not in spec
        assert set(result["decisions"][0]["weights"]["a"]) == {"RAMWeigher", "CPUWeigher",
                                                               "total"}
