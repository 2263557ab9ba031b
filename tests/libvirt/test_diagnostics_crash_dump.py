"""The libvirt driver's diagnostics and crash dump on a real guest: the tiny
test guest booted on the real libvirtd, read and poked through
LibvirtDriver as a compute host would."""

import xml.etree.ElementTree as ET

import libvirt
import pytest
from oslo_config import cfg

from minova import exception
from minova.virt.libvirt import driver as libvirt_driver

CONF = cfg.CONF


@pytest.fixture
def driver(libvirt_host, tmp_path):
    CONF.set_override("connection_uri", libvirt_host, group="libvirt")
    CONF.set_override("virt_type", "qemu", group="libvirt")  # the tiny guest's, TCG
    CONF.set_override("instances_path", str(tmp_path / "instances"))
    drv = libvirt_driver.LibvirtDriver()
    drv.init_host("libvirt-test")
    yield drv
    drv.cleanup_host("libvirt-test")
    CONF.clear_override("connection_uri", group="libvirt")
    CONF.clear_override("virt_type", group="libvirt")
    CONF.clear_override("instances_path")


def test_diagnostics_of_a_running_guest(driver, tiny_guest):
    guest = tiny_guest(vcpus=2)
    guest.dom.create()
    guest.wait_ready()
    instance = {"uuid": guest.dom.UUIDString(), "launched_at": "2026-01-01T00:00:00",
                "config_drive": ""}

    diags = driver.get_instance_diagnostics(instance)
    assert (diags["state"], diags["driver"], diags["hypervisor"], diags["num_cpus"],
            diags["config_drive"]) == ("running", "libvirt", "qemu", 2, False)
    memory_kib = int(ET.fromstring(guest.dom.XMLDesc(0)).findtext("memory"))
    assert diags["memory_details"]["maximum"] == memory_kib // 1024
    assert [c["id"] for c in diags["cpu_details"]] == [0, 1]
    assert all(c["time"] > 0 for c in diags["cpu_details"])
    # The guest read its root disk while booting; it has no NIC.
    [disk] = diags["disk_details"]
    assert disk["read_requests"] > 0 and disk["read_bytes"] > 0
    assert (diags["num_disks"], diags["num_nics"], diags["nic_details"]) == (1, 0, [])
    assert diags["uptime"] > 0

    legacy = driver.get_diagnostics(instance)
    assert legacy["memory"] == memory_kib
    assert legacy["vda_read_req"] > 0 and "cpu1_time" in legacy


def test_crash_dump_injects_an_nmi(driver, tiny_guest):
    """libvirt takes the NMI for a running guest (virDomainInjectNMI) and
    refuses it for one that is not, which the driver names as Nova does.

    What the guest makes of it is its kernel's business: the tiny test
    guest under TCG logs nothing and does not panic (even with
    ``unknown_nmi_panic=1``), so only libvirt's side is checked here."""
    guest = tiny_guest()
    guest.dom.create()
    guest.wait_ready()
    instance = {"uuid": guest.dom.UUIDString()}
    driver.trigger_crash_dump(instance)
    assert guest.state()[0] == libvirt.VIR_DOMAIN_RUNNING

    guest.dom.destroy()
    with pytest.raises(exception.InstanceNotRunning):
        driver.trigger_crash_dump(instance)
    with pytest.raises(exception.InstanceNotFound):
        driver.trigger_crash_dump({"uuid": "00000000-0000-4000-8000-000000000000"})
