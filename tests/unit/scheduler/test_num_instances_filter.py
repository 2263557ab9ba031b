import logging

import pytest
from oslo_config import cfg

from minova import exception
from minova.scheduler import filters, weights
from minova.scheduler.filters.num_instances import (
    AggregateNumInstancesFilter,
    NumInstancesFilter,
)
from minova.scheduler.host_manager import HostState
from minova.scheduler.pipeline import FilterPipeline
from minova.scheduler.spec import SchedulingSpec

from . import fakes

SPEC = SchedulingSpec(fakes.spec())


def host(running_vms: int, *metadata: dict, name: str = "host-1") -> HostState:
    aggregates = [{"id": i, "name": f"agg-{i}", "metadata": md}
                  for i, md in enumerate(metadata, 1)]
    return HostState(fakes.host_state(name, running_vms=running_vms, aggregates=aggregates))


class TestNumInstancesFilter:
    f = NumInstancesFilter()

    def test_default_is_novas_fifty(self):
        assert cfg.CONF.filter_scheduler.max_instances_per_host == 50
        assert self.f.host_passes(host(49), SPEC)
        assert not self.f.host_passes(host(50), SPEC)

    def test_option_sets_the_cap(self, override):
        override("max_instances_per_host", 2, group="filter_scheduler")
        hosts = [host(n, name=f"h{n}") for n in (0, 1, 2, 3)]
        assert [h.host for h in self.f.filter_all(hosts, SPEC)] == ["h0", "h1"]
        assert [self.f.host_passes(h, SPEC) for h in hosts] == [True, True, False, False]

    def test_cap_below_one_is_refused(self, override):
        with pytest.raises(ValueError):
            override("max_instances_per_host", 0, group="filter_scheduler")

    def test_aggregate_metadata_is_ignored(self, override):
        override("max_instances_per_host", 5, group="filter_scheduler")
        assert self.f.host_passes(host(3, {"max_instances_per_host": "1"}), SPEC)


class TestAggregateNumInstancesFilter:
    f = AggregateNumInstancesFilter()

    def test_no_aggregate_falls_back_to_the_option(self, override):
        override("max_instances_per_host", 3, group="filter_scheduler")
        assert self.f.host_passes(host(2), SPEC)
        assert not self.f.host_passes(host(3), SPEC)

    def test_aggregate_without_the_key_falls_back_to_the_option(self, override):
        override("max_instances_per_host", 3, group="filter_scheduler")
        assert self.f.host_passes(host(2, {"ssd": "true"}), SPEC)
        assert not self.f.host_passes(host(3, {"ssd": "true"}), SPEC)

    def test_aggregate_value_overrides_the_option_both_ways(self, override):
        override("max_instances_per_host", 3, group="filter_scheduler")
        assert not self.f.host_passes(host(1, {"max_instances_per_host": "1"}), SPEC)
        assert self.f.host_passes(host(9, {"max_instances_per_host": "10"}), SPEC)

    def test_smallest_of_several_aggregates_wins(self):
        two = host(2, {"max_instances_per_host": "10"}, {"max_instances_per_host": "2"})
        assert not self.f.host_passes(two, SPEC)
        assert self.f.host_passes(host(1, {"max_instances_per_host": "10"},
                                       {"max_instances_per_host": "2"}), SPEC)

    def test_bad_value_falls_back_to_the_option_with_a_warning(self, override, caplog):
        caplog.set_level(logging.WARNING, logger="minova.scheduler.filters.num_instances")
        override("max_instances_per_host", 3, group="filter_scheduler")
        assert self.f.host_passes(host(2, {"max_instances_per_host": "many"}), SPEC)
        assert not self.f.host_passes(host(3, {"max_instances_per_host": "many"}), SPEC)
        assert "Could not decode max_instances_per_host" in caplog.text

    def test_filter_all_agrees_with_host_passes(self, override):
        override("max_instances_per_host", 2, group="filter_scheduler")
        hosts = [host(1, name="plain"), host(2, name="full"),
                 host(4, {"max_instances_per_host": "5"}, name="big-agg"),
                 host(1, {"max_instances_per_host": "1"}, name="small-agg")]
        kept = [h.host for h in self.f.filter_all(hosts, SPEC)]
        assert kept == ["plain", "big-agg"]
        assert kept == [h.host for h in hosts if self.f.host_passes(h, SPEC)]


def test_registered_but_not_enabled_by_default():
    available = filters.all_filters()
    assert available["NumInstancesFilter"] is NumInstancesFilter
    assert available["AggregateNumInstancesFilter"] is AggregateNumInstancesFilter
    assert "NumInstancesFilter" not in cfg.CONF.filter_scheduler.enabled_filters


def test_instances_placed_by_the_same_request_count(override):
    override("max_instances_per_host", 2, group="filter_scheduler")
    pipeline = FilterPipeline(filters.load_filters(["ComputeFilter", "NumInstancesFilter"]),
                              weights.load_weighers(["RAMWeigher"]))
    hosts = [host(1, name="a"), host(0, name="b")]
    with pytest.raises(exception.NoValidHost) as err:
        pipeline.place(hosts, fakes.spec(num=4), ["i1", "i2", "i3", "i4"])
    # a takes one more, b two: the fourth finds every host at the cap
    assert "NumInstancesFilter removed 2 of 2 hosts" in str(err.value)
    assert "placed 3 of 4" in str(err.value)
    assert [h.running_vms for h in hosts] == [1, 0]
