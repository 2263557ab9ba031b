import pytest
from oslo_config import cfg

from minova.scheduler import filters
from minova.scheduler.filters.server_group import (
    ServerGroupAffinityFilter,
    ServerGroupAntiAffinityFilter,
)
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec

from . import fakes

HOSTS = [HostState(fakes.host_state(name)) for name in ("a", "b", "c")]


def spec_with(group: dict | None) -> SchedulingSpec:
    request = fakes.spec()
    request["instance_group"] = group
    return SchedulingSpec(request)


def passing(host_filter, spec: SchedulingSpec) -> list[str]:
    """The names filter_all keeps, checked against host_passes one host at a time."""
    kept = [h.host for h in host_filter.filter_all(HOSTS, spec)]
    assert kept == [h.host for h in HOSTS if host_filter.host_passes(h, spec)]
    return kept


GROUP_FILTERS = [ServerGroupAffinityFilter(), ServerGroupAntiAffinityFilter()]


class TestWithoutAGroupOfTheirPolicy:
    @pytest.mark.parametrize("host_filter", GROUP_FILTERS, ids=lambda f: f.name)
    def test_no_group_returns_the_same_list(self, host_filter):
        spec = spec_with(None)
        assert host_filter.filter_all(HOSTS, spec) is HOSTS
        assert all(host_filter.host_passes(h, spec) for h in HOSTS)

    @pytest.mark.parametrize("host_filter", GROUP_FILTERS, ids=lambda f: f.name)
    def test_spec_from_before_server_groups_has_no_key(self, host_filter):
        assert host_filter.filter_all(HOSTS, SchedulingSpec(fakes.spec())) is HOSTS

    @pytest.mark.parametrize("policy", ["soft-affinity", "soft-anti-affinity", "affinity"])
    def test_anti_affinity_ignores_other_policies(self, policy):
        spec = spec_with(fakes.server_group(policy, ["a", "b"]))
        assert passing(ServerGroupAntiAffinityFilter(), spec) == ["a", "b", "c"]

    @pytest.mark.parametrize("policy", ["soft-affinity", "soft-anti-affinity", "anti-affinity"])
    def test_affinity_ignores_other_policies(self, policy):
        spec = spec_with(fakes.server_group(policy, ["a"]))
        assert passing(ServerGroupAffinityFilter(), spec) == ["a", "b", "c"]


class TestServerGroupAntiAffinityFilter:
    f = ServerGroupAntiAffinityFilter()

    def test_no_member_placed_yet_passes_every_host(self):
        assert passing(self.f, spec_with(fakes.server_group("anti-affinity"))) == ["a", "b", "c"]

    def test_hosts_running_a_member_are_removed(self):
        spec = spec_with(fakes.server_group("anti-affinity", ["a", "c"]))
        assert passing(self.f, spec) == ["b"]

    def test_every_host_running_a_member_leaves_none(self):
        spec = spec_with(fakes.server_group("anti-affinity", ["c", "b", "a"]))
        assert passing(self.f, spec) == []

    def test_max_server_per_host_two(self):
        group = fakes.server_group("anti-affinity", ["a", "a", "b"],
                                   rules={"max_server_per_host": 2})
        # a already runs two members; b runs one, so one more fits there
        assert passing(self.f, spec_with(group)) == ["b", "c"]

    def test_max_server_per_host_counts_duplicates(self):
        group = fakes.server_group("anti-affinity", ["b", "b", "b"],
                                   rules={"max_server_per_host": 3})
        assert passing(self.f, spec_with(group)) == ["a", "c"]

    def test_empty_rules_means_one_per_host(self):
        group = fakes.server_group("anti-affinity", ["a"], rules={})
        group["rules"] = None  # tolerated as "no rules" too
        assert passing(self.f, spec_with(group)) == ["b", "c"]

    def test_member_on_a_host_not_in_the_candidates_removes_nothing(self):
        spec = spec_with(fakes.server_group("anti-affinity", ["elsewhere"]))
        assert self.f.filter_all(HOSTS, spec) == HOSTS


class TestServerGroupAffinityFilter:
    f = ServerGroupAffinityFilter()

    def test_no_member_placed_yet_passes_every_host(self):
        spec = spec_with(fakes.server_group("affinity"))
        assert self.f.filter_all(HOSTS, spec) is HOSTS

    def test_only_the_members_host_passes(self):
        spec = spec_with(fakes.server_group("affinity", ["b", "b"]))
        assert passing(self.f, spec) == ["b"]

    def test_members_host_not_among_the_candidates_leaves_none(self):
        spec = spec_with(fakes.server_group("affinity", ["elsewhere"]))
        assert passing(self.f, spec) == []


def test_registered_and_enabled_after_the_capacity_filters():
    available = filters.all_filters()
    assert available["ServerGroupAffinityFilter"] is ServerGroupAffinityFilter
    assert available["ServerGroupAntiAffinityFilter"] is ServerGroupAntiAffinityFilter
    enabled = cfg.CONF.filter_scheduler.enabled_filters
    assert enabled.index("ServerGroupAntiAffinityFilter") > enabled.index("DiskFilter")
    assert enabled.index("ServerGroupAffinityFilter") > enabled.index("DiskFilter")
