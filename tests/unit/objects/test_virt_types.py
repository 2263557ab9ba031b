"""Nova's canonical architecture, hypervisor type and VM mode names."""

import pytest

from minova.objects import virt_types


@pytest.mark.parametrize("name, canonical", [
    ("x86_64", "x86_64"), ("AMD64", "x86_64"), ("i386", "i686"), ("i586", "i686"),
    ("x86_32", "i686"), ("AArch64", "aarch64"), ("z80", "z80"), (None, None)])
def test_architecture(name, canonical):
    assert virt_types.canonical_architecture(name) == canonical


@pytest.mark.parametrize("name, canonical", [
    ("QEMU", "qemu"), ("kvm", "kvm"), ("xapi", "xen"), (None, None)])
def test_hv_type(name, canonical):
    assert virt_types.canonical_hv_type(name) == canonical


@pytest.mark.parametrize("name, canonical", [
    ("HVM", "hvm"), ("hv", "hvm"), ("baremetal", "hvm"), ("pv", "xen"), ("exe", "exe")])
def test_vm_mode(name, canonical):
    assert virt_types.canonical_vm_mode(name) == canonical


def test_supported_instance_is_canonical_or_none():
    assert virt_types.supported_instance("amd64", "KVM", "HVM") == ["x86_64", "kvm", "hvm"]
    assert virt_types.supported_instance("loongarch64", "qemu", "hvm") is None
    assert virt_types.supported_instance("x86_64", "hypervisor9", "hvm") is None
    assert virt_types.supported_instance("x86_64", "kvm", "weird") is None
