"""ImagePropertiesFilter: an image's architecture, hypervisor type and VM mode
against the host's supported_instances and hypervisor version."""

import pytest

from minova.scheduler.filters import image_properties
from minova.scheduler.filters.image_properties import ImagePropertiesFilter
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec

from . import fakes

KVM_HOST = [["x86_64", "qemu", "hvm"], ["x86_64", "kvm", "hvm"]]


def host(supported=KVM_HOST, version=6000000, name="host-1") -> HostState:
    return HostState(fakes.host_state(name, supported_instances=supported,
                                      hypervisor_version=version, hypervisor_type="QEMU"))


def spec(**properties) -> SchedulingSpec:
    request = fakes.spec()
    request["image"] = {"id": "img-1", "name": "img", "properties": properties}
    return SchedulingSpec(request)


def passes(host_state, **properties) -> bool:
    return ImagePropertiesFilter().host_passes(host_state, spec(**properties))


def test_image_without_these_properties_passes_every_host():
    assert passes(host(), hw_disk_bus="virtio", os_distro="ubuntu")
    assert passes(host(supported=[]))  # even a host that reports nothing


def test_no_image_at_all_passes():
    request = fakes.spec()
    request["image"] = None
    assert ImagePropertiesFilter().host_passes(host(), SchedulingSpec(request))


def test_same_properties_pass_and_another_architecture_fails():
    assert passes(host(), hw_architecture="x86_64", img_hv_type="kvm", hw_vm_mode="hvm")
    assert not passes(host(), hw_architecture="aarch64")


def test_every_asked_property_must_match_one_entry():
    mixed = [["x86_64", "qemu", "hvm"], ["aarch64", "kvm", "hvm"]]
    assert passes(host(mixed), hw_architecture="aarch64", img_hv_type="kvm")
    assert not passes(host(mixed), hw_architecture="x86_64", img_hv_type="kvm")


def test_host_reporting_no_supported_instances_fails_only_requests_that_ask():
    assert not passes(host(supported=[]), hw_architecture="x86_64")
    assert not passes(host(supported=None), img_hv_type="qemu")


@pytest.mark.parametrize("properties", [
    {"hw_architecture": "AMD64"}, {"hw_architecture": "X86_64"},
    {"img_hv_type": "QEMU"}, {"hw_vm_mode": "HV"}, {"hw_vm_mode": "baremetal"},
])
def test_names_are_canonicalised_as_nova_does(properties):
    assert passes(host(), **properties)


def test_i386_means_i686():
    assert passes(host([["i686", "kvm", "hvm"]]), hw_architecture="i386")


def test_a_kvm_host_also_runs_images_asking_for_qemu():
    # libvirt lists both domain types of a KVM host (Nova: "qemu is used for
    # both QEMU and KVM"); a TCG-only host lists qemu alone.
    assert passes(host(KVM_HOST), img_hv_type="qemu")
    assert not passes(host([["x86_64", "qemu", "hvm"]]), img_hv_type="kvm")


def test_legacy_names_count_and_the_new_name_wins():
    assert not passes(host(), architecture="aarch64")
    assert passes(host(), architecture="x86_64", hypervisor_type="kvm", vm_mode="hvm")
    assert passes(host(), architecture="aarch64", hw_architecture="x86_64")
    assert not passes(host(), architecture="x86_64", hw_architecture="aarch64")


def test_unknown_names_match_no_host():
    assert not passes(host(), hw_architecture="z80")


@pytest.mark.parametrize("requirement, version, expected", [
    (">=6.0,<6.2", 6000000, True),
    (">=6.0,<6.2", 6001005, True),
    (">=6.0,<6.2", 6002000, False),
    ("==6.0", 6000000, True),
    ("!=6.0", 6000000, False),
    ("> 5", 6000000, True),
    ("<=1.0", 1000, True),
    ("6.0", 6000000, False),  # no operator: no version satisfies it
])
def test_requested_hypervisor_version(requirement, version, expected):
    assert passes(host(version=version), img_hv_type="kvm",
                  img_hv_requested_version=requirement) is expected


def test_version_is_only_checked_with_another_property_and_a_known_version():
    # As in Nova: a version requirement alone asks for nothing.
    assert passes(host(version=1000), img_hv_requested_version=">=6.0")
    assert passes(host(version=0), img_hv_type="kvm", img_hv_requested_version=">=6.0")
    assert not passes(host(version=1000), img_hv_type="kvm",
                      hypervisor_version_requires=">=6.0")


def test_default_architecture_stands_in_for_a_missing_one(override):
    override("image_properties_default_architecture", "aarch64", group="filter_scheduler")
    assert not passes(host())
    assert passes(host(), hw_architecture="x86_64")


def test_hypervisor_version_tuple():
    assert image_properties.hypervisor_version_tuple(7002022) == (7, 2, 22)
    assert image_properties.hypervisor_version_tuple(1000) == (1, 0, 0)
    assert image_properties.hypervisor_version_tuple(0) == (0, 0, 0)


def test_filter_all_keeps_the_matching_hosts_in_order():
    arm = [["aarch64", "kvm", "hvm"]]
    hosts = [host(KVM_HOST, name="x1"), host(arm, name="a1"), host(KVM_HOST, name="x2"),
             host([], name="none")]
    kept = ImagePropertiesFilter().filter_all(hosts, spec(hw_architecture="x86_64"))
    assert [h.host for h in kept] == ["x1", "x2"]
    kept = ImagePropertiesFilter().filter_all(hosts, spec(hw_architecture="aarch64"))
    assert [h.host for h in kept] == ["a1"]


def test_filter_all_with_nothing_asked_returns_every_host():
    hosts = [host(name="x1"), host([], name="none")]
    assert ImagePropertiesFilter().filter_all(hosts, spec()) == hosts


def test_hosts_sharing_a_capability_set_but_not_a_version_are_judged_apart():
    shared = {"hypervisor_type": "QEMU", "hypervisor_version": 0, "cpu_info": {},
              "supported_instances": KVM_HOST}
    old = HostState(fakes.host_state("old", capability_set=0), [dict(
        shared, hypervisor_version=5000000)])
    new = HostState(fakes.host_state("new", capability_set=0), [dict(
        shared, hypervisor_version=6000000)])
    kept = ImagePropertiesFilter().filter_all(
        [old, new], spec(img_hv_type="kvm", img_hv_requested_version=">=6.0"))
    assert [h.host for h in kept] == ["new"]
