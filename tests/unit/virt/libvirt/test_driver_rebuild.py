"""LibvirtDriver.rebuild against libvirt's test:///default driver and a real
qemu-img: same domain, a fresh overlay on the new image's base, started again."""

import json
import subprocess

import pytest

from minova import exception
from minova.objects import states
from tests.unit.virt.libvirt.fakes import RAW_BYTES, domain


def _backing(path) -> str:
    out = subprocess.run(["qemu-img", "info", "--output=json", "-U", str(path)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)["backing-filename"]


@pytest.fixture
def images(image_api):
    return (image_api.add(RAW_BYTES, disk_format="raw"),
            image_api.add(RAW_BYTES + b"\0" * 512, disk_format="raw"))


@pytest.mark.parametrize("stopped_first", [False, True])
def test_rebuild_keeps_the_domain_and_boots_a_new_overlay(drv, ctxt, make_instance, images,
                                                          libvirt_conf, stopped_first):
    old, new = images
    instance = make_instance(image_ref=old["id"])
    drv.spawn(ctxt, instance, old)
    if stopped_first:
        drv.power_off(ctxt, instance, 0)
    uuid_before, name_before = domain(instance["uuid"]).UUIDString(), domain(
        instance["uuid"]).name()
    console = libvirt_conf / instance["uuid"] / "console.log"
    console.write_text("the old guest's boot\n")

    drv.rebuild(ctxt, instance, new, preserve_ephemeral=True)

    dom = domain(instance["uuid"])
    assert (dom.UUIDString(), dom.name()) == (uuid_before, name_before)
    assert dom.isActive() and dom.isPersistent()
    assert drv.get_info(instance) == {"state": states.RUNNING}
    disk = libvirt_conf / instance["uuid"] / "disk"
    assert _backing(disk) == drv._image_cache.path_for(new["id"])
    assert console.read_text() == ""  # the new guest's console starts empty


def test_rebuild_of_a_suspended_guest_drops_its_saved_memory(drv, ctxt, make_instance, images):
    old, new = images
    instance = make_instance(image_ref=old["id"])
    drv.spawn(ctxt, instance, old)
    drv.suspend(ctxt, instance)
    drv.rebuild(ctxt, instance, new)
    assert not domain(instance["uuid"]).hasManagedSaveImage(0)
    assert drv.get_info(instance) == {"state": states.RUNNING}


def test_rebuild_from_an_unbootable_image_aborts_before_touching_the_guest(
        drv, ctxt, make_instance, images, libvirt_conf):
    old, _new = images
    instance = make_instance(image_ref=old["id"])
    drv.spawn(ctxt, instance, old)
    bad = dict(old, id="bad", disk_format="vhd")
    with pytest.raises(exception.BuildAbortException) as raised:
        drv.rebuild(ctxt, instance, bad)
    assert "disk_format 'vhd'" in raised.value.format_message()
    assert domain(instance["uuid"]).isActive()
    assert _backing(libvirt_conf / instance["uuid"] / "disk") == drv._image_cache.path_for(
        old["id"])


def test_rebuild_of_a_guest_that_is_gone_spawns_it_afresh(drv, ctxt, make_instance, images,
                                                          libvirt_conf):
    old, new = images
    instance = make_instance(image_ref=old["id"])
    drv.rebuild(ctxt, instance, new)
    assert domain(instance["uuid"]).isActive()
    assert _backing(libvirt_conf / instance["uuid"] / "disk") == drv._image_cache.path_for(
        new["id"])


def test_a_download_failure_leaves_the_domain_off_for_the_error_state(
        drv, ctxt, make_instance, images, image_api):
    old, new = images
    instance = make_instance(image_ref=old["id"])
    drv.spawn(ctxt, instance, old)
    image_api.fail_with = exception.ImageDownloadFailed(image_id=new["id"],
                                                        reason="connection reset")
    with pytest.raises(exception.ImageDownloadFailed):
        drv.rebuild(ctxt, instance, new)
    dom = domain(instance["uuid"])
    assert dom.isPersistent() and not dom.isActive()
