"""The domain XML: well-formed whatever the names, and what it says about the guest."""

import datetime
import xml.etree.ElementTree as ET

import libvirt
import pytest

from minova.virt.libvirt import config
from tests.unit.virt.libvirt.fakes import TEST_URI

NS = {"nova": config.NOVA_NS}


def _instance(name="web-1", memory_mb=128, vcpus=2):
    return {"uuid": "9f4a3c1e-2b7d-4e8f-a6c5-1d2e3f4a5b6c", "id": 26,
            "display_name": name, "project_id": "p-1", "user_id": "u-1",
            "memory_mb": memory_mb, "vcpus": vcpus, "root_gb": 1, "image_ref": "img-1",
            "flavor": {"flavorid": "7", "name": "m1.small", "vcpus": vcpus,
                       "memory_mb": memory_mb, "root_gb": 1, "ephemeral_gb": 0, "swap": 0}}


def _xml(instance=None, image_meta=None, **kwargs):
    instance = instance or _instance()
    image_meta = image_meta if image_meta is not None else {"id": "img-1", "properties": {}}
    args = {"virt_type": "qemu", "name": "instance-0000001a",
            "disk_path": "/srv/instances/u/disk", "console_path": "/srv/instances/u/console.log",
            "user_name": "alice", "project_name": "demo",
            "creation_time": datetime.datetime(2026, 1, 2, 3, 4, 5)}
    args.update(kwargs)
    return config.guest_config(instance, image_meta, **args).to_xml()


def test_domain_basics():
    root = ET.fromstring(_xml(_instance(memory_mb=256, vcpus=3)))
    assert root.tag == "domain"
    assert root.get("type") == "qemu"
    assert root.findtext("name") == "instance-0000001a"
    assert root.findtext("uuid") == "9f4a3c1e-2b7d-4e8f-a6c5-1d2e3f4a5b6c"
    assert root.find("memory").get("unit") == "KiB"
    assert root.findtext("memory") == str(256 * 1024)
    assert root.findtext("currentMemory") == str(256 * 1024)
    assert root.findtext("vcpu") == "3"
    assert root.findtext("os/type") == "hvm"
    assert root.find("os/boot").get("dev") == "hd"
    assert root.find("os/kernel") is None
    assert root.find("features/acpi") is not None and root.find("features/apic") is not None
    assert (root.findtext("on_poweroff"), root.findtext("on_reboot"),
            root.findtext("on_crash")) == ("destroy", "restart", "destroy")


def test_devices_disk_and_serial_console_no_network():
    root = ET.fromstring(_xml())
    disk = root.find("devices/disk")
    assert disk.get("type") == "file" and disk.get("device") == "disk"
    assert disk.find("driver").attrib == {"name": "qemu", "type": "qcow2"}
    assert disk.find("source").get("file") == "/srv/instances/u/disk"
    assert disk.find("target").attrib == {"dev": "vda", "bus": "virtio"}
    serial = root.find("devices/serial")
    assert serial.get("type") == "file"
    assert serial.find("source").attrib == {"path": "/srv/instances/u/console.log",
                                            "append": "on"}
    console = root.find("devices/console")
    assert console.find("target").get("type") == "serial"
    assert root.find("devices/interface") is None


@pytest.mark.parametrize("virt_type", ["qemu", "kvm"])
def test_domain_type_follows_virt_type(virt_type):
    assert ET.fromstring(_xml(virt_type=virt_type)).get("type") == virt_type


def test_direct_kernel_boot():
    image_meta = {"id": "img-1", "properties": {"kernel_id": "k", "ramdisk_id": "r",
                                                 "os_command_line": "console=ttyS0 quiet"}}
    root = ET.fromstring(_xml(image_meta=image_meta, kernel_path="/i/kernel",
                              ramdisk_path="/i/ramdisk"))
    assert root.findtext("os/kernel") == "/i/kernel"
    assert root.findtext("os/initrd") == "/i/ramdisk"
    assert root.findtext("os/cmdline") == "console=ttyS0 quiet"
    assert root.find("os/boot") is None


def test_direct_kernel_boot_default_command_line():
    root = ET.fromstring(_xml(kernel_path="/i/kernel", ramdisk_path="/i/ramdisk"))
    assert root.findtext("os/cmdline") == "console=ttyS0"


def test_nova_metadata():
    root = ET.fromstring(_xml())
    inst = root.find("metadata/nova:instance", NS)
    assert inst.findtext("nova:name", namespaces=NS) == "web-1"
    assert inst.findtext("nova:creationTime", namespaces=NS) == "2026-01-02 03:04:05"
    flavor = inst.find("nova:flavor", NS)
    assert flavor.get("name") == "m1.small"
    assert flavor.findtext("nova:memory", namespaces=NS) == "128"
    assert flavor.findtext("nova:disk", namespaces=NS) == "1"
    assert flavor.findtext("nova:vcpus", namespaces=NS) == "2"
    user = inst.find("nova:owner/nova:user", NS)
    project = inst.find("nova:owner/nova:project", NS)
    assert (user.get("uuid"), user.text) == ("u-1", "alice")
    assert (project.get("uuid"), project.text) == ("p-1", "demo")
    root_disk = inst.find("nova:root", NS)
    assert root_disk.attrib == {"type": "image", "uuid": "img-1"}


def test_owner_names_default_to_ids():
    inst = ET.fromstring(_xml(user_name=None, project_name=None)).find(
        "metadata/nova:instance", NS)
    assert inst.findtext("nova:owner/nova:user", namespaces=NS) == "u-1"
    assert inst.findtext("nova:owner/nova:project", namespaces=NS) == "p-1"


HOSTILE = [
    "</name><devices>",
    "</nova:name></nova:instance></metadata><devices><disk/></devices>",
    "quote\" apostrophe' amp& lt< gt>",
    "]]><!-- <![CDATA[ x",
    "émoji 🚀 and ünïcode",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_round_trip(name):
    instance = _instance(name=name)
    instance["flavor"]["name"] = name
    xml = _xml(instance, user_name=name, project_name=name,
               disk_path=f"/srv/{name}/disk")
    root = ET.fromstring(xml)
    inst = root.find("metadata/nova:instance", NS)
    assert inst.findtext("nova:name", namespaces=NS) == name
    assert inst.find("nova:flavor", NS).get("name") == name
    assert inst.findtext("nova:owner/nova:user", namespaces=NS) == name
    assert root.find("devices/disk/source").get("file") == f"/srv/{name}/disk"
    # Still exactly one of everything: nothing was injected.
    assert len(root.findall("devices")) == 1
    assert len(root.findall("devices/disk")) == 1
    assert len(root.findall("name")) == 1


def test_characters_xml_cannot_hold_are_replaced():
    name = "bell\x07nul\x00esc\x1b"
    root = ET.fromstring(_xml(_instance(name=name)))
    assert root.find("metadata/nova:instance", NS).findtext(
        "nova:name", namespaces=NS) == "bell\ufffdnul\ufffdesc\ufffd"


def test_libvirt_accepts_the_xml_and_keeps_the_metadata():
    name = "</name><devices> & \"friends\""
    conn = libvirt.open(TEST_URI)
    dom = conn.defineXML(_xml(_instance(name=name)))
    try:
        meta = ET.fromstring(dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT,
                                          config.NOVA_NS, 0))
        assert meta.findtext("name") == name
        assert dom.name() == "instance-0000001a"
        assert dom.maxMemory() == 128 * 1024
    finally:
        dom.undefine()
        conn.close()
