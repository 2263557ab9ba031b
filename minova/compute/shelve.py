"""createImage (snapshot), shelve, shelveOffload and unshelve: the compute
host's part (compute RPC 1.8), mixed into ``ComputeManager``.

The api recorded each action and moved the instance into its first task
state (``image_snapshot_pending``, ``shelving``, ``shelving_offloading``;
the conductor ``unshelving`` or, for an offloaded server it placed,
``spawning``); here, under the instance's lock, the driver does the work
and the outcome is reported in one conductor call, as every lifecycle
action's. The steps and their task states are Nova's:

* snapshot: image_snapshot -> image_pending_upload -> image_uploading ->
  idle, the vm_state unchanged. A failure deletes the image and leaves the
  server as it was (idle, a fault).
* shelve: the guest powered off, then snapshotted (shelving ->
  shelving_image_pending_upload -> shelving_image_uploading) -> SHELVED,
  the image's id in the system metadata; with ``[DEFAULT]
  shelved_offload_time`` 0 offloaded at once. A failure deletes the image
  and powers a guest that ran on again: the server stays as it was.
* offload: the guest and its disks destroyed, then the conductor frees the
  claim and clears host and node (SHELVED_OFFLOADED), in one transaction.
* unshelve: a guest still here is powered on; an offloaded server, placed
  and claimed by the conductor, is spawned from the shelve snapshot. Then
  the snapshot is deleted. A failed spawn is destroyed and the conductor
  offloads the server again (claim freed, SHELVED_OFFLOADED, a fault).
"""

import traceback

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils

from minova import context as minova_context
from minova import exception
from minova.objects import actions, states

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# The keys shelving keeps in an instance's system metadata (Nova's names).
SHELVED_KEYS = ("shelved_at", "shelved_image_id", "shelved_host")

# What a driver's snapshot steps are, for a createImage and for a shelve.
_SNAPSHOT_STEPS = {states.IMAGE_SNAPSHOT: states.IMAGE_SNAPSHOT,
                   states.IMAGE_PENDING_UPLOAD: states.IMAGE_PENDING_UPLOAD,
                   states.IMAGE_UPLOADING: states.IMAGE_UPLOADING}
_SHELVE_STEPS = {states.IMAGE_SNAPSHOT: states.SHELVING,
                 states.IMAGE_PENDING_UPLOAD: states.SHELVING_IMAGE_PENDING_UPLOAD,
                 states.IMAGE_UPLOADING: states.SHELVING_IMAGE_UPLOADING}


def without_shelved_keys(system_metadata: dict | None) -> dict:
    return {k: v for k, v in (system_metadata or {}).items() if k not in SHELVED_KEYS}


def describe(exc: Exception) -> str:
    if isinstance(exc, exception.MinovaException):
        return exc.format_message()
    return f"{type(exc).__name__}: {exc}"


class ShelveMixin:
    """The compute endpoints of snapshots and shelving (``ComputeManager``'s
    ``driver``, ``conductor_api``, ``compute_task_api``, ``report``,
    ``_locks``, ``_power_state`` are used)."""

    # --- createImage

    def snapshot_instance(self, ctxt, instance: dict, image_id: str) -> None:
        """Snapshot the guest into the ``queued`` image ``image_id`` (1.8)."""
        uuid = instance["uuid"]
        with self._locks(uuid):
            try:
                self.conductor_api.instance_update(
                    ctxt, uuid, {"task_state": states.IMAGE_SNAPSHOT},
                    expected_task_state=[states.IMAGE_SNAPSHOT_PENDING])
            except (exception.UnexpectedTaskStateError, exception.InstanceNotFound) as exc:
                LOG.info("Not snapshotting %s: it moved on (%s)", uuid, describe(exc))
                self._delete_image(ctxt, image_id)
                return
            self.conductor_api.action_event_start(ctxt, uuid, actions.EVENT_SNAPSHOT,
                                                  self.host)
            try:
                self.driver.snapshot(ctxt, instance, image_id,
                                     self._step_reporter(ctxt, uuid, _SNAPSHOT_STEPS))
            except Exception as exc:  # the driver's failure, whatever it is
                LOG.exception("Snapshot of instance %s failed", uuid)
                self._delete_image(ctxt, image_id)
                self._finish(ctxt, uuid, actions.EVENT_SNAPSHOT,
                             {"task_state": None, "power_state": self._power_state(instance)},
                             list(_SNAPSHOT_STEPS.values()), exc)
                return
            self._finish(ctxt, uuid, actions.EVENT_SNAPSHOT,
                         {"task_state": None, "power_state": self._power_state(instance)},
                         [states.IMAGE_UPLOADING])
            LOG.info("Snapshot of instance %s uploaded as image %s", uuid, image_id)

    # --- shelve

    def shelve_instance(self, ctxt, instance: dict, image_id: str,
                        clean_shutdown: bool = True) -> None:
        """Power the guest off and snapshot it into ``image_id``: SHELVED (1.8);
        offloaded at once with ``[DEFAULT] shelved_offload_time`` 0."""
        uuid = instance["uuid"]
        with self._locks(uuid):
            self.conductor_api.action_event_start(ctxt, uuid, actions.EVENT_SHELVE, self.host)
            was_running = self._power_state(instance) == states.RUNNING
            try:
                self.driver.power_off(ctxt, instance,
                                      CONF.shutdown_timeout if clean_shutdown else 0)
                self.driver.snapshot(ctxt, instance, image_id,
                                     self._step_reporter(ctxt, uuid, _SHELVE_STEPS))
            except Exception as exc:  # the driver's failure, whatever it is
                LOG.exception("Shelve of instance %s failed", uuid)
                self._delete_image(ctxt, image_id)
                if was_running:
                    self._power_on_again(ctxt, instance)
                self._finish(ctxt, uuid, actions.EVENT_SHELVE,
                             {"task_state": None, "power_state": self._power_state(instance)},
                             list(_SHELVE_STEPS.values()), exc)
                return
            system_metadata = dict(without_shelved_keys(instance.get("system_metadata")),
                                   shelved_at=timeutils.utcnow().isoformat(),
                                   shelved_image_id=image_id, shelved_host=self.host)
            updates = {"vm_state": states.SHELVED, "power_state": self._power_state(instance),
                       "system_metadata": system_metadata}
            if CONF.shelved_offload_time != 0:
                self._finish(ctxt, uuid, actions.EVENT_SHELVE, dict(updates, task_state=None),
                             [states.SHELVING_IMAGE_UPLOADING])
                LOG.info("Shelved instance %s (image %s)", uuid, image_id)
                return
            # Offloaded at once, under the same action (as Nova).
            try:
                self.conductor_api.instance_update(
                    ctxt, uuid, dict(updates, task_state=states.SHELVING_OFFLOADING),
                    expected_task_state=[states.SHELVING_IMAGE_UPLOADING])
            except (exception.UnexpectedTaskStateError, exception.InstanceNotFound) as exc:
                LOG.info("Shelved instance %s moved on before its offload (%s)", uuid,
                         describe(exc))
                return
            self.conductor_api.action_event_finish(ctxt, uuid, actions.EVENT_SHELVE,
                                                   actions.SUCCESS, host=self.host)
            LOG.info("Shelved instance %s (image %s); offloading it", uuid, image_id)
            self._offload(ctxt, instance, 0, actions.EVENT_SHELVE_OFFLOAD)

    def shelve_offload_instance(self, ctxt, instance: dict,
                                clean_shutdown: bool = True) -> None:
        """Destroy a shelved guest and give its host back (1.8); the instance
        is ``shelving_offloading``."""
        with self._locks(instance["uuid"]):
            self._offload(ctxt, instance, CONF.shutdown_timeout if clean_shutdown else 0,
                          actions.EVENT_SHELVE_OFFLOAD)

    def _offload(self, ctxt, instance: dict, timeout: int, event: str | None) -> None:
        uuid = instance["uuid"]
        if event:
            self.conductor_api.action_event_start(ctxt, uuid, event, self.host)
        try:
            self.driver.power_off(ctxt, instance, timeout)
            self.driver.destroy(ctxt, instance)
        except Exception as exc:  # the driver's failure: the server stays SHELVED here
            LOG.exception("Offload of shelved instance %s failed", uuid)
            if event:
                self._finish(ctxt, uuid, event,
                             {"task_state": None, "power_state": self._power_state(instance)},
                             [states.SHELVING_OFFLOADING], exc)
            else:
                self.conductor_api.instance_update(
                    ctxt, uuid, {"task_state": None},
                    expected_task_state=[states.SHELVING_OFFLOADING])
            return
        self.report.shelve_offload_finish(
            ctxt, uuid, self.host, event, expected_task_state=[states.SHELVING_OFFLOADING])
        LOG.info("Offloaded shelved instance %s from %s", uuid, self.host)

    def poll_shelved_instances(self) -> None:
        """Nova's ``_poll_shelved_instances``: offload this host's SHELVED
        instances shelved more than ``[DEFAULT] shelved_offload_time`` ago,
        each first moved to shelving_offloading by a compare-and-swap on its
        idle SHELVED state (an unshelve that came first wins)."""
        offload_time = CONF.shelved_offload_time
        if offload_time <= 0 or self.service is None:
            return
        ctxt = minova_context.get_admin_context()
        now = timeutils.utcnow()
        instances = self.conductor_api.instance_get_all(
            ctxt, filters={"host": self.host, "vm_state": [states.SHELVED],
                           "task_state": [None], "deleted": False})
        for instance in instances:
            shelved_at = (instance.get("system_metadata") or {}).get("shelved_at")
            if shelved_at is None:
                continue
            age = now - timeutils.parse_isotime(shelved_at).replace(tzinfo=None)
            if age.total_seconds() < offload_time:
                continue
            LOG.info("Offloading instance %s, shelved %s ago", instance["uuid"], age)
            try:
                instance = self.conductor_api.instance_update(
                    ctxt, instance["uuid"], {"task_state": states.SHELVING_OFFLOADING},
                    expected_task_state=[None], expected_vm_state=[states.SHELVED])
                with self._locks(instance["uuid"]):
                    self._offload(ctxt, instance, 0, None)
            except Exception as exc:  # the next instance, and the next run, still go on
                LOG.warning("Periodic offload of instance %s failed: %s", instance["uuid"],
                            describe(exc))

    # --- unshelve

    def unshelve_instance(self, ctxt, instance: dict, image: dict | None = None,
                          node: str | None = None) -> None:
        """Bring a shelved server back (1.8): with ``image`` None its guest is
        still here and is powered on (the instance is ``unshelving``);
        else the conductor claimed ``node`` for it (``spawning``) and the
        guest is spawned from ``image``, the shelve snapshot."""
        uuid = instance["uuid"]
        with self._locks(uuid):
            self.conductor_api.action_event_start(ctxt, uuid, actions.EVENT_UNSHELVE,
                                                  self.host)
            expected = states.UNSHELVING if image is None else states.SPAWNING
            try:
                if image is None:
                    self.driver.power_on(ctxt, instance)
                else:
                    self.driver.spawn(ctxt, instance, image)
            except Exception as exc:  # the driver's failure, whatever it is
                LOG.exception("Unshelve of instance %s failed", uuid)
                if image is None:
                    self._finish(ctxt, uuid, actions.EVENT_UNSHELVE,
                                 {"task_state": None,
                                  "power_state": self._power_state(instance)},
                                 [expected], exc)
                    return
                self._cleanup_failed_spawn(ctxt, instance)
                self.report.shelve_offload_finish(
                    ctxt, uuid, self.host, actions.EVENT_UNSHELVE,
                    expected_task_state=[expected], error=describe(exc),
                    traceback=traceback.format_exc())
                return
            system_metadata = instance.get("system_metadata") or {}
            updates = {"vm_state": states.ACTIVE, "task_state": None,
                       "power_state": self._power_state(instance),
                       "system_metadata": without_shelved_keys(system_metadata)}
            if image is not None:
                updates["launched_at"] = timeutils.utcnow().isoformat()
            self._finish(ctxt, uuid, actions.EVENT_UNSHELVE, updates, [expected])
            LOG.info("Unshelved instance %s on %s", uuid, self.host)
        snapshot_id = system_metadata.get("shelved_image_id")
        if snapshot_id:
            self._delete_image(ctxt, snapshot_id)

    # --- helpers

    def _step_reporter(self, ctxt, uuid: str, steps: dict):
        """The ``update_task_state`` a driver's snapshot calls, each step a
        compare-and-swap (a delete meanwhile makes it raise, and the
        snapshot stop)."""
        def update_task_state(task_state: str, expected_state: str) -> None:
            self.conductor_api.instance_update(
                ctxt, uuid, {"task_state": steps[task_state]},
                expected_task_state=[steps[expected_state]])
        return update_task_state

    def _finish(self, ctxt, uuid: str, event: str, updates: dict, expected: list,
                exc: Exception | None = None) -> None:
        """The outcome, its event and the action in one call; an instance that
        moved on meanwhile (deleted) is only logged."""
        try:
            self.report.instance_action_finish(
                ctxt, uuid, event, self.host, updates, expected_task_state=expected,
                error=describe(exc) if exc else None,
                traceback=traceback.format_exc() if exc else None)
        except (exception.UnexpectedTaskStateError, exception.InstanceNotFound) as error:
            LOG.info("%s of %s: the instance moved on (%s)", event, uuid, describe(error))

    def _power_on_again(self, ctxt, instance: dict) -> None:
        try:
            if self._power_state(instance) != states.RUNNING:
                self.driver.power_on(ctxt, instance)
        except Exception:
            LOG.exception("Could not power instance %s on again", instance["uuid"])

    def _delete_image(self, ctxt, image_id: str) -> None:
        """Delete an image, bytes and record, logging a failure: the action's
        outcome does not depend on it."""
        try:
            self.driver.image_api.delete_with_data(ctxt, image_id)
        except Exception as exc:
            LOG.warning("Could not delete image %s: %s", image_id, describe(exc))
