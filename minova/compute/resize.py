"""The compute side of a cold migration or resize (Nova's prep_resize,
resize_instance, finish_resize, confirm_resize, revert_resize,
finish_revert_resize), mixed into ``ComputeManager`` (compute RPC 1.9).

The conductor has claimed the destination before the first cast, so no
host here claims anything; each step runs under the instance's lock,
records its event on this host, reports to the conductor (which writes the
instance, the migration and the claims in one transaction) and casts the
next step to the other host. A step that fails reports ``move_failed``
with the cause; the conductor leaves the server usable on its source, or
in ERROR with the fault, its accounting exact either way. A step whose
instance moved on (deleted, or failed by a restart) stops quietly.
"""

import traceback

from oslo_config import cfg
from oslo_log import log as logging

from minova import context as minova_context
from minova import exception
from minova.objects import actions, states
from minova.objects import migration_status as mig

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

_MOVED_ON = (exception.InstanceNotFound, exception.UnexpectedTaskStateError)


def _describe(exc: Exception) -> str:
    if isinstance(exc, exception.MinovaException):
        return exc.format_message()
    return f"{type(exc).__name__}: {exc}"


def _same_host(migration: dict) -> bool:
    return migration["source_compute"] == migration["dest_compute"]


class ResizeMixin:
    """Needs ``host``, ``driver``, ``conductor_api``, ``compute_task_api``,
    ``_locks`` and ``_power_state`` from ``ComputeManager``."""

    _move_rpc = None

    @property
    def compute_rpc(self):
        if self._move_rpc is None:
            from minova.compute import rpcapi as compute_rpcapi  # the manager's client side
            self._move_rpc = compute_rpcapi.ComputeAPI()
        return self._move_rpc

    def _move_failed(self, ctxt, migration: dict, event: str, exc: Exception) -> None:
        LOG.warning("%s of instance %s failed on %s: %s", event, migration["instance_uuid"],
                    self.host, _describe(exc))
        try:
            self.compute_task_api.move_failed(ctxt, migration["uuid"], self.host,
                                              _describe(exc), traceback.format_exc(), event)
        except Exception:
            LOG.exception("Could not report the failed move of %s", migration["instance_uuid"])

    def _event(self, ctxt, uuid: str, event: str, result: str | None = None) -> None:
        """Record a step's event start (``result`` None) or its end. A record
        that cannot be written is logged, never stops the move: the
        instance and the migration are what the move's state is."""
        try:
            if result is None:
                self._event(ctxt, uuid, event)
            else:
                self.conductor_api.action_event_finish(ctxt, uuid, event, result,
                                                       host=self.host)
        except Exception as exc:
            LOG.warning("Could not record event %s of %s: %s", event, uuid, _describe(exc))

    def _step(self, ctxt, migration: dict, from_task: str, to_task: str,
              status: str | None = None, power_state: int | None = None) -> bool:
        try:
            self.compute_task_api.move_step(ctxt, migration["uuid"], self.host, from_task,
                                            to_task, status=status, power_state=power_state)
        except _MOVED_ON as exc:
            LOG.info("Move of %s stopped: the instance moved on (%s)",
                     migration["instance_uuid"], _describe(exc))
            return False
        return True

    # --- destination: get ready, tell the source

    def prep_resize(self, ctxt, instance: dict, migration: dict, flavor: dict) -> None:
        uuid = instance["uuid"]
        event = actions.EVENT_PREP_RESIZE
        with self._locks(uuid):
            self._event(ctxt, uuid, event)
            # The event is closed before the next host starts writing its own
            # on the same action.
            self._event(ctxt, uuid, event, actions.SUCCESS)
            try:
                self.compute_rpc.resize_instance(ctxt, migration["source_compute"], instance,
                                                 migration, flavor)
            except Exception as exc:
                self._move_failed(ctxt, migration, event, exc)

    # --- source: power off and hand the guest over

    def resize_instance(self, ctxt, instance: dict, migration: dict, flavor: dict) -> None:
        uuid = instance["uuid"]
        event = actions.EVENT_RESIZE_INSTANCE
        with self._locks(uuid):
            if not self._step(ctxt, migration, states.RESIZE_PREP, states.RESIZE_MIGRATING,
                              mig.MIGRATING):
                return
            self._event(ctxt, uuid, event)
            try:
                self.driver.migrate_disk_and_power_off(
                    ctxt, instance, migration["dest_compute"], flavor,
                    same_host=_same_host(migration))
            except Exception as exc:
                # The guest is still here: started again if it ran, so the
                # server is usable on this host as before.
                if migration.get("old_vm_state", instance["vm_state"]) != states.STOPPED:
                    try:
                        self.driver.finish_revert_migration(ctxt, instance, power_on=True,
                                                            same_host=True)
                    except Exception:
                        LOG.exception("Could not start %s again after its failed move", uuid)
                self._move_failed(ctxt, migration, event, exc)
                return
            if not self._step(ctxt, dict(migration), states.RESIZE_MIGRATING,
                              states.RESIZE_MIGRATED, mig.POST_MIGRATING,
                              power_state=self._power_state(instance)):
                return
            self._event(ctxt, uuid, event, actions.SUCCESS)
            try:
                self.compute_rpc.finish_resize(ctxt, migration["dest_compute"], instance,
                                               migration, flavor)
            except Exception as exc:
                self._move_failed(ctxt, dict(migration, status=mig.POST_MIGRATING),
                                  actions.EVENT_FINISH_RESIZE, exc)

    # --- destination: start the guest with its new flavor

    def finish_resize(self, ctxt, instance: dict, migration: dict, flavor: dict) -> None:
        uuid = instance["uuid"]
        event = actions.EVENT_FINISH_RESIZE
        with self._locks(uuid):
            if not self._step(ctxt, migration, states.RESIZE_MIGRATED, states.RESIZE_FINISH):
                return
            self._event(ctxt, uuid, event)
            power_on = migration.get("old_vm_state", instance["vm_state"]) != states.STOPPED
            try:
                self.driver.finish_migration(ctxt, instance, flavor, power_on=power_on,
                                             same_host=_same_host(migration))
            except Exception as exc:
                if not _same_host(migration):
                    self._destroy_quietly(ctxt, instance)
                self._move_failed(ctxt, migration, event, exc)
                return
            try:
                self.compute_task_api.move_finished(ctxt, migration["uuid"], self.host,
                                                    self._power_state(instance))
            except _MOVED_ON:
                LOG.info("Instance %s moved on while its move finished here", uuid)
                return
            LOG.info("Instance %s moved here from %s: waiting for confirm or revert", uuid,
                     migration["source_compute"])

    # --- confirm (source) and revert (destination, then source)

    def confirm_resize(self, ctxt, instance: dict, migration: dict) -> None:
        uuid = instance["uuid"]
        event = actions.EVENT_CONFIRM_RESIZE
        with self._locks(uuid):
            self._event(ctxt, uuid, event)
            try:
                self.driver.confirm_migration(ctxt, instance, same_host=_same_host(migration))
            except Exception as exc:
                LOG.exception("Confirming the move of %s failed", uuid)
                self.compute_task_api.confirm_finished(
                    ctxt, migration["uuid"], self.host, error=_describe(exc),
                    details=traceback.format_exc())
                return
            # The server's power state is its destination guest's, as it was
            # when the move finished (the conductor reads it).
            self.compute_task_api.confirm_finished(ctxt, migration["uuid"], self.host,
                                                   power_state=instance.get("power_state"))

    def revert_resize(self, ctxt, instance: dict, migration: dict) -> None:
        uuid = instance["uuid"]
        event = actions.EVENT_REVERT_RESIZE
        with self._locks(uuid):
            self._event(ctxt, uuid, event)
            try:
                if not _same_host(migration):
                    self.driver.destroy(ctxt, instance)
            except Exception as exc:
                self._move_failed(ctxt, migration, event, exc)
                return
            self._event(ctxt, uuid, event, actions.SUCCESS)
            try:
                self.compute_rpc.finish_revert_resize(ctxt, migration["source_compute"],
                                                      instance, migration)
            except Exception as exc:
                self._move_failed(ctxt, migration, event, exc)

    def finish_revert_resize(self, ctxt, instance: dict, migration: dict) -> None:
        uuid = instance["uuid"]
        event = actions.EVENT_FINISH_REVERT_RESIZE
        with self._locks(uuid):
            self._event(ctxt, uuid, event)
            try:
                full = self.compute_task_api.migration_get(ctxt, migration["uuid"])
                power_on = full.get("old_vm_state") != states.STOPPED
                self.driver.finish_revert_migration(ctxt, instance, power_on=power_on,
                                                    same_host=_same_host(migration))
            except Exception as exc:
                self._move_failed(ctxt, migration, event, exc)
                return
            self.compute_task_api.revert_finished(ctxt, migration["uuid"], self.host,
                                                  self._power_state(instance))

    def _destroy_quietly(self, ctxt, instance: dict) -> None:
        try:
            self.driver.destroy(ctxt, instance)
        except Exception:
            LOG.exception("Cleaning up the failed move of %s failed", instance["uuid"])

    # --- periodic and start-up

    def poll_unconfirmed_resizes(self) -> None:
        """Nova's ``_poll_unconfirmed_resizes``: moves to this host left in
        VERIFY_RESIZE longer than ``resize_confirm_window`` are confirmed (as
        an admin's confirmResize would; a confirm or revert that came first
        wins, and this one is skipped)."""
        window = CONF.resize_confirm_window
        if window <= 0 or self.service is None:
            return
        ctxt = minova_context.get_admin_context()
        for migration in self.compute_task_api.migrations_unconfirmed(ctxt, self.host, window):
            uuid = migration["instance_uuid"]
            LOG.info("Automatically confirming the move of %s (older than %s s)", uuid, window)
            try:
                self.compute_task_api.confirm_resize(ctxt, uuid)
            except Exception as exc:  # the next one, and the next run, still go on
                LOG.warning("Automatic confirm of %s failed: %s", uuid, _describe(exc))

    def recover_moves(self) -> None:
        """At start: a move from or to this host that its restart cut off is
        failed (``move_failed``: back on its source, or ERROR with the fault,
        the claims exact), as Nova's ``_init_instance`` does for resizes."""
        ctxt = minova_context.get_admin_context()
        try:
            moving = self.compute_task_api.migrations_in_progress(ctxt, self.host)
        except Exception:
            LOG.exception("Could not read the moves interrupted on %s", self.host)
            return
        for migration in moving:
            uuid = migration["instance_uuid"]
            LOG.warning("The move of %s (%s) was cut off by a restart of %s", uuid,
                        migration["status"], self.host)
            # A guest left powered off here is found by the power-state sync
            # that follows at start (an ACTIVE server whose guest is off: SHUTOFF).
            self._move_failed(ctxt, migration, actions.EVENT_MIGRATE_SERVER,
                              exception.MinovaException(
                                  "The compute service restarted during the move of the "
                                  f"instance (migration {migration['status']})"))
