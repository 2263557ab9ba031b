"""LibvirtDriver.rescue / unrescue against libvirt's test:///default driver
and a real qemu-img: the same domain defined again to boot a fresh overlay
on the rescue image's base, the server's disk attached second (or, stable
device rescue, kept first); unrescue defines and starts the original again.
And the rescue domain XML built by config.rescue_config."""

import json
import subprocess
import xml.etree.ElementTree as ET

import pytest

from minova import exception
from minova.objects import states
from minova.virt.libvirt import config
from tests.unit.virt.libvirt.fakes import RAW_BYTES, domain


def _backing(path) -> str:
    out = subprocess.run(["qemu-img", "info", "--output=json", "-U", str(path)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)["backing-filename"]


def _disks(dom) -> list[tuple[str, str, str, str | None]]:
    """(source file, target dev, bus, boot order) of each disk, in order."""
    root = ET.fromstring(dom.XMLDesc(0))
    result = []
    for disk in root.find("devices").findall("disk"):
        boot = disk.find("boot")
        result.append((disk.find("source").get("file"), disk.find("target").get("dev"),
                       disk.find("target").get("bus"),
                       boot.get("order") if boot is not None else None))
    return result


@pytest.fixture
def images(image_api):
    return (image_api.add(RAW_BYTES, disk_format="raw"),
            image_api.add(RAW_BYTES + b"\0" * 512, disk_format="raw"))


@pytest.mark.parametrize("stopped_first", [False, True])
def test_rescue_boots_the_rescue_disk_with_the_own_disk_second(
        drv, ctxt, make_instance, images, libvirt_conf, stopped_first):
    own, rescue_image = images
    instance = make_instance(image_ref=own["id"])
    drv.spawn(ctxt, instance, own)
    if stopped_first:
        drv.power_off(ctxt, instance, 0)
    uuid_before, name_before = domain(instance["uuid"]).UUIDString(), domain(
        instance["uuid"]).name()
    instance_dir = libvirt_conf / instance["uuid"]
    disk_before = (instance_dir / "disk").read_bytes()

    drv.power_off(ctxt, instance, 0)
    drv.rescue(ctxt, instance, rescue_image, "pw")

    dom = domain(instance["uuid"])
    assert (dom.UUIDString(), dom.name()) == (uuid_before, name_before)
    assert dom.isActive() and dom.isPersistent()
    assert drv.get_info(instance) == {"state": states.RUNNING}
    assert _disks(dom) == [(str(instance_dir / "disk.rescue"), "vda", "virtio", None),
                           (str(instance_dir / "disk"), "vdb", "virtio", None)]
    assert _backing(instance_dir / "disk.rescue") == drv._image_cache.path_for(
        rescue_image["id"])
    assert (instance_dir / "disk").read_bytes() == disk_before
    assert (instance_dir / "unrescue.xml").exists()

    drv.unrescue(ctxt, instance)

    dom = domain(instance["uuid"])
    assert (dom.UUIDString(), dom.name()) == (uuid_before, name_before)
    assert dom.isActive() and dom.isPersistent()
    assert _disks(dom) == [(str(instance_dir / "disk"), "vda", "virtio", None)]
    assert not (instance_dir / "disk.rescue").exists()
    assert not (instance_dir / "unrescue.xml").exists()
    assert _backing(instance_dir / "disk") == drv._image_cache.path_for(own["id"])


def test_rescued_again_keeps_the_first_original(drv, ctxt, make_instance, images,
                                                libvirt_conf):
    """A rescue from ERROR of a server that was rescued: unrescue.xml stays
    the original's, not the rescue domain's."""
    own, rescue_image = images
    instance = make_instance(image_ref=own["id"])
    drv.spawn(ctxt, instance, own)
    drv.rescue(ctxt, instance, rescue_image, None)
    drv.rescue(ctxt, instance, own, None)
    assert len(_disks(domain(instance["uuid"]))) == 2
    drv.unrescue(ctxt, instance)
    assert _disks(domain(instance["uuid"])) == [
        (str(libvirt_conf / instance["uuid"] / "disk"), "vda", "virtio", None)]


@pytest.mark.parametrize("bus, device, target", [
    ("virtio", "disk", "vdb"), ("ide", "cdrom", "hda"), (None, "disk", "vdb"),
    ("usb", None, "sda")])
def test_stable_device_rescue_keeps_the_own_disk_first(drv, ctxt, make_instance, image_api,
                                                       libvirt_conf, bus, device, target):
    own = image_api.add(RAW_BYTES)
    properties = {k: v for k, v in (("hw_rescue_bus", bus), ("hw_rescue_device", device))
                  if v}
    rescue_image = image_api.add(RAW_BYTES, **properties)
    instance = make_instance(image_ref=own["id"])
    drv.spawn(ctxt, instance, own)
    drv.rescue(ctxt, instance, rescue_image, None)
    instance_dir = libvirt_conf / instance["uuid"]
    dom = domain(instance["uuid"])
    assert _disks(dom) == [(str(instance_dir / "disk"), "vda", "virtio", None),
                           (str(instance_dir / "disk.rescue"), target, bus or "virtio", "1")]
    root = ET.fromstring(dom.XMLDesc(0))
    assert root.find("os/boot") is None
    drv.unrescue(ctxt, instance)
    assert len(_disks(domain(instance["uuid"]))) == 1


@pytest.mark.parametrize("properties, message", [
    ({"hw_rescue_bus": "floppy"}, "hw_rescue_bus 'floppy' is not supported"),
    ({"hw_rescue_device": "lun"}, "hw_rescue_device 'lun' is not supported")])
def test_unsupported_stable_rescue_is_refused_before_touching_the_guest(
        drv, ctxt, make_instance, image_api, properties, message):
    own = image_api.add(RAW_BYTES)
    instance = make_instance(image_ref=own["id"])
    drv.spawn(ctxt, instance, own)
    with pytest.raises(exception.InstanceNotRescuable) as raised:
        drv.rescue(ctxt, instance, image_api.add(RAW_BYTES, **properties), None)
    assert message in raised.value.format_message()
    assert domain(instance["uuid"]).isActive()


def test_a_failed_rescue_defines_the_original_again(drv, ctxt, make_instance, images,
                                                    image_api, libvirt_conf):
    own, rescue_image = images
    instance = make_instance(image_ref=own["id"])
    drv.spawn(ctxt, instance, own)
    image_api.fail_with = exception.ImageDownloadFailed(image_id=rescue_image["id"],
                                                        reason="connection reset")
    with pytest.raises(exception.ImageDownloadFailed):
        drv.rescue(ctxt, instance, rescue_image, None)
    dom = domain(instance["uuid"])
    assert dom.isPersistent() and not dom.isActive()
    instance_dir = libvirt_conf / instance["uuid"]
    assert _disks(dom) == [(str(instance_dir / "disk"), "vda", "virtio", None)]
    assert not (instance_dir / "unrescue.xml").exists()
    assert not (instance_dir / "disk.rescue").exists()


def test_unrescue_of_a_guest_not_rescued_is_refused(drv, ctxt, make_instance, images):
    own, _ = images
    instance = make_instance(image_ref=own["id"])
    drv.spawn(ctxt, instance, own)
    with pytest.raises(exception.InstanceInvalidState) as raised:
        drv.unrescue(ctxt, instance)
    assert "no unrescue.xml" in raised.value.format_message()
    assert domain(instance["uuid"]).isActive()


def test_rescue_of_a_lost_guest_is_instance_not_found(drv, ctxt, make_instance, images,
                                                      libvirt_conf):
    own, rescue_image = images
    instance = make_instance(image_ref=own["id"])
    with pytest.raises(exception.InstanceNotFound):
        drv.rescue(ctxt, instance, rescue_image, None)


def test_delete_of_a_rescued_guest_removes_everything(drv, ctxt, make_instance, images,
                                                      libvirt_conf):
    own, rescue_image = images
    instance = make_instance(image_ref=own["id"])
    drv.spawn(ctxt, instance, own)
    drv.rescue(ctxt, instance, rescue_image, None)
    drv.destroy(ctxt, instance)
    assert instance["uuid"] not in drv.list_instance_uuids()
    assert not (libvirt_conf / instance["uuid"]).exists()


# --- the config builder

def _guest(**kwargs) -> config.Guest:
    instance = {"uuid": "11111111-2222-3333-4444-555555555555", "display_name": "</name>",
                "memory_mb": 64, "vcpus": 1}
    return config.guest_config(instance, {"id": "img"}, virt_type="qemu", name="instance-1",
                               disk_path="/i/disk", console_path="/i/console.log", **kwargs)


def test_rescue_config_default_layout():
    root = ET.fromstring(config.rescue_config(
        _guest(), rescue_disk_path="/i/disk.rescue").to_xml())
    assert [(d.find("source").get("file"), d.find("target").get("dev"))
            for d in root.iter("disk")] == [("/i/disk.rescue", "vda"), ("/i/disk", "vdb")]
    assert root.find("os/boot").get("dev") == "hd"
    assert root.find("metadata").find(f"{{{config.NOVA_NS}}}instance").find(
        f"{{{config.NOVA_NS}}}name").text == "</name>"


def test_rescue_config_stable_cdrom_is_read_only_and_booted_first():
    root = ET.fromstring(config.rescue_config(
        _guest(kernel_path="/i/kernel"), rescue_disk_path="/i/disk.rescue",
        stable_bus="ide", stable_device="cdrom").to_xml())
    disks = list(root.iter("disk"))
    assert [d.get("device") for d in disks] == ["disk", "cdrom"]
    assert disks[1].find("readonly") is not None
    assert disks[1].find("boot").get("order") == "1"
    assert disks[1].find("target").attrib == {"dev": "hda", "bus": "ide"}
    assert root.find("os/boot") is None and root.find("os/kernel") is None
