import pytest
from oslo_config import cfg

from minova.scheduler import filters
from minova.scheduler.filters.hints import DifferentHostFilter, SameHostFilter
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec

from . import fakes

HOSTS = [HostState(fakes.host_state(name)) for name in ("a", "b", "c")]
UUID_1 = "9b2a1c6e-0d8f-4f0e-8a55-111111111111"
UUID_2 = "9b2a1c6e-0d8f-4f0e-8a55-222222222222"


def spec_with(hints: dict, hint_hosts: dict | None = None) -> SchedulingSpec:
    request = fakes.spec()
    request["scheduler_hints"] = hints
    if hint_hosts is not None:
        request["hint_hosts"] = hint_hosts
    return SchedulingSpec(request)


def passing(host_filter, spec: SchedulingSpec) -> list[str]:
    """The names filter_all keeps, checked against host_passes one host at a time."""
    kept = [h.host for h in host_filter.filter_all(HOSTS, spec)]
    assert kept == [h.host for h in HOSTS if host_filter.host_passes(h, spec)]
    return kept


BOTH = [SameHostFilter(), DifferentHostFilter()]


class TestNoHint:
    @pytest.mark.parametrize("host_filter", BOTH, ids=lambda f: f.name)
    def test_no_hints_returns_the_same_list(self, host_filter):
        spec = spec_with({})
        assert host_filter.filter_all(HOSTS, spec) is HOSTS
        assert all(host_filter.host_passes(h, spec) for h in HOSTS)

    @pytest.mark.parametrize("host_filter", BOTH, ids=lambda f: f.name)
    @pytest.mark.parametrize("empty", [[], "", [""], None])
    def test_empty_hint_passes_every_host(self, host_filter, empty):
        spec = spec_with({"same_host": empty, "different_host": empty},
                         {"same_host": [], "different_host": []})
        assert passing(host_filter, spec) == ["a", "b", "c"]

    @pytest.mark.parametrize("host_filter", BOTH, ids=lambda f: f.name)
    def test_other_hints_are_not_theirs(self, host_filter):
        spec = spec_with({"group": "some-group"})
        assert passing(host_filter, spec) == ["a", "b", "c"]


class TestSameHostFilter:
    f = SameHostFilter()

    def test_list_of_instances(self):
        spec = spec_with({"same_host": [UUID_1, UUID_2]}, {"same_host": ["c", "a"]})
        # any of the named instances' hosts passes, as Nova's overlap check
        assert passing(self.f, spec) == ["a", "c"]

    def test_single_uuid_string(self):
        spec = spec_with({"same_host": UUID_1}, {"same_host": ["b"]})
        assert passing(self.f, spec) == ["b"]

    def test_instances_without_a_host_pass_no_host(self):
        spec = spec_with({"same_host": [UUID_1]}, {"same_host": []})
        assert passing(self.f, spec) == []

    def test_unresolved_hint_passes_no_host(self):
        # hint given but no hint_hosts at all: nothing is known to be there
        assert passing(self.f, spec_with({"same_host": UUID_1})) == []

    def test_reads_its_own_key_only(self):
        spec = spec_with({"same_host": [UUID_1], "different_host": [UUID_2]},
                         {"same_host": ["a"], "different_host": ["a"]})
        assert passing(self.f, spec) == ["a"]


class TestDifferentHostFilter:
    f = DifferentHostFilter()

    def test_list_of_instances(self):
        spec = spec_with({"different_host": [UUID_1, UUID_2]},
                         {"different_host": ["a", "c"]})
        assert passing(self.f, spec) == ["b"]

    def test_single_uuid_string(self):
        spec = spec_with({"different_host": UUID_1}, {"different_host": ["b"]})
        assert passing(self.f, spec) == ["a", "c"]

    def test_instances_without_a_host_pass_every_host(self):
        spec = spec_with({"different_host": [UUID_1]}, {"different_host": []})
        assert passing(self.f, spec) == ["a", "b", "c"]

    def test_unresolved_hint_passes_every_host(self):
        assert passing(self.f, spec_with({"different_host": [UUID_1]})) == ["a", "b", "c"]

    def test_host_of_an_instance_elsewhere_removes_nothing(self):
        spec = spec_with({"different_host": [UUID_1]}, {"different_host": ["elsewhere"]})
        assert passing(self.f, spec) == ["a", "b", "c"]


def test_registered_but_not_enabled_by_default():
    available = filters.all_filters()
    assert available["SameHostFilter"] is SameHostFilter
    assert available["DifferentHostFilter"] is DifferentHostFilter
    enabled = cfg.CONF.filter_scheduler.enabled_filters
    assert "SameHostFilter" not in enabled
    assert "DifferentHostFilter" not in enabled
