"""Aggregate filters and the zone an aggregate gives a host, with Nova's edge cases."""

import pytest

from minova.conf import scheduler as _conf  # noqa: F401
from minova.scheduler import filters
from minova.scheduler.filters import extra_specs_ops
from minova.scheduler.filters.aggregate_instance_extra_specs import (
    AggregateInstanceExtraSpecsFilter,
)
from minova.scheduler.filters.aggregate_multitenancy_isolation import (
    AggregateMultiTenancyIsolation,
)
from minova.scheduler.filters.availability_zone import AvailabilityZoneFilter
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec

from . import fakes


def _host(*metadatas: dict, **values) -> HostState:
    aggs = [{"id": i, "name": f"agg{i}", "metadata": m} for i, m in enumerate(metadatas, 1)]
    return HostState(fakes.host_state(aggregates=aggs, **values))


def _spec(extra_specs: dict | None = None, project_id: str = "p1", az=None) -> SchedulingSpec:
    request = fakes.spec(availability_zone=az)
    request["flavor"]["extra_specs"] = extra_specs or {}
    request["project_id"] = project_id
    return SchedulingSpec(request)


def test_registered_but_not_enabled_by_default():
    from oslo_config import cfg

    available = filters.all_filters()
    assert "AggregateInstanceExtraSpecsFilter" in available
    assert "AggregateMultiTenancyIsolation" in available
    enabled = cfg.CONF.filter_scheduler.enabled_filters
    assert "AggregateInstanceExtraSpecsFilter" not in enabled
    assert "AggregateMultiTenancyIsolation" not in enabled


def test_host_state_without_aggregates_key_has_none():
    assert HostState(fakes.host_state()).aggregates == []


class TestAggregateInstanceExtraSpecsFilter:
    f = AggregateInstanceExtraSpecsFilter()

    def test_flavor_without_extra_specs_passes_everywhere(self):
        assert self.f.host_passes(_host(), _spec())
        assert self.f.host_passes(_host({"ssd": "false"}), _spec())

    def test_unscoped_and_scoped_specs_must_match(self):
        host = _host({"ssd": "true"})
        assert self.f.host_passes(host, _spec({"ssd": "true"}))
        assert self.f.host_passes(host, _spec({"aggregate_instance_extra_specs:ssd": "true"}))
        assert not self.f.host_passes(host, _spec({"ssd": "false"}))
        assert not self.f.host_passes(
            host, _spec({"aggregate_instance_extra_specs:ssd": "false"}))

    def test_other_scopes_are_ignored(self):
        assert self.f.host_passes(_host({"ssd": "true"}),
                                  _spec({"hw:cpu_policy": "dedicated", "ssd": "true"}))

    def test_host_in_no_aggregate_fails_a_relevant_spec(self):
        assert not self.f.host_passes(_host(), _spec({"ssd": "true"}))
        assert self.f.host_passes(_host(), _spec({"hw:cpu_policy": "dedicated"}))

    def test_key_no_aggregate_sets_fails(self):
        assert not self.f.host_passes(_host({"gpu": "1"}), _spec({"ssd": "true"}))

    def test_any_aggregate_value_may_match(self):
        host = _host({"ssd": "false"}, {"ssd": "true"})
        assert self.f.host_passes(host, _spec({"ssd": "true"}))

    def test_operators(self):
        host = _host({"memory": "2048", "cpu": "Intel Xeon", "tier": "gold"})
        assert self.f.host_passes(host, _spec({"memory": ">= 1024"}))
        assert not self.f.host_passes(host, _spec({"memory": ">= 4096"}))
        assert self.f.host_passes(host, _spec({"cpu": "<in> Xeon"}))
        assert self.f.host_passes(host, _spec({"tier": "<or> silver <or> gold"}))
        assert not self.f.host_passes(host, _spec({"tier": "s== silver"}))


@pytest.mark.parametrize("value,req,expected", [
    ("123", "= 123", True), ("124", "= 123", True), ("122", "= 123", False),
    ("12", "== 12.0", True), ("12", "!= 12", False),
    ("abc", "s== abc", True), ("abc", "s!= abc", False), ("abc", "s< abd", True),
    ("a b c", "<all-in> a c", True), ("a b", "<all-in> a c", False),
    ("x", "<or> y <or> x", True), ("z", "<or> y <or> x", False),
    ("nan-number", ">= 1", False), ("1", "=", False), ("plain", "plain", True),
    (None, "= 1", False),
])
def test_extra_specs_ops(value, req, expected):
    assert extra_specs_ops.match(value, req) is expected


class TestAggregateMultiTenancyIsolation:
    f = AggregateMultiTenancyIsolation()

    def test_host_without_tenant_filter_takes_everyone(self):
        assert self.f.host_passes(_host(), _spec(project_id="p9"))
        assert self.f.host_passes(_host({"ssd": "true"}), _spec(project_id="p9"))

    def test_isolated_host_takes_only_listed_projects(self):
        host = _host({"filter_tenant_id": "p1,p2"})
        assert self.f.host_passes(host, _spec(project_id="p2"))
        assert not self.f.host_passes(host, _spec(project_id="p3"))

    def test_extra_tenant_keys_and_several_aggregates_add_up(self):
        host = _host({"filter_tenant_id": "p1", "filter_tenant_id2": "p4"},
                     {"filter_tenant_id": "p5"})
        for project in ("p1", "p4", "p5"):
            assert self.f.host_passes(host, _spec(project_id=project))
        assert not self.f.host_passes(host, _spec(project_id="p2"))


class TestAvailabilityZoneFromAggregates:
    def test_filter_reads_the_zone_the_conductor_derived(self):
        # The conductor puts the aggregate's zone in availability_zone.
        host = _host({"availability_zone": "az1"}, availability_zone="az1")
        spec = _spec(az="az1")
        assert AvailabilityZoneFilter().filter_all([host], spec) == [host]
        assert AvailabilityZoneFilter().filter_all([host], _spec(az="nova")) == []
