"""The compute manager: RPC endpoints that build and destroy guests on this host.

State changes are compare-and-swap calls to the conductor, so a delete that
arrives while a build is running makes the build's next transition fail and
the build stop; per-instance locks keep two operations on one guest from
interleaving on this host.
"""

import collections
import datetime
import threading
import time
import traceback

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils

from minova import context as minova_context
from minova import exception
from minova.compute import conductor_calls, host_sync, rescue, resize, running_deleted
from minova.compute import shelve as compute_shelve
from minova.conductor import rpcapi as conductor_rpcapi
from minova.image import api as image_api
from minova.objects import actions, states
from minova.virt import driver as virt_driver

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

TERMINATE_EVENT = actions.EVENT_TERMINATE
_TERMINATED_KEPT = 1000


def _remember(recent: collections.OrderedDict, uuid: str) -> None:
    """Add ``uuid`` to a bounded record of recent builds, forgetting the oldest."""
    recent[uuid] = None
    while len(recent) > _TERMINATED_KEPT:
        recent.popitem(last=False)


def tail_log(output: str, length: int) -> str:
    """The last ``length`` newline-separated pieces of ``output``, as Nova's tail.

    Nova splits on newlines and joins the last pieces again, so a log ending
    in a newline has an empty last piece: ``length`` 3 of ``a b c`` (each on
    a line of its own) is ``b`` and ``c`` and the final newline, which a
    client splitting on newlines counts as exactly 3 pieces (Tempest does).
    """
    if length == 0:
        return ""
    return "\n".join(output.split("\n")[-length:])


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


class ComputeManager(rescue.RescueMixin, compute_shelve.ShelveMixin, resize.ResizeMixin):
    # 1.1: cache_images; 1.2: get_host_uptime; 1.3: rebuild_instance;
    # 1.4: soft_delete_instance, restore_instance; 1.5: trigger_crash_dump;
    # 1.6: get_instance_diagnostics, get_diagnostics;
    # 1.7: rescue_instance, unrescue_instance (compute/rescue.py);
    # 1.8: snapshot_instance, shelve_instance, shelve_offload_instance,
    # unshelve_instance (compute/shelve.py);
    # 1.9: the move (prep_resize ... finish_revert_resize, compute/resize.py)
    target = messaging.Target(version="1.9")

    def __init__(self, host: str, driver: virt_driver.ComputeDriver | None = None,
                 conductor_api=None, compute_task_api=None) -> None:
        self.host = host
        self.conductor_api = conductor_api or conductor_rpcapi.ConductorAPI()
        self.compute_task_api = compute_task_api or conductor_rpcapi.ComputeTaskAPI()
        # Builds that failed here in a row (Nova's compute counts them too):
        # a success after failures tells the conductor to reset the node's
        # count for the BuildFailureWeigher, a success after a success
        # costs nothing.
        self._failed_builds = 0
        # Instances terminated here lately, or whose build was given up at
        # start-up: a build cast before that but taken after it must not
        # spawn a guest nobody owns.
        self._terminated: collections.OrderedDict[str, None] = collections.OrderedDict()
        # Builds taken here lately (a cast repeated by build recovery is
        # checked against the database first) and those under way now.
        self._taken: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._held: set[str] = set()
        self._held_lock = threading.Lock()
        self.driver = driver or virt_driver.load_compute_driver(
            CONF.compute_driver, image_api=image_api.API(self.conductor_api))
        self.service: dict | None = None
        self._locks = _InstanceLocks()
        # Set when the service stops: calls retried across outages give up.
        self.stopping = threading.Event()
        # The reports whose loss would leave the database wrong are retried
        # across broker and database outages (see conductor_calls).
        self.report = conductor_calls.ConductorCalls(self.conductor_api,
                                                     self.compute_task_api, self.stopping)

    # --- service life

    def init_host(self) -> None:
        self.driver.init_host(self.host)

    def service_registered(self, service: dict) -> None:
        """Called once the service record exists: report inventory, then recover."""
        self.service = service
        self.update_available_resource()
        self.recover_moves()  # first: the instances it fails are then idle for recover
        host_sync.recover(self)

    def periodic_tasks(self) -> list:
        tasks = [(CONF.update_resources_interval, self.update_available_resource)]
        if CONF.sync_power_state_interval > 0:
            tasks.append((CONF.sync_power_state_interval, self.sync_power_states))
        if CONF.reclaim_instance_interval > 0:
            # Nova checks on every periodic tick; here at most every minute,
            # sooner for a shorter interval.
            tasks.append((min(CONF.reclaim_instance_interval, 60),
                          self.reclaim_queued_deletes))
        if CONF.shelved_offload_time > 0 and CONF.shelved_poll_interval > 0:
            tasks.append((CONF.shelved_poll_interval, self.poll_shelved_instances))
        if CONF.resize_confirm_window > 0:
            tasks.append((min(CONF.resize_confirm_window, 60), self.poll_unconfirmed_resizes))
        if (CONF.running_deleted_instance_poll_interval > 0
                and CONF.running_deleted_instance_action != "noop"):
            tasks.append((CONF.running_deleted_instance_poll_interval,
                          self.cleanup_running_deleted_instances))
        return tasks

    def sync_power_states(self) -> None:
        host_sync.sync_power_states(self)

    def cleanup_running_deleted_instances(self) -> None:
        running_deleted.check(self)

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
            self.report.compute_node_update(ctxt, self.service["id"], self.host, nodename,
                                            resources)

    # --- RPC endpoints

    def build_and_run_instance(self, ctxt, instance: dict, node: str, request_spec: dict,
                               alternates: list) -> None:
        """Spawn the guest of an instance the conductor claimed this host for.

        The claim already moved the instance to spawning, so the only call
        back is the outcome: build_finished, or build_failed (a cast, the
        conductor reschedules). A build whose instance was deleted before
        this host got to it is skipped, or its guest destroyed again.
        """
        uuid = instance["uuid"]
        with self._held_lock:
            if uuid in self._held:
                # Cast again by build recovery while this host had it queued.
                LOG.info("Build of %s is already under way here; skipping the duplicate",
                         uuid)
                return
            self._held.add(uuid)
        try:
            with self._locks(uuid):
                self._build_and_run(ctxt, instance, node, request_spec, alternates)
        finally:
            self._held.discard(uuid)

    def builds_held(self) -> list[str]:
        """The builds taken here and not yet reported, for the heartbeat: a
        build the conductor cast here that this list leaves out was lost."""
        with self._held_lock:
            return sorted(self._held)

    def _build_and_run(self, ctxt, instance: dict, node: str, request_spec: dict,
                       alternates: list) -> None:
        uuid = instance["uuid"]
        if uuid in self._terminated:
            LOG.info("Instance %s was deleted before its build started", uuid)
            return
        if uuid in self._taken and not self._still_ours(ctxt, uuid):
            LOG.info("Build of %s was cast here again but has moved on; skipping it", uuid)
            return
        _remember(self._taken, uuid)
        if self._power_state(instance) == states.RUNNING:
            # Spawned by this host before (its outcome never reached the
            # conductor, or the service restarted since): report it.
            LOG.info("Instance %s already runs here; reporting its build", uuid)
            self._report_built(ctxt, instance, node)
            return
        started = time.monotonic()
        try:
            self.driver.spawn(ctxt, instance, request_spec.get("image") or {})
        except Exception as exc:  # the driver's failure, whatever it is
            LOG.warning("Spawn of %s failed on %s: %s", uuid, self.host, exc)
            self._failed_builds += 1
            self._cleanup_failed_spawn(ctxt, instance)
            self.report.build_failed(
                ctxt, uuid, self.host, node, reason=_describe(exc),
                details=traceback.format_exc(), request_spec=request_spec,
                alternates=alternates,
                reschedule=not isinstance(exc, exception.BuildAbortException))
            return
        LOG.info("Spawned instance %s on %s in %.3f seconds", uuid, self.host,
                 time.monotonic() - started)
        self._report_built(ctxt, instance, node)

    def _still_ours(self, ctxt, uuid: str) -> bool:
        """Is the instance still spawning on this host (a repeated cast)?"""
        try:
            current = self.conductor_api.instance_get(ctxt, uuid)
        except exception.InstanceNotFound:
            return False
        return current["host"] == self.host and current["task_state"] == states.SPAWNING

    def _report_built(self, ctxt, instance: dict, node: str) -> None:
        uuid = instance["uuid"]
        power_state = self.driver.get_info(instance)["state"]
        try:
            self.report.build_finished(
                ctxt, uuid, self.host, power_state,
                root_device_name=self.driver.root_device_name(instance),
                failed_builds_reset=self._failed_builds > 0)
        except exception.InstanceNotFound:
            # Deleted, and its terminate ran before this build: the guest
            # just made belongs to nobody.
            LOG.info("Instance %s was deleted while it was spawning", uuid)
            self._cleanup_failed_spawn(ctxt, instance)
        except exception.UnexpectedTaskStateError:
            self._build_finished_too_late(ctxt, instance)
        else:
            self._failed_builds = 0

    def _build_finished_too_late(self, ctxt, instance: dict) -> None:
        """The spawn succeeded but the instance had left the build meanwhile.

        Either build recovery placed it on another host (this host was
        taken for dead): the guest here is destroyed. Or a delete is under
        way (the terminate request queued behind this instance's lock
        destroys the guest), or the conductor's
        ``[conductor] instance_build_timeout`` set it to ERROR. In the second
        case the guest is left running and a warning says so: the instance
        keeps its host and its allocation, so the user's delete reaches this
        host's terminate_instance, which destroys the guest and frees both.
        Destroying it here would also be safe, but would leave an instance
        whose allocation outlives its guest for no gain; leaving it lets an
        operator look at a build that was merely slow.
        """
        uuid = instance["uuid"]
        try:
            current = self.conductor_api.instance_get(minova_context.get_admin_context(), uuid)
        except exception.InstanceNotFound:
            current = None
        if current is not None and current["host"] != self.host:
            # Build recovery took this host for dead and placed the build
            # elsewhere: this guest is a second copy nobody owns.
            LOG.warning("Instance %s was placed on %s while this host was unreachable; "
                        "destroying the guest built here", uuid, current["host"])
            self._cleanup_failed_spawn(ctxt, instance)
            return
        if (current is not None and current["vm_state"] == states.ERROR
                and current["task_state"] != states.DELETING):
            LOG.warning("Build of instance %s finished on %s after the instance was set to "
                        "ERROR (build timed out); its guest stays here until the server is "
                        "deleted", uuid, self.host)
            return
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
            self.report.instance_destroy(ctxt, uuid, self.host)
            self.forget_build(uuid)
            LOG.info("Destroyed instance %s on %s", uuid, self.host)

    def forget_build(self, uuid: str) -> None:
        """A build of ``uuid`` taken off the queue from now on is skipped."""
        _remember(self._terminated, uuid)

    # --- lifecycle actions: each runs under the instance's lock, records its
    # event, and reports the outcome in one conductor call.

    def _power_state(self, instance: dict) -> int:
        try:
            return self.driver.get_info(instance)["state"]
        except exception.InstanceNotFound:
            return states.NOSTATE

    def _run_action(self, ctxt, instance: dict, event: str, expected_task_state: str,
                    operation, vm_state_after: str, updates_after: dict | None = None) -> None:
        uuid = instance["uuid"]
        with self._locks(uuid):
            self.conductor_api.action_event_start(ctxt, uuid, event, self.host)
            try:
                operation()
            except Exception as exc:  # the driver's failure, whatever it is
                LOG.exception("%s of instance %s failed", event, uuid)
                self.report.instance_action_finish(
                    ctxt, uuid, event, self.host,
                    {"task_state": None, "power_state": self._power_state(instance)},
                    expected_task_state=[expected_task_state], error=_describe(exc),
                    traceback=traceback.format_exc())
                return
            power_state = self._power_state(instance)
            self.report.instance_action_finish(
                ctxt, uuid, event, self.host,
                {"vm_state": vm_state_after, "task_state": None, "power_state": power_state,
                 **(updates_after or {})},
                expected_task_state=[expected_task_state])
            LOG.info("%s of instance %s done: power state %s", event, uuid,
                     states.POWER_STATE_NAMES.get(power_state, power_state))

    def stop_instance(self, ctxt, instance: dict, clean_shutdown: bool = True) -> None:
        timeout = CONF.shutdown_timeout if clean_shutdown else 0
        self._run_action(ctxt, instance, actions.EVENT_STOP, states.POWERING_OFF,
                         lambda: self.driver.power_off(ctxt, instance, timeout),
                         states.STOPPED)

    def start_instance(self, ctxt, instance: dict) -> None:
        self._run_action(ctxt, instance, actions.EVENT_START, states.POWERING_ON,
                         lambda: self.driver.power_on(ctxt, instance), states.ACTIVE)

    def reboot_instance(self, ctxt, instance: dict, reboot_type: str) -> None:
        task_state = states.REBOOTING if reboot_type == "SOFT" else states.REBOOTING_HARD
        self._run_action(ctxt, instance, actions.EVENT_REBOOT, task_state,
                         lambda: self.driver.reboot(ctxt, instance, reboot_type),
                         states.ACTIVE)

    def pause_instance(self, ctxt, instance: dict) -> None:
        self._run_action(ctxt, instance, actions.EVENT_PAUSE, states.PAUSING,
                         lambda: self.driver.pause(ctxt, instance), states.PAUSED)

    def unpause_instance(self, ctxt, instance: dict) -> None:
        self._run_action(ctxt, instance, actions.EVENT_UNPAUSE, states.UNPAUSING,
                         lambda: self.driver.unpause(ctxt, instance), states.ACTIVE)

    def suspend_instance(self, ctxt, instance: dict) -> None:
        self._run_action(ctxt, instance, actions.EVENT_SUSPEND, states.SUSPENDING,
                         lambda: self.driver.suspend(ctxt, instance), states.SUSPENDED)

    def resume_instance(self, ctxt, instance: dict) -> None:
        self._run_action(ctxt, instance, actions.EVENT_RESUME, states.RESUMING,
                         lambda: self.driver.resume(ctxt, instance), states.ACTIVE)

    def get_host_uptime(self, ctxt) -> str:
        """This host's ``uptime`` (API os-hypervisors uptime, before 2.88)."""
        return self.driver.get_host_uptime()

    def rebuild_instance(self, ctxt, instance: dict, image_meta: dict,
                         preserve_ephemeral: bool = False,
                         orig_vm_state: str = states.ACTIVE) -> None:
        """Remake the guest from ``image_meta`` (1.3); the conductor already
        moved the instance to REBUILDING and wrote what the rebuild changes.

        As Nova: REBUILDING -> REBUILD_SPAWNING -> ACTIVE, or SHUTOFF again
        for a server that was stopped (it boots, then is powered off hard);
        any failure is ERROR with the cause as the fault, never a server
        left in REBUILD. A rebuild whose instance moved on before this host
        took it (deleted, or set to ERROR by this host's restart) is skipped.
        """
        uuid = instance["uuid"]
        with self._locks(uuid):
            try:
                self.conductor_api.instance_update(
                    ctxt, uuid, {"task_state": states.REBUILD_SPAWNING,
                                 "power_state": self._power_state(instance)},
                    expected_task_state=[states.REBUILDING])
            except (exception.UnexpectedTaskStateError, exception.InstanceNotFound) as exc:
                LOG.info("Not rebuilding %s: it is no longer rebuilding (%s)", uuid,
                         _describe(exc))
                return
            self.conductor_api.action_event_start(ctxt, uuid, actions.EVENT_REBUILD, self.host)
            try:
                self.driver.rebuild(ctxt, instance, image_meta,
                                    preserve_ephemeral=preserve_ephemeral)
                if orig_vm_state == states.STOPPED:
                    self.driver.power_off(ctxt, instance, 0)
            except Exception as exc:  # the driver's failure, whatever it is
                LOG.exception("Rebuild of instance %s failed", uuid)
                self.report.instance_action_finish(
                    ctxt, uuid, actions.EVENT_REBUILD, self.host,
                    {"vm_state": states.ERROR, "task_state": None,
                     "power_state": self._power_state(instance)},
                    expected_task_state=[states.REBUILD_SPAWNING], error=_describe(exc),
                    traceback=traceback.format_exc())
                return
            vm_state = states.STOPPED if orig_vm_state == states.STOPPED else states.ACTIVE
            self.report.instance_action_finish(
                ctxt, uuid, actions.EVENT_REBUILD, self.host,
                {"vm_state": vm_state, "task_state": None,
                 "power_state": self._power_state(instance),
                 "launched_at": timeutils.utcnow().isoformat()},
                expected_task_state=[states.REBUILD_SPAWNING])
            LOG.info("Rebuilt instance %s from image %s", uuid, (image_meta or {}).get("id"))

    def soft_delete_instance(self, ctxt, instance: dict) -> None:
        """Nova's soft delete: the guest powered off at once (no clean
        shutdown, as Nova's fallback for drivers without soft_delete) and kept."""
        self._run_action(ctxt, instance, actions.EVENT_SOFT_DELETE, states.SOFT_DELETING,
                         lambda: self.driver.power_off(ctxt, instance, 0),
                         states.SOFT_DELETED)

    def restore_instance(self, ctxt, instance: dict) -> None:
        """The guest of a soft-deleted instance powered on again: ACTIVE, and
        no longer due for reclaim (``deleted_at`` cleared)."""
        self._run_action(ctxt, instance, actions.EVENT_RESTORE, states.RESTORING,
                         lambda: self.driver.power_on(ctxt, instance), states.ACTIVE,
                         {"deleted_at": None})

    def trigger_crash_dump(self, ctxt, instance: dict) -> None:
        """Nova's: the driver injects an NMI; no task or vm state changes (what
        the guest does with it is its own configuration). A failure is the
        event's error and the instance's fault, as Nova's wrappers record it."""
        uuid = instance["uuid"]
        event = actions.EVENT_TRIGGER_CRASH_DUMP
        with self._locks(uuid):
            self.conductor_api.action_event_start(ctxt, uuid, event, self.host)
            error = details = None
            try:
                self.driver.trigger_crash_dump(instance)
            except Exception as exc:  # the driver's failure, whatever it is
                LOG.warning("Crash dump of instance %s failed: %s", uuid, _describe(exc))
                error, details = _describe(exc), traceback.format_exc()
            self.report.instance_action_finish(
                ctxt, uuid, event, self.host, {"power_state": self._power_state(instance)},
                expected_task_state=None, error=error, traceback=details)

    def _running(self, instance: dict) -> None:
        """Nova's diagnostics need a running guest: else InstanceInvalidState (409)."""
        power_state = self._power_state(instance)
        if power_state != states.RUNNING:
            raise exception.InstanceInvalidState(
                action="get_diagnostics", instance_uuid=instance["uuid"],
                attr="power state",
                state=states.POWER_STATE_NAMES.get(power_state, power_state))

    def get_instance_diagnostics(self, ctxt, instance: dict) -> dict:
        self._running(instance)
        LOG.info("Retrieving diagnostics of instance %s", instance["uuid"])
        return self.driver.get_instance_diagnostics(instance)

    def get_diagnostics(self, ctxt, instance: dict) -> dict:
        self._running(instance)
        LOG.info("Retrieving diagnostics of instance %s", instance["uuid"])
        return self.driver.get_diagnostics(instance)

    def reclaim_queued_deletes(self) -> None:
        """Nova's ``_reclaim_queued_deletes``: delete for good this host's
        instances soft-deleted more than ``reclaim_instance_interval`` ago.

        Each is first moved to deleting by a compare-and-swap on its idle
        SOFT_DELETED state, so a restore that came first wins and one that
        comes after is refused; then the guest is destroyed here as a
        delete's terminate does, which frees its resources and quota.
        """
        interval = CONF.reclaim_instance_interval
        if interval <= 0 or self.service is None:
            return
        ctxt = minova_context.get_admin_context()
        due = timeutils.utcnow() - datetime.timedelta(seconds=interval)
        instances = self.conductor_api.instance_get_all(
            ctxt, filters={"host": self.host, "vm_state": [states.SOFT_DELETED],
                           "task_state": [None], "deleted": False, "soft_deleted": True})
        for instance in instances:
            deleted_at = instance.get("deleted_at")
            if (deleted_at is None
                    or timeutils.parse_isotime(deleted_at).replace(tzinfo=None) > due):
                continue
            LOG.info("Reclaiming deleted instance %s", instance["uuid"])
            try:
                instance = self.conductor_api.instance_update(
                    ctxt, instance["uuid"], {"task_state": states.DELETING},
                    expected_task_state=[None], expected_vm_state=[states.SOFT_DELETED])
                self.terminate_instance(ctxt, instance)
            except Exception as exc:  # the next instance, and the next run, still go on
                LOG.warning("Periodic reclaim failed to delete instance %s: %s",
                            instance["uuid"], _describe(exc))

    def get_console_output(self, ctxt, instance: dict, tail_length: int | None) -> str:
        try:
            output = self.driver.get_console_output(ctxt, instance)
        except exception.InstanceNotFound:
            raise exception.ConsoleNotAvailable() from None
        if tail_length is None or tail_length < 0:
            return output
        return tail_log(output, tail_length)

    def cache_images(self, ctxt, images: list[dict]) -> None:
        """Put the images in this host's image cache (API 2.81), one after the
        other; a failure is logged and the next image still tried."""
        for image_meta in images:
            try:
                downloaded = self.driver.cache_image(ctxt, image_meta)
            except NotImplementedError:
                LOG.warning("The virt driver keeps no image cache: not caching %d image(s)",
                            len(images))
                return
            except Exception as exc:
                LOG.error("Could not cache image %s: %s", image_meta["id"], _describe(exc))
                continue
            LOG.info("Image %s %s", image_meta["id"],
                     "cached" if downloaded else "was already cached")

    def _cleanup_failed_spawn(self, ctxt, instance: dict) -> None:
        try:
            self.driver.destroy(ctxt, instance)
        except Exception:
            LOG.exception("Cleaning up the failed spawn of %s failed", instance["uuid"])


def _describe(exc: Exception) -> str:
    if isinstance(exc, exception.MinovaException):
        return exc.format_message()
    return f"{type(exc).__name__}: {exc}"
