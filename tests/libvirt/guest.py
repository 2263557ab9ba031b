"""Helpers for booting the tiny test guest (tools/make-guest-image.sh) on a real libvirtd.

The guest prints ``READY_MARKER`` on its serial console once its /init is up
and acpid listens for the power button, so ACPI shutdown works from then on.
"""

import pathlib
import subprocess
import time
import xml.etree.ElementTree as ET

READY_MARKER = "MINOVA-GUEST-READY"
GUEST_MEMORY_MIB = 128  # the cloud kernel resets in a loop below ~80 MiB
GUEST_CMDLINE = "console=ttyS0"


def wait_for(predicate, timeout, interval=0.05, what="condition"):
    """Poll ``predicate`` until it returns a true value; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def create_overlay(base_raw, overlay):
    """A qcow2 overlay on the raw base image, as a compute host makes an instance disk."""
    subprocess.run(
        ["qemu-img", "create", "-q", "-f", "qcow2", "-b", str(base_raw), "-F", "raw",
         str(overlay)],
        check=True, capture_output=True, text=True)
    return pathlib.Path(overlay)


def console_text(console_log):
    try:
        return pathlib.Path(console_log).read_text(errors="replace")
    except FileNotFoundError:
        return ""


def marker_count(console_log):
    return console_text(console_log).count(READY_MARKER)


def domain_xml(name, image, disk, console_log, virt_type="qemu",
               memory_mib=GUEST_MEMORY_MIB, vcpus=1, cmdline=GUEST_CMDLINE):
    """Domain XML for the tiny guest: direct kernel boot, a virtio disk, serial to a file.

    ``image`` is the ``guest_image`` fixture's dict; ``disk`` the instance's
    qcow2 overlay.
    """
    domain = ET.Element("domain", type=virt_type)
    ET.SubElement(domain, "name").text = name
    ET.SubElement(domain, "memory", unit="MiB").text = str(memory_mib)
    ET.SubElement(domain, "vcpu").text = str(vcpus)
    os_el = ET.SubElement(domain, "os")
    ET.SubElement(os_el, "type", arch="x86_64").text = "hvm"
    ET.SubElement(os_el, "kernel").text = str(image["kernel"])
    ET.SubElement(os_el, "initrd").text = str(image["initrd"])
    ET.SubElement(os_el, "cmdline").text = cmdline
    features = ET.SubElement(domain, "features")
    ET.SubElement(features, "acpi")  # the power button of dom.shutdown()
    ET.SubElement(domain, "on_poweroff").text = "destroy"
    ET.SubElement(domain, "on_reboot").text = "restart"
    ET.SubElement(domain, "on_crash").text = "destroy"

    devices = ET.SubElement(domain, "devices")
    disk_el = ET.SubElement(devices, "disk", type="file", device="disk")
    ET.SubElement(disk_el, "driver", name="qemu", type="qcow2")
    ET.SubElement(disk_el, "source", file=str(disk))
    ET.SubElement(disk_el, "target", dev="vda", bus="virtio")
    serial = ET.SubElement(devices, "serial", type="file")
    ET.SubElement(serial, "source", path=str(console_log), append="on")
    ET.SubElement(serial, "target", port="0")
    ET.SubElement(devices, "memballoon", model="none")
    return ET.tostring(domain, encoding="unicode")
