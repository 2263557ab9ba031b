"""A libvirt guest's snapshot (createImage, shelve): Nova's cold snapshot.

The root disk is a qcow2 overlay on a cached base; the snapshot is the
whole disk flattened into one image (``qemu-img convert``, an argument
list, no shell), in the format of the image record the api made (the
base image's: qcow2, or raw for raw and AMI images), uploaded through
the image client. QEMU holds the disk while the guest runs, and a disk
read under a running guest is not consistent, so a running or paused
guest is first saved (libvirt managed save: memory to disk, the domain
stopped) and brought back after, paused again if it was; a stopped or
suspended guest is copied as it is.
"""

import os
import tempfile

from oslo_concurrency import processutils
from oslo_log import log as logging

from minova.objects import states
from minova.virt.libvirt import guest as libvirt_guest
from minova.virt.libvirt import images

LOG = logging.getLogger(__name__)


def output_format(image_meta: dict) -> str:
    """The format the snapshot's bytes are written in: the record's."""
    return "raw" if images.SUPPORTED_DISK_FORMATS.get(
        image_meta.get("disk_format")) == "raw" else "qcow2"


def convert(disk_path: str, out_path: str, out_fmt: str) -> None:
    """``qemu-img convert``: the overlay and what it reads through, as one image."""
    processutils.execute("qemu-img", "convert", "-f", "qcow2", "-O", out_fmt,
                         disk_path, out_path)


def take(host, image_api, instances_path: str, instance_dir: str, context, instance: dict,
         image_id: str, update_task_state) -> None:
    """Snapshot the guest of ``instance`` into the queued image ``image_id``."""
    image_meta = image_api.get(context, image_id)
    out_fmt = output_format(image_meta)
    guest = host.get_guest(instance)
    with libvirt_guest.translate_errors(instance, "snapshot", guest):
        state = guest.get_power_state()
        saved = state in (states.RUNNING, states.POWER_PAUSED)
        if saved:
            guest.managed_save()
    update_task_state(states.IMAGE_PENDING_UPLOAD, states.IMAGE_SNAPSHOT)
    work_dir = os.path.join(instances_path, "snapshots")
    os.makedirs(work_dir, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
            out_path = os.path.join(tmp, "snapshot")
            try:
                convert(os.path.join(instance_dir, "disk"), out_path, out_fmt)
            finally:
                if saved:
                    _bring_back(guest, instance, state)
                    saved = False
            update_task_state(states.IMAGE_UPLOADING, states.IMAGE_PENDING_UPLOAD)
            image_api.upload(context, image_id, out_path)
    finally:
        if saved:
            _bring_back(guest, instance, state)
    LOG.info("Snapshot uploaded as image %s (%s)", image_id, out_fmt, instance=instance)


def _bring_back(guest, instance: dict, state: int) -> None:
    with libvirt_guest.translate_errors(instance, "snapshot", guest):
        guest.launch()
        if state == states.POWER_PAUSED:
            guest.pause()
