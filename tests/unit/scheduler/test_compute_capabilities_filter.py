"""ComputeCapabilitiesFilter: flavor extra specs against what the host reports."""

import json

import pytest

from minova.scheduler.filters.compute_capabilities import ComputeCapabilitiesFilter
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec

from . import fakes

CPU = {"arch": "x86_64", "model": "EPYC-Rome", "vendor": "AMD",
       "topology": {"sockets": 1, "cores": 8}}


def host(name="host-1", **values) -> HostState:
    values.setdefault("hypervisor_type", "QEMU")
    values.setdefault("hypervisor_version", 7002000)
    values.setdefault("cpu_info", json.dumps(CPU))
    return HostState(fakes.host_state(name, **values))


def spec(extra_specs: dict) -> SchedulingSpec:
    request = fakes.spec()
    request["flavor"]["extra_specs"] = extra_specs
    return SchedulingSpec(request)


def passes(extra_specs: dict, host_state=None) -> bool:
    return ComputeCapabilitiesFilter().host_passes(host_state or host(), spec(extra_specs))


def test_flavor_without_extra_specs_passes():
    assert passes({})


@pytest.mark.parametrize("extra_specs, expected", [
    ({"capabilities:hypervisor_type": "QEMU"}, True),
    ({"capabilities:hypervisor_type": "fake"}, False),
    ({"capabilities:hypervisor_type": "s== QEMU"}, True),
    ({"capabilities:hypervisor_type": "<or> fake <or> QEMU"}, True),
    ({"capabilities:hypervisor_version": ">= 7000000"}, True),
    ({"capabilities:hypervisor_version": "< 7000000"}, False),
    ({"capabilities:cpu_info:arch": "x86_64"}, True),
    ({"capabilities:cpu_info:vendor": "Intel"}, False),
    ({"capabilities:cpu_info:topology:cores": ">= 8"}, True),
    ({"capabilities:cpu_info:model": "<in> EPYC"}, True),
])
def test_scoped_specs_walk_into_host_attributes(extra_specs, expected):
    assert passes(extra_specs) is expected


def test_unscoped_key_naming_a_host_attribute_is_a_requirement():
    assert passes({"hypervisor_type": "QEMU"})
    assert not passes({"hypervisor_type": "fake"})


def test_unscoped_key_that_is_no_host_attribute_is_ignored():
    # Left to AggregateInstanceExtraSpecsFilter, as in Nova.
    assert passes({"ssd": "true", "trust:level": "high"})


def test_other_scopes_are_ignored():
    assert passes({"hw:cpu_policy": "dedicated", "aggregate_instance_extra_specs:ssd": "true",
              "quota:cpu_shares": "1024"})


def test_a_capability_the_host_does_not_have_fails():
    assert not passes({"capabilities:cpu_info:flags": "<in> vmx"})
    assert not passes({"capabilities:no_such_attribute": "x"})
    # cpu_info's arch is a string: nothing to walk into
    assert not passes({"capabilities:cpu_info:arch:bits": "64"})


def test_host_without_cpu_info_fails_cpu_specs():
    bare = HostState(fakes.host_state("bare"))
    assert not passes({"capabilities:cpu_info:arch": "x86_64"}, bare)
    assert not passes({"capabilities:hypervisor_type": "QEMU"}, bare)


def test_failed_builds_and_usage_are_attributes_too():
    assert passes({"capabilities:failed_builds": "== 0"})
    assert not passes({"capabilities:failed_builds": "== 0"}, host(failed_builds=3))


def test_every_requirement_must_hold():
    assert not passes({"capabilities:hypervisor_type": "QEMU",
                       "capabilities:cpu_info:arch": "ppc64"})


def test_filter_all_keeps_the_matching_hosts_in_order():
    hosts = [host("q1"), host("f1", hypervisor_type="fake"), host("q2")]
    kept = ComputeCapabilitiesFilter().filter_all(
        hosts, spec({"capabilities:hypervisor_type": "QEMU"}))
    assert [h.host for h in kept] == ["q1", "q2"]


def test_filter_all_without_capability_specs_returns_every_host():
    hosts = [host("q1"), host("f1", hypervisor_type="fake")]
    assert ComputeCapabilitiesFilter().filter_all(hosts, spec({"hw:mem_page_size": "large"})) \
        == hosts
