"""A driver with no hypervisor: guests are entries in a dict.

It keeps the whole control plane honest without hardware: the compute
manager, claims, reschedules, deletes and every lifecycle action run
exactly as with libvirt. Its inventory comes from ``[fake_driver]`` so
tests can shape each host.

Its guests live as long as the process, like a hypervisor's guests die
with a host that reboots; with ``[fake_driver] guests_path`` they are kept
in that file and outlive a restart of the compute service, as libvirt's
guests outlive a restart of minova-compute (a test can then take guests
away, or add some, while the service is down).
"""

import json
import os
import re
import tempfile
import threading
import time

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils

from minova import exception
from minova.objects import states, virt_types
from minova.virt import diagnostics, driver
from minova.virt.fake_moves import FakeMoves

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

HOLD_POLL_INTERVAL = 0.1  # seconds between two looks at [fake_driver] spawn_hold_path


def _boot_log(instance: dict) -> list[str]:
    """The console lines of a fake guest that just booted: what a small cloud
    image prints on its serial console, so a client tailing the log (Tempest
    asks for the last 3 lines and checks the whole log is longer) has a
    plausible one. Every line is the fake's own; nothing here ran."""
    uuid = instance["uuid"]
    hostname = instance.get("hostname") or instance.get("display_name") or uuid
    return [
        f"fake console of {uuid}",
        "[    0.000000] Linux version 6.1.0-minova-fake (fake guest kernel)",
        "[    0.000000] Command line: console=ttyS0",
        f"[    0.010000] DMI: OpenStack Foundation minova fake, serial {uuid}",
        "[    0.120000] Memory: available",
        "[    0.500000] Freeing unused kernel memory",
        "[    0.600000] Run /sbin/init as init process",
        "Starting network: OK",
        f"cloud-init: instance-id {uuid}",
        f"cloud-init: hostname {hostname}",
        f"{hostname} login: ",
        "minova guest booted",
    ]


class FakeDriver(FakeMoves, driver.ComputeDriver):
    def __init__(self, image_api=None) -> None:
        super().__init__(image_api)
        self._guests: dict[str, dict] = self._load()
        self._lock = threading.Lock()
        self._host = CONF.host
        # image ids "cached" ahead of builds (API 2.81); the fake downloads nothing
        self.cached_images: set[str] = set()
        # instances whose guest was sent an NMI (API 2.17), in order
        self.crash_dumps: list[str] = []

    def init_host(self, host: str) -> None:
        self._host = host

    def get_available_nodes(self) -> list[str]:
        return [self._host]

    def get_available_resource(self, nodename: str) -> dict:
        arch = virt_types.canonical_architecture(CONF.fake_driver.architecture)
        return {
            "vcpus": CONF.fake_driver.vcpus,
            "memory_mb": CONF.fake_driver.memory_mb,
            "local_gb": CONF.fake_driver.local_gb,
            "hypervisor_type": "fake",
            "hypervisor_version": 1000,
            "cpu_info": json.dumps({"arch": arch, "model": "fake"}),
            "supported_instances": [[arch, "fake", "hvm"]],
            "host_ip": CONF.my_ip,
        }

    def cache_image(self, context, image_meta: dict) -> bool:
        with self._lock:
            if image_meta["id"] in self.cached_images:
                return False
            self.cached_images.add(image_meta["id"])
            return True

    def spawn(self, context, instance: dict, image_meta: dict) -> None:
        self._fail_if_told(instance, "spawning")
        self._wait_while_held(instance["uuid"])
        with self._lock:
            self._guests[instance["uuid"]] = {
                "state": states.RUNNING,
                "image": (image_meta or {}).get("id"),
                "console": _boot_log(instance),
            }
            self._save()

    @staticmethod
    def _fail_if_told(instance: dict, doing: str) -> None:
        """``[fake_driver] fail_spawn_for_name``: a spawn, or a rebuild (which
        spawns again, under the name it gives), of a matching server fails."""
        pattern = CONF.fake_driver.fail_spawn_for_name
        if pattern and re.search(pattern, instance.get("display_name") or ""):
            raise exception.MinovaException(
                f"Fake driver was told to fail {doing} {instance['display_name']}")

    def rebuild(self, context, instance: dict, image_meta: dict,
                preserve_ephemeral: bool = False) -> None:
        """In place: the guest boots again, from the new image, with a fresh
        console; a guest that is gone is spawned afresh (as Nova's rebuild)."""
        with self._lock:
            missing = instance["uuid"] not in self._guests
        if missing:
            self.spawn(context, instance, image_meta)
            return
        self._fail_if_told(instance, "rebuilding")
        self._wait_while_held(instance["uuid"])
        with self._lock:
            guest = self._guest(instance)
            guest["state"] = states.RUNNING
            guest["image"] = (image_meta or {}).get("id")
            guest["preserve_ephemeral"] = bool(preserve_ephemeral)
            guest["console"] = [f"rebuilt from image {guest['image']}", *_boot_log(instance)]
            self._save()

    def snapshot(self, context, instance: dict, image_id: str, update_task_state) -> None:
        """The fake guest has no disk: its snapshot is a small marker blob
        naming the guest and the image it runs, uploaded as a real driver
        uploads its disk (so the image goes queued -> saving -> active and
        can boot a new fake guest)."""
        pattern = CONF.fake_driver.fail_snapshot_for_name
        with self._lock:
            base = self._guest(instance).get("image")
        update_task_state(states.IMAGE_PENDING_UPLOAD, states.IMAGE_SNAPSHOT)
        if pattern and re.search(pattern, instance.get("display_name") or ""):
            raise exception.MinovaException(
                f"Fake driver was told to fail snapshotting {instance['display_name']}")
        blob = f"minova fake snapshot of {instance['uuid']} (image {base})\n".encode()
        update_task_state(states.IMAGE_UPLOADING, states.IMAGE_PENDING_UPLOAD)
        with tempfile.NamedTemporaryFile(prefix="minova-snapshot-") as handle:
            handle.write(blob)
            handle.flush()
            self.image_api.upload(context, image_id, handle.name)

    @staticmethod
    def _wait_while_held(uuid: str) -> None:
        """Wait while ``[fake_driver] spawn_hold_path`` exists, at most ``spawn_hold_max``."""
        path = CONF.fake_driver.spawn_hold_path
        if not path or not os.path.exists(path):
            return
        LOG.info("Spawn of %s held while %s exists", uuid, path)
        deadline = time.monotonic() + CONF.fake_driver.spawn_hold_max
        while os.path.exists(path):
            if time.monotonic() >= deadline:
                LOG.warning("Spawn of %s held for the longest allowed, %s s: going on",
                            uuid, CONF.fake_driver.spawn_hold_max)
                return
            time.sleep(HOLD_POLL_INTERVAL)
        LOG.info("Spawn of %s released", uuid)

    def destroy(self, context, instance: dict) -> None:
        with self._lock:
            if self._guests.pop(instance["uuid"], None) is not None:
                self._save()

    @staticmethod
    def _load() -> dict[str, dict]:
        path = CONF.fake_driver.guests_path
        if not path or not os.path.exists(path):
            return {}
        with open(path) as handle:
            return json.load(handle)

    def _save(self) -> None:
        """Write the guests to ``guests_path`` (under the lock), replacing it whole."""
        path = CONF.fake_driver.guests_path
        if not path:
            return
        temporary = f"{path}.tmp"
        with open(temporary, "w") as handle:
            json.dump(self._guests, handle)
        os.replace(temporary, path)

    def _guest(self, instance: dict) -> dict:
        guest = self._guests.get(instance["uuid"])
        if guest is None:
            raise exception.InstanceNotFound(instance_id=instance["uuid"])
        return guest

    def _transition(self, instance: dict, allowed: tuple, new_state: int, note: str) -> None:
        with self._lock:
            guest = self._guest(instance)
            if guest["state"] not in allowed:
                raise exception.InstanceInvalidState(
                    action=note, instance_uuid=instance["uuid"], attr="power_state",
                    state=states.POWER_STATE_NAMES.get(guest["state"], guest["state"]))
            guest["state"] = new_state
            guest["console"].append(note)
            self._save()

    def get_info(self, instance: dict) -> dict:
        with self._lock:
            return {"state": self._guest(instance)["state"]}

    def list_instance_uuids(self) -> list[str]:
        with self._lock:
            return list(self._guests)

    def power_off(self, context, instance: dict, timeout: int = 60) -> None:
        # A suspended guest's saved memory is dropped, as libvirt's managed save.
        self._transition(instance, (states.RUNNING, states.POWER_PAUSED, states.SHUTDOWN,
                                    states.POWER_SUSPENDED),
                         states.SHUTDOWN, "power off")

    def power_on(self, context, instance: dict) -> None:
        self._transition(instance, (states.SHUTDOWN, states.RUNNING), states.RUNNING,
                         "power on")

    def reboot(self, context, instance: dict, reboot_type: str) -> None:
        self._transition(instance, (states.RUNNING, states.SHUTDOWN, states.POWER_PAUSED,
                                    states.CRASHED),
                         states.RUNNING, f"reboot {reboot_type}")

    def pause(self, context, instance: dict) -> None:
        self._transition(instance, (states.RUNNING,), states.POWER_PAUSED, "pause")

    def unpause(self, context, instance: dict) -> None:
        self._transition(instance, (states.POWER_PAUSED,), states.RUNNING, "unpause")

    def suspend(self, context, instance: dict) -> None:
        self._transition(instance, (states.RUNNING, states.POWER_PAUSED),
                         states.POWER_SUSPENDED, "suspend")

    def resume(self, context, instance: dict) -> None:
        self._transition(instance, (states.POWER_SUSPENDED,), states.RUNNING, "resume")

    def rescue(self, context, instance: dict, image_meta: dict,
               rescue_password: str | None) -> None:
        """The guest runs from the rescue image, its own image kept as the
        second disk (``rescue`` records both, and the password); its console
        shows the rescue boot. ``[fake_driver] fail_spawn_for_name`` fails it,
        and ``spawn_hold_path`` holds it, as a spawn (the rescue boots a guest)."""
        self._fail_if_told(instance, "rescuing")
        self._wait_while_held(instance["uuid"])
        with self._lock:
            guest = self._guest(instance)
            if guest["state"] != states.SHUTDOWN:
                raise exception.InstanceInvalidState(
                    action="rescue", instance_uuid=instance["uuid"], attr="power_state",
                    state=states.POWER_STATE_NAMES.get(guest["state"], guest["state"]))
            # Rescued again (from ERROR): the own disk is still the one kept.
            kept = guest.get("rescue", {}).get("original_image", guest.get("image"))
            guest["rescue"] = {"image": (image_meta or {}).get("id"),
                               "original_image": kept, "password": rescue_password}
            guest["state"] = states.RUNNING
            guest["console"].append(f"rescue boot from image {guest['rescue']['image']}")
            guest["console"].extend(_boot_log(instance))
            self._save()

    def unrescue(self, context, instance: dict) -> None:
        """The rescue guest is gone; the original boots again from its own disk."""
        with self._lock:
            guest = self._guest(instance)
            if "rescue" not in guest:
                raise exception.InstanceInvalidState(
                    action="unrescue", instance_uuid=instance["uuid"], attr="guest",
                    state="not rescued")
            del guest["rescue"]
            guest["state"] = states.RUNNING
            guest["console"].append("unrescue: booting the original disk")
            guest["console"].extend(_boot_log(instance))
            self._save()

    def trigger_crash_dump(self, instance: dict) -> None:
        """Record the NMI (in ``crash_dumps`` and the console log) of a guest
        that runs or is paused, as a hypervisor takes one."""
        with self._lock:
            guest = self._guest(instance)
            if guest["state"] not in (states.RUNNING, states.POWER_PAUSED):
                raise exception.InstanceNotRunning(instance_id=instance["uuid"])
            self.crash_dumps.append(instance["uuid"])
            guest["console"].append("NMI received: crash dump triggered")
            self._save()

    def get_instance_diagnostics(self, instance: dict) -> dict:
        """Plausible numbers from the instance's flavor: one CPU each, its
        memory all used, one root disk; no NICs (minova has no networking).
        The driver is "libvirt", as Nova's fake driver says: 2.48 allows only
        the drivers Nova has (Nova's Diagnostics object and Tempest's schema
        enumerate them), and the fake stands in for libvirt."""
        with self._lock:
            self._guest(instance)
        vcpus = int(instance.get("vcpus") or 1)
        memory_mb = int(instance.get("memory_mb") or 0)
        uptime = diagnostics.uptime_since(instance.get("launched_at"), timeutils.utcnow())
        return diagnostics.build(
            state="running", driver="libvirt", hypervisor="fake", hypervisor_os="linux",
            uptime=uptime, config_drive=bool(instance.get("config_drive")),
            memory_maximum_mb=memory_mb, memory_used_mb=memory_mb,
            cpus=[{"id": i, "time": (uptime or 0) * 10**9} for i in range(vcpus)],
            nics=[],
            disks=[{"read_bytes": 262144, "read_requests": 112, "write_bytes": 5778432,
                    "write_requests": 488, "errors_count": 0}])

    def get_diagnostics(self, instance: dict) -> dict:
        standard = self.get_instance_diagnostics(instance)
        legacy = {f"cpu{c['id']}_time": c["time"] for c in standard["cpu_details"]}
        disk = standard["disk_details"][0]
        legacy.update(vda_read=disk["read_bytes"], vda_read_req=disk["read_requests"],
                      vda_write=disk["write_bytes"], vda_write_req=disk["write_requests"],
                      vda_errors=disk["errors_count"],
                      memory=standard["memory_details"]["maximum"] * 1024)
        return legacy

    def get_console_output(self, context, instance: dict) -> str:
        with self._lock:
            return "\n".join(self._guest(instance)["console"]) + "\n"
