import pytest
from oslo_config import cfg

from minova.scheduler import weights
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec
from minova.scheduler.weights.ram import RAMWeigher
from minova.scheduler.weights.server_group import (
    ServerGroupSoftAffinityWeigher,
    ServerGroupSoftAntiAffinityWeigher,
)

from . import fakes

HOSTS = [HostState(fakes.host_state(name)) for name in ("a", "b", "c")]
AFFINITY = ServerGroupSoftAffinityWeigher()
ANTI_AFFINITY = ServerGroupSoftAntiAffinityWeigher()


def spec_with(group: dict | None) -> SchedulingSpec:
    request = fakes.spec()
    request["instance_group"] = group
    return SchedulingSpec(request)


def raw(weigher, spec: SchedulingSpec) -> list[float]:
    """weigh_objects over HOSTS, checked against _weigh_object one host at a time."""
    values = weigher.weigh_objects(HOSTS, spec)
    assert values == [weigher._weigh_object(h, spec) for h in HOSTS]
    return values


class TestRawWeights:
    def test_soft_affinity_is_the_members_on_the_host(self):
        spec = spec_with(fakes.server_group("soft-affinity", ["b", "c", "b"]))
        assert raw(AFFINITY, spec) == [0, 2, 1]
        assert AFFINITY.has_say(spec)

    def test_soft_anti_affinity_is_minus_the_members_on_the_host(self):
        spec = spec_with(fakes.server_group("soft-anti-affinity", ["b", "c", "b"]))
        assert raw(ANTI_AFFINITY, spec) == [0, -2, -1]
        assert ANTI_AFFINITY.has_say(spec)

    @pytest.mark.parametrize("weigher,other", [
        (AFFINITY, "soft-anti-affinity"), (AFFINITY, "affinity"),
        (AFFINITY, "anti-affinity"), (ANTI_AFFINITY, "soft-affinity"),
        (ANTI_AFFINITY, "affinity"), (ANTI_AFFINITY, "anti-affinity")])
    def test_other_policies_weigh_every_host_zero(self, weigher, other):
        spec = spec_with(fakes.server_group(other, ["a", "b"]))
        assert raw(weigher, spec) == [0, 0, 0]
        assert not weigher.has_say(spec)

    @pytest.mark.parametrize("weigher", [AFFINITY, ANTI_AFFINITY], ids=lambda w: w.name)
    def test_no_group_weighs_every_host_zero(self, weigher):
        for spec in (spec_with(None), SchedulingSpec(fakes.spec())):
            assert raw(weigher, spec) == [0, 0, 0]
            assert not weigher.has_say(spec)

    @pytest.mark.parametrize("weigher,policy", [(AFFINITY, "soft-affinity"),
                                                (ANTI_AFFINITY, "soft-anti-affinity")])
    def test_no_member_placed_yet_has_no_say(self, weigher, policy):
        spec = spec_with(fakes.server_group(policy))
        assert raw(weigher, spec) == [0, 0, 0]
        assert not weigher.has_say(spec)


class TestMultipliers:
    def test_default_one(self):
        assert AFFINITY.weight_multiplier() == 1.0
        assert ANTI_AFFINITY.weight_multiplier() == 1.0

    def test_read_from_their_options(self, override):
        override("soft_affinity_weight_multiplier", 2.5, group="filter_scheduler")
        override("soft_anti_affinity_weight_multiplier", 4.0, group="filter_scheduler")
        assert AFFINITY.weight_multiplier() == 2.5
        assert ANTI_AFFINITY.weight_multiplier() == 4.0

    @pytest.mark.parametrize("option", ["soft_affinity_weight_multiplier",
                                        "soft_anti_affinity_weight_multiplier"])
    def test_negative_is_refused(self, override, option):
        # A negative multiplier would turn the weigher into its opposite.
        with pytest.raises(ValueError):
            override(option, -1.0, group="filter_scheduler")


class TestWeigh:
    def test_soft_affinity_prefers_the_crowded_host_over_free_ram(self, override):
        override("soft_affinity_weight_multiplier", 2.0, group="filter_scheduler")
        hosts = [HostState(fakes.host_state("free")),
                 HostState(fakes.host_state("member", memory_mb_used=4096))]
        spec = spec_with(fakes.server_group("soft-affinity", ["member"]))
        ordered, record = fakes.weigh([RAMWeigher(), AFFINITY], hosts, spec)
        assert [h.host for h in ordered] == ["member", "free"]
        assert record["member"] == {"RAMWeigher": 0.0, "ServerGroupSoftAffinityWeigher": 1.0,
                                    "total": 2.0}

    def test_soft_anti_affinity_prefers_the_host_with_the_fewest(self):
        spec = spec_with(fakes.server_group("soft-anti-affinity", ["a", "a", "b"]))
        ordered, record = fakes.weigh([ANTI_AFFINITY], HOSTS, spec)
        assert [h.host for h in ordered] == ["c", "b", "a"]
        assert [record[n]["ServerGroupSoftAntiAffinityWeigher"] for n in "abc"] == [0.0, 0.5,
                                                                                   1.0]

    def test_weighers_with_no_say_are_left_out_of_the_record(self):
        ordered, record = fakes.weigh([RAMWeigher(), AFFINITY, ANTI_AFFINITY], HOSTS,
                                      spec_with(None))
        assert [h.host for h in ordered] == ["a", "b", "c"]
        assert record["a"] == {"RAMWeigher": 0.0, "total": 0.0}


def test_registered_and_enabled_by_default():
    available = weights.all_weighers()
    assert available["ServerGroupSoftAffinityWeigher"] is ServerGroupSoftAffinityWeigher
    assert available["ServerGroupSoftAntiAffinityWeigher"] is ServerGroupSoftAntiAffinityWeigher
    enabled = cfg.CONF.filter_scheduler.weight_classes
    assert "ServerGroupSoftAffinityWeigher" in enabled
    assert "ServerGroupSoftAntiAffinityWeigher" in enabled
