"""The compute manager: RPC endpoints that build and destroy guests on this host.

State changes are compare-and-swap calls to the conductor, so a delete that
arrives while a build is running makes the build's next transition fail and
the build stop; per-instance locks keep two operations on one guest from
interleaving on this host.
"""

import collections
import threading
import time
import traceback

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging

from minova import context as minova_context
from minova import exception
from minova.conductor import rpcapi as conductor_rpcapi
from minova.objects import actions, states
from minova.virt import driver as virt_driver

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

TERMINATE_EVENT = actions.EVENT_TERMINATE


class _InstanceLocks:
    """One lock per instance uuid, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, list] = collections.defaultdict(lambda: [threading.Lock(), 0])

    def __call__(self, instance_uuid: str):
        return _Held(self, instance_uuid)


class _Held:
    def __init__(self, owner: _InstanceLocks, key: str) -> None:
        self.owner, self.key = owner, key

    def __enter__(self):
        with self.owner._guard:
            entry = self.owner._locks[self.key]
            entry[1] += 1
        entry[0].acquire()

    def __exit__(self, *exc):
        with self.owner._guard:
            entry = self.owner._locks[self.key]
            entry[0].release()
            entry[1] -= 1
            if entry[1] == 0:
                del self.owner._locks[self.key]


class ComputeManager:
    target = messaging.Target(version="1.0")

    def __init__(self, host: str, driver: virt_driver.ComputeDriver | None = None,
                 conductor_api=None) -> None:
        self.host = host
        self.driver = driver or virt_driver.load_compute_driver(CONF.compute_driver)
        self.conductor_api = conductor_api or conductor_rpcapi.ConductorAPI()
        self.service: dict | None = None
        self._locks = _InstanceLocks()

    # --- service life

    def init_host(self) -> None:
        self.driver.init_host(self.host)

    def service_registered(self, service: dict) -> None:
        """Called once the service record exists: report inventory at once."""
        self.service = service
        self.update_available_resource()

    def periodic_tasks(self) -> list:
        return [(CONF.update_resources_interval, self.update_available_resource)]

    def cleanup_host(self) -> None:
        self.driver.cleanup_host(self.host)

    def update_available_resource(self) -> None:
        """Report each node's inventory and ratios; usage is the conductor's to count."""
        if self.service is None:
            return
        ctxt = minova_context.get_admin_context()
        for nodename in self.driver.get_available_nodes():
            resources = dict(self.driver.get_available_resource(nodename))
            resources.update(
                availability_zone=CONF.default_availability_zone,
                cpu_allocation_ratio=CONF.cpu_allocation_ratio,
                ram_allocation_ratio=CONF.ram_allocation_ratio,
                disk_allocation_ratio=CONF.disk_allocation_ratio,
                reserved_host_memory_mb=CONF.reserved_host_memory_mb,
                reserved_host_disk_mb=CONF.reserved_host_disk_mb,
                reserved_host_cpus=CONF.reserved_host_cpus,
            )
            self.conductor_api.compute_node_update(ctxt, self.service["id"], self.host,
                                                   nodename, resources)

    # --- RPC endpoints

    def build_and_run_instance(self, ctxt, instance: dict, node: str, request_spec: dict,
                               alternates: list) -> None:
        uuid = instance["uuid"]
        with self._locks(uuid):
            try:
                instance = self.conductor_api.build_started(ctxt, uuid, self.host)
            except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
                LOG.info("Instance %s was deleted before its build started", uuid)
                return
            started = time.monotonic()
            try:
                self.driver.spawn(ctxt, instance, request_spec.get("image") or {})
            except Exception as exc:  # the driver's failure, whatever it is
                LOG.warning("Spawn of %s failed on %s: %s", uuid, self.host, exc)
                self._cleanup_failed_spawn(ctxt, instance)
                self.conductor_api.build_failed(
                    ctxt, uuid, self.host, node, reason=_describe(exc),
                    details=traceback.format_exc(), request_spec=request_spec,
                    alternates=alternates,
                    reschedule=not isinstance(exc, exception.BuildAbortException))
                return
            power_state = self.driver.get_info(instance)["state"]
            LOG.info("Spawned instance %s on %s in %.3f seconds", uuid, self.host,
                     time.monotonic() - started)
            try:
                self.conductor_api.build_finished(ctxt, uuid, self.host, power_state)
            except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
                # Deleted while spawning: the terminate request queued behind
                # this lock destroys the guest.
                LOG.info("Instance %s was deleted while it was spawning", uuid)

    def terminate_instance(self, ctxt, instance: dict) -> None:
        uuid = instance["uuid"]
        with self._locks(uuid):
            self.conductor_api.action_event_start(ctxt, uuid, TERMINATE_EVENT, self.host)
            try:
                self.driver.destroy(ctxt, instance)
            except Exception as exc:
                LOG.exception("Destroying %s failed", uuid)
                self.conductor_api.action_event_finish(
                    ctxt, uuid, TERMINATE_EVENT, "Error", host=self.host,
                    traceback=traceback.format_exc())
                self.conductor_api.instance_update(
                    ctxt, uuid, {"vm_state": states.ERROR, "task_state": None},
                    expected_task_state=[states.DELETING])
                raise exception.MinovaException(f"Could not destroy {uuid}: {exc}") from exc
            self.conductor_api.action_event_finish(ctxt, uuid, TERMINATE_EVENT, "Success",
                                                   host=self.host)
            self.conductor_api.instance_destroy(ctxt, uuid, self.host)
            LOG.info("Destroyed instance %s on %s", uuid, self.host)

    def _cleanup_failed_spawn(self, ctxt, instance: dict) -> None:
        try:
            self.driver.destroy(ctxt, instance)
        except Exception:
            LOG.exception("Cleaning up the failed spawn of %s failed", instance["uuid"])


def _describe(exc: Exception) -> str:
    if isinstance(exc, exception.MinovaException):
        return exc.format_message()
    return f"{type(exc).__name__}: {exc}"
