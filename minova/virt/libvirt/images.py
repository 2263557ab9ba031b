"""Disk images on the compute host: inspecting a cached base, creating an overlay.

Every ``qemu-img`` runs through ``processutils.execute`` with an argument
list (no shell), and ``qemu-img info`` on image bytes a user uploaded runs
under resource limits, as Nova does: a crafted image must not make it eat
the host's memory or CPU.
"""

import json
import os

from oslo_concurrency import processutils
from oslo_log import log as logging

from minova import exception

LOG = logging.getLogger(__name__)

# image_meta disk_format -> format of the bytes in the cache. An AMI is a raw disk.
SUPPORTED_DISK_FORMATS = {"raw": "raw", "qcow2": "qcow2", "ami": "raw"}

QEMU_IMG_LIMITS = processutils.ProcessLimits(address_space=1024 ** 3, cpu_time=30)


def base_format(image_meta: dict) -> str:
    """The on-disk format of an image's bytes; ImageUnacceptable if minova cannot boot it."""
    disk_format = image_meta.get("disk_format")
    if disk_format not in SUPPORTED_DISK_FORMATS:
        raise exception.ImageUnacceptable(
            image_id=image_meta.get("id"),
            reason=f"disk_format {disk_format!r} is not one of "
                   f"{', '.join(sorted(SUPPORTED_DISK_FORMATS))}")
    return SUPPORTED_DISK_FORMATS[disk_format]


def qemu_img_info(path: str, fmt: str) -> dict:
    """``qemu-img info --output=json`` of ``path`` read as ``fmt``."""
    out, _err = processutils.execute(
        "qemu-img", "info", "--output=json", "--force-share", "-f", fmt, path,
        prlimit=QEMU_IMG_LIMITS)
    return json.loads(out)


def virtual_size(image_id: str, path: str, fmt: str) -> int:
    """The guest-visible size of a cached base, refusing qcow2 files that point elsewhere.

    A qcow2 image with a backing file or an external data file would let the
    guest read a file of the host's choosing (the uploader's choosing,
    really), so such an image is refused.
    """
    if fmt == "raw":
        return os.path.getsize(path)
    try:
        info = qemu_img_info(path, fmt)
    except processutils.ProcessExecutionError as exc:
        raise exception.ImageUnacceptable(
            image_id=image_id, reason=f"not a valid {fmt} image: {exc.stderr.strip()}"
        ) from exc
    if info.get("backing-filename") or info.get("full-backing-filename"):
        raise exception.ImageUnacceptable(image_id=image_id,
                                          reason="qcow2 images with a backing file are refused")
    data = (info.get("format-specific") or {}).get("data") or {}
    if data.get("data-file"):
        raise exception.ImageUnacceptable(
            image_id=image_id, reason="qcow2 images with an external data file are refused")
    return int(info["virtual-size"])


def create_overlay(base: str, base_fmt: str, path: str, size: int | None = None) -> None:
    """A qcow2 file at ``path`` whose reads fall through to ``base`` (copy on write).

    The backing format is given explicitly (``-F``): qemu must never probe
    the format of bytes a user uploaded.
    """
    args = ["qemu-img", "create", "-f", "qcow2", "-b", base, "-F", base_fmt, path]
    if size:
        args.append(str(size))
    processutils.execute(*args)
    LOG.debug("Created overlay %s on %s (%s), size %s", path, base, base_fmt, size)
