"""qemu-img work: overlays on a cached base, and refusing images that reach outside."""

import json
import subprocess

import pytest

from minova import exception
from minova.virt.libvirt import images


def _info(path) -> dict:
    out = subprocess.run(["qemu-img", "info", "--output=json", "-U", str(path)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


@pytest.mark.parametrize("disk_format,expected", [("raw", "raw"), ("qcow2", "qcow2"),
                                                  ("ami", "raw")])
def test_supported_formats(disk_format, expected):
    assert images.base_format({"id": "i", "disk_format": disk_format}) == expected


@pytest.mark.parametrize("disk_format", ["vmdk", "iso", "aki", None])
def test_unsupported_formats(disk_format):
    with pytest.raises(exception.ImageUnacceptable) as err:
        images.base_format({"id": "img-9", "disk_format": disk_format})
    assert "img-9" in str(err.value)


def test_overlay_on_raw_base(tmp_path):
    base = tmp_path / "base"
    base.write_bytes(b"\0" * 1024 * 1024)
    disk = tmp_path / "disk"
    images.create_overlay(str(base), "raw", str(disk), 2 * 1024 ** 3)
    info = _info(disk)
    assert info["format"] == "qcow2"
    assert info["backing-filename"] == str(base)
    assert info["backing-filename-format"] == "raw"
    assert info["virtual-size"] == 2 * 1024 ** 3


def test_overlay_without_size_takes_the_base_size(tmp_path, qcow2_bytes):
    base = tmp_path / "base"
    base.write_bytes(qcow2_bytes)
    disk = tmp_path / "disk"
    images.create_overlay(str(base), "qcow2", str(disk))
    info = _info(disk)
    assert info["backing-filename-format"] == "qcow2"
    assert info["virtual-size"] == 64 * 1024 * 1024


def test_virtual_size(tmp_path, qcow2_bytes):
    raw = tmp_path / "raw"
    raw.write_bytes(b"x" * 4096)
    qcow = tmp_path / "q"
    qcow.write_bytes(qcow2_bytes)
    assert images.virtual_size("i", str(raw), "raw") == 4096
    assert images.virtual_size("i", str(qcow), "qcow2") == 64 * 1024 * 1024


def test_qcow2_with_a_backing_file_is_refused(tmp_path):
    evil = tmp_path / "evil.qcow2"
    secret = tmp_path / "host-secret"
    secret.write_bytes(b"s" * 4096)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", str(secret), "-F", "raw",
                    str(evil)], check=True)
    with pytest.raises(exception.ImageUnacceptable) as err:
        images.virtual_size("img-evil", str(evil), "qcow2")
    assert "backing file" in str(err.value)


def test_raw_bytes_declared_qcow2_are_refused(tmp_path):
    fake = tmp_path / "fake.qcow2"
    fake.write_bytes(b"\0" * 4096)
    with pytest.raises(exception.ImageUnacceptable) as err:
        images.virtual_size("img-x", str(fake), "qcow2")
    assert "not a valid qcow2" in str(err.value)
