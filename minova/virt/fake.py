"""A driver with no hypervisor: guests are entries in a dict.

It keeps the whole control plane honest without hardware: the compute
manager, claims, reschedules and deletes run exactly as with libvirt. Its
inventory comes from ``[fake_driver]`` so tests can shape each host.
"""

import json
import re
import threading
import time

from oslo_config import cfg

from minova import exception
from minova.objects import states
from minova.virt import driver

CONF = cfg.CONF


class FakeDriver(driver.ComputeDriver):
    def __init__(self) -> None:
        self._guests: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._host = CONF.host

    def init_host(self, host: str) -> None:
        self._host = host

    def get_available_nodes(self) -> list[str]:
        return [self._host]

    def get_available_resource(self, nodename: str) -> dict:
        return {
            "vcpus": CONF.fake_driver.vcpus,
            "memory_mb": CONF.fake_driver.memory_mb,
            "local_gb": CONF.fake_driver.local_gb,
            "hypervisor_type": "fake",
            "hypervisor_version": 1000,
            "cpu_info": json.dumps({"arch": "x86_64", "model": "fake"}),
            "host_ip": "127.0.0.1",
        }

    def spawn(self, context, instance: dict, image_meta: dict) -> None:
        pattern = CONF.fake_driver.fail_spawn_for_name
        if pattern and re.search(pattern, instance.get("display_name") or ""):
            raise exception.MinovaException(
                f"Fake driver was told to fail spawning {instance['display_name']}")
        if CONF.fake_driver.spawn_delay:
            time.sleep(CONF.fake_driver.spawn_delay)
        with self._lock:
            self._guests[instance["uuid"]] = {"state": states.RUNNING}

    def destroy(self, context, instance: dict) -> None:
        with self._lock:
            self._guests.pop(instance["uuid"], None)

    def get_info(self, instance: dict) -> dict:
        with self._lock:
            guest = self._guests.get(instance["uuid"])
        if guest is None:
            raise exception.InstanceNotFound(instance_id=instance["uuid"])
        return dict(guest)

    def list_instance_uuids(self) -> list[str]:
        with self._lock:
            return list(self._guests)
