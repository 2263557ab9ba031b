"""LibvirtDriver.snapshot against libvirt's test:///default driver and a real
qemu-img: the flattened root disk, in the record's format, uploaded; a
running or paused guest saved for the copy and brought back as it was."""

import subprocess

import pytest

from minova.objects import states
from tests.unit.virt.libvirt.fakes import RAW_BYTES


@pytest.fixture
def uploads(image_api):
    uploaded = []

    def upload(context, image_id, path):
        with open(path, "rb") as handle:
            uploaded.append((image_id, handle.read()))
    image_api.upload = upload
    return uploaded


def _format(data: bytes, tmp_path) -> str:
    path = tmp_path / "check"
    path.write_bytes(data)
    return subprocess.run(["qemu-img", "info", "--output=json", str(path)], check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.parametrize("before,disk_format", [
    (None, "raw"), ("pause", "qcow2"), ("power_off", "raw")])
def test_snapshot_uploads_the_flattened_disk_and_keeps_the_power_state(
        drv, ctxt, make_instance, image_api, uploads, tmp_path, before, disk_format):
    base = image_api.add(RAW_BYTES, disk_format="raw")
    target = image_api.add(b"", disk_format=disk_format)
    instance = make_instance(image_ref=base["id"])
    drv.spawn(ctxt, instance, base)
    if before == "pause":
        drv.pause(ctxt, instance)
    elif before == "power_off":
        drv.power_off(ctxt, instance, 0)
    state = drv.get_info(instance)["state"]
    steps = []
    drv.snapshot(ctxt, instance, target["id"], lambda *step: steps.append(step))
    assert steps == [(states.IMAGE_PENDING_UPLOAD, states.IMAGE_SNAPSHOT),
                     (states.IMAGE_UPLOADING, states.IMAGE_PENDING_UPLOAD)]
    [(image_id, data)] = uploads
    assert image_id == target["id"]
    info = _format(data, tmp_path)
    assert f'"format": "{disk_format}"' in info and "backing-filename" not in info
    if disk_format == "raw":
        assert data[:len(RAW_BYTES)] == RAW_BYTES
    assert drv.get_info(instance)["state"] == state


def test_a_failed_copy_still_brings_the_guest_back(drv, ctxt, make_instance, image_api,
                                                   uploads, monkeypatch):
    from minova.virt.libvirt import snapshot

    base = image_api.add(RAW_BYTES, disk_format="raw")
    target = image_api.add(b"", disk_format="raw")
    instance = make_instance(image_ref=base["id"])
    drv.spawn(ctxt, instance, base)

    def broken(*args):
        raise RuntimeError("qemu-img died")
    monkeypatch.setattr(snapshot, "convert", broken)
    with pytest.raises(RuntimeError):
        drv.snapshot(ctxt, instance, target["id"], lambda *step: None)
    assert drv.get_info(instance)["state"] == states.RUNNING
    assert uploads == []
