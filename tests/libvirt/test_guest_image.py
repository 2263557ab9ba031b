"""The tiny test guest on a real libvirtd: boot, ACPI shutdown, restart, destroy.

Timings are printed (run with ``-s`` to see them), never asserted.
"""

import json
import subprocess
import time
import xml.etree.ElementTree as ET

import libvirt
import pytest

from tests.libvirt import guest as guest_mod

BOOT_TIMEOUT = 120  # TCG, and other tests may be booting guests at the same time
SHUTDOWN_TIMEOUT = 60


def test_guest_image_files(guest_image):
    with open(guest_image["kernel"], "rb") as f:
        assert f.read(0x206)[0x202:0x206] == b"HdrS"  # a bzImage: the x86 boot protocol header
    with open(guest_image["initrd"], "rb") as f:
        assert f.read(2) == b"\x1f\x8b"  # gzip-compressed cpio
    with open(guest_image["disk"], "rb") as f:
        assert len(f.read()) == 1024 * 1024


def test_defined_domain_matches_request(libvirt_conn, guest_image, tiny_guest):
    guest = tiny_guest()
    info = json.loads(subprocess.run(
        ["qemu-img", "info", "--output=json", str(guest.overlay)],
        check=True, capture_output=True, text=True).stdout)
    assert info["format"] == "qcow2"
    assert info["backing-filename"] == guest_image["disk"]
    assert info["backing-filename-format"] == "raw"

    assert guest.dom.isPersistent() == 1
    assert guest.dom.isActive() == 0
    assert guest.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF

    xml = ET.fromstring(guest.dom.XMLDesc())
    assert xml.get("type") == "qemu"
    assert xml.findtext("name") == guest.name
    memory = xml.find("memory")
    assert (memory.get("unit"), memory.text) == ("KiB", str(128 * 1024))
    assert xml.findtext("vcpu") == "1"
    assert xml.findtext("os/kernel") == guest_image["kernel"]
    assert xml.findtext("os/initrd") == guest_image["initrd"]
    assert xml.findtext("os/cmdline") == "console=ttyS0"
    assert xml.find("features/acpi") is not None
    disk = xml.find("devices/disk")
    assert disk.find("driver").get("type") == "qcow2"
    assert disk.find("source").get("file") == str(guest.overlay)
    assert disk.find("target").get("bus") == "virtio"
    serial = xml.find("devices/serial")
    assert serial.get("type") == "file"
    assert serial.find("source").get("path") == str(guest.console_log)
    assert serial.find("source").get("append") == "on"


def test_boot_acpi_shutdown_restart_destroy(libvirt_conn, tiny_guest):
    guest = tiny_guest()
    dom = guest.dom
    timings = {}

    # Boot: QEMU starts, the kernel boots, /init announces itself on ttyS0.
    t0 = time.monotonic()
    dom.create()
    timings["start"] = time.monotonic() - t0
    assert dom.isActive() == 1
    assert guest.state() == (libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED)
    guest.wait_ready(count=1, timeout=BOOT_TIMEOUT)
    timings["marker"] = time.monotonic() - t0
    assert "Linux version" in guest.console()  # the kernel's own lines reach the file too
    assert guest.state()[0] == libvirt.VIR_DOMAIN_RUNNING

    # ACPI shutdown: the guest's acpid sees the power button and powers off.
    t0 = time.monotonic()
    dom.shutdown()
    guest.wait_state(libvirt.VIR_DOMAIN_SHUTOFF, timeout=SHUTDOWN_TIMEOUT)
    timings["acpi_shutdown"] = time.monotonic() - t0
    assert guest.state() == (libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN)
    assert dom.isActive() == 0
    assert "power button, powering off" in guest.console()
    assert dom.isPersistent() == 1  # still defined

    # Start again: the console file is appended to, so the marker shows twice.
    t0 = time.monotonic()
    dom.create()
    timings["restart"] = time.monotonic() - t0
    assert guest.state() == (libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED)
    guest.wait_ready(count=2, timeout=BOOT_TIMEOUT)
    timings["marker_again"] = time.monotonic() - t0

    # Destroy (hard power off), then undefine.
    t0 = time.monotonic()
    dom.destroy()
    timings["destroy"] = time.monotonic() - t0
    assert guest.state() == (libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED)
    assert dom.isActive() == 0
    dom.undefine()
    with pytest.raises(libvirt.libvirtError) as err:
        libvirt_conn.lookupByName(guest.name)
    assert err.value.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN
    assert guest_mod.marker_count(guest.console_log) == 2

    print("\ntiny guest timings (s): "
          + ", ".join(f"{k}={v:.2f}" for k, v in timings.items()))
