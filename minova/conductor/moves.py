"""The conductor's endpoints of a cold migration or resize (``ComputeTaskManager``
inherits them; conductor RPC 1.18). See "The life of a cold migration" in
docs/architecture.md.

The api calls ``migrate_server``, ``confirm_resize`` and ``revert_resize``
(each checks and records in one transaction and answers; the work goes on
by casts). The compute hosts report each step (``move_step``,
``move_finished``, ``move_failed``, ``confirm_finished``,
``revert_finished``): each report is one transaction over the instance
(a compare-and-swap on the task state the step leaves), the migration, the
claims, the step's event and the action. A report sent again after its
answer was lost finds the instance moved on and is answered as done.
"""

from oslo_log import log as logging

from minova import exception
from minova.conductor.tasks import migrate as migrate_task
from minova.context import RequestContext
from minova.db import actions as db_actions
from minova.db import instances as db_instances
from minova.db import move_claims
from minova.db import server_migrations as db_migrations
from minova.db.engine import transaction
from minova.db.rows import utcnow
from minova.objects import actions, states

LOG = logging.getLogger(__name__)

_F = db_migrations


def _flavor_columns(flavor: dict) -> dict:
    return {"flavor": flavor, "vcpus": flavor["vcpus"], "memory_mb": flavor["memory_mb"],
            "root_gb": flavor["root_gb"], "ephemeral_gb": flavor.get("ephemeral_gb", 0)}


def _vm_state_for(power_state: int) -> str:
    """Nova's confirm: a guest left shut off is SHUTOFF, else ACTIVE."""
    return states.STOPPED if power_state == states.SHUTDOWN else states.ACTIVE


class MoveEndpoints:
    """Mixed into ``ComputeTaskManager`` (which provides ``compute_api``,
    ``scheduler_api``, ``host`` and ``_in_background``)."""

    # --- the api's calls

    def migrate_server(self, ctxt: RequestContext, instance_uuid: str,
                       flavor_ref: str | None = None, host: str | None = None) -> dict:
        """Check and record a cold migration (``flavor_ref`` None) or a resize,
        answer with the instance (RESIZE), then schedule, claim and cast on
        the build pool (1.18)."""
        if not self.compute_api.can_move():
            raise exception.InstanceInvalidState(
                action=actions.RESIZE if flavor_ref else actions.MIGRATE,
                instance_uuid=instance_uuid, attr="compute RPC",
                state="version capped below 1.9 ([upgrade_levels] compute)")
        instance, migration = migrate_task.start(ctxt, instance_uuid, flavor_ref, host)
        self._in_background(f"move of instance {instance_uuid}", migrate_task.drive, ctxt,
                            self.scheduler_api, self.compute_api, instance, migration, host,
                            self.host)
        return instance

    def _start_verdict(self, ctxt: RequestContext, instance_uuid: str, action: str,
                       task_state: str, status: str) -> tuple[dict, dict]:
        """VERIFY_RESIZE and idle → ``task_state``, the migration ``finished`` →
        ``status``, the action recorded: one commit, or 409 (of a confirm and
        a revert racing, one wins)."""
        instance = db_instances.get(ctxt, instance_uuid)  # scoping: 404 for others
        migration = db_migrations.latest_for_instance(instance_uuid, [_F.FINISHED])
        if migration is None or instance["vm_state"] != states.RESIZED:
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=instance_uuid, attr="vm_state",
                state=instance["vm_state"])
        with transaction() as conn:
            try:
                instance = db_instances.update(
                    instance_uuid, {"task_state": task_state}, expected_task_state=[None],
                    expected_vm_state=[states.RESIZED], conn=conn)
            except exception.UnexpectedTaskStateError as exc:
                actual = exc.kwargs["actual"]
                attr = "vm_state" if actual["vm_state"] != states.RESIZED else "task_state"
                raise exception.InstanceInvalidState(
                    action=action, instance_uuid=instance_uuid, attr=attr,
                    state=actual[attr]) from None
            if not db_migrations.update(migration["uuid"], {"status": status},
                                        expected_status=[_F.FINISHED], conn=conn):
                raise exception.InstanceInvalidState(
                    action=action, instance_uuid=instance_uuid, attr="task_state",
                    state=task_state)
            db_actions.action_start(ctxt, instance_uuid, action, conn=conn)
        return instance, db_migrations.public(dict(migration, status=status))

    def confirm_resize(self, ctxt: RequestContext, instance_uuid: str) -> None:
        """Confirm: the source host cleans up (cast), then ``confirm_finished``."""
        instance, migration = self._start_verdict(
            ctxt, instance_uuid, actions.CONFIRM_RESIZE, states.RESIZE_CONFIRMING,
            _F.CONFIRMING)
        try:
            self.compute_api.confirm_resize(ctxt, migration["source_compute"], instance,
                                            migration)
        except Exception as exc:
            self.confirm_finished(ctxt, migration["uuid"], None,
                                  error=f"Could not send the confirm to the source host: "
                                        f"{type(exc).__name__}: {exc}")

    def revert_resize(self, ctxt: RequestContext, instance_uuid: str) -> None:
        """Revert: the destination destroys its guest and tells the source,
        which starts the old one again (casts), then ``revert_finished``."""
        instance, migration = self._start_verdict(
            ctxt, instance_uuid, actions.REVERT_RESIZE, states.RESIZE_REVERTING,
            _F.REVERTING)
        try:
            self.compute_api.revert_resize(ctxt, migration["dest_compute"], instance,
                                           migration)
        except Exception as exc:
            self.move_failed(ctxt, migration["uuid"], None,
                             f"Could not send the revert to the destination host: "
                             f"{type(exc).__name__}: {exc}", None, actions.EVENT_REVERT_RESIZE)

    # --- reads

    def migration_get_all(self, ctxt: RequestContext, filters: dict, limit=None,
                          marker=None) -> list[dict]:
        return db_migrations.get_all(filters, limit=limit, marker=marker)

    def migration_get(self, ctxt: RequestContext, migration_uuid: str) -> dict:
        return db_migrations.get(migration_uuid)

    def migrations_in_progress(self, ctxt: RequestContext, host: str) -> list[dict]:
        """The moves from or to ``host`` a restart of it interrupted."""
        moving = [m for m in db_migrations.get_all({"host": host})
                  if m["status"] in (_F.PRE_MIGRATING, _F.MIGRATING, _F.POST_MIGRATING,
                                     _F.CONFIRMING, _F.REVERTING)]
        return moving

    def migrations_unconfirmed(self, ctxt: RequestContext, host: str,
                               window: int) -> list[dict]:
        """``finished`` moves to ``host`` older than ``window`` seconds."""
        import datetime
        before = utcnow() - datetime.timedelta(seconds=window)
        return [db_migrations.public(m)
                for m in db_migrations.unconfirmed_before(host, before)]

    # --- the compute hosts' reports

    def move_step(self, ctxt: RequestContext, migration_uuid: str, host: str,
                  from_task_state: str, task_state: str, status: str | None = None,
                  power_state: int | None = None) -> None:
        """A step of the move began: the instance's task state (and the
        migration's status) move on; InstanceNotFound/UnexpectedTaskStateError
        when the instance moved on (the compute then stops)."""
        updates = {"task_state": task_state}
        if power_state is not None:
            updates["power_state"] = power_state
        migration = db_migrations.get(migration_uuid)
        with transaction() as conn:
            db_instances.update(migration["instance_uuid"], updates,
                                expected_task_state=[from_task_state], conn=conn,
                                reread=False)
            if status is not None:
                db_migrations.update(migration_uuid, {"status": status}, conn=conn)

    def move_finished(self, ctxt: RequestContext, migration_uuid: str, host: str,
                      power_state: int) -> None:
        """The guest runs on the destination: VERIFY_RESIZE (vm_state resized)
        with the new flavor on its new host; the migration ``finished``."""
        migration = db_migrations.get(migration_uuid)
        uuid = migration["instance_uuid"]
        try:
            with transaction() as conn:
                db_instances.update(uuid, {
                    "vm_state": states.RESIZED, "task_state": None, "power_state": power_state,
                    "host": migration["dest_compute"], "node": migration["dest_node"],
                    **_flavor_columns(migration["new_flavor"])},
                    expected_task_state=[states.RESIZE_FINISH], conn=conn, reread=False)
                db_migrations.update(migration_uuid, {"status": _F.FINISHED}, conn=conn)
                db_actions.event_finish(ctxt, uuid, actions.EVENT_FINISH_RESIZE,
                                        actions.SUCCESS, host, conn=conn, finish_action=True)
        except exception.UnexpectedTaskStateError as exc:
            if exc.kwargs["actual"]["vm_state"] != states.RESIZED:
                raise
            LOG.info("Finish of the move of %s was already recorded", uuid)

    def move_failed(self, ctxt: RequestContext, migration_uuid: str, host: str | None,
                    error: str, details: str | None, event: str) -> None:
        """A step failed. Before the guest left the source (prep, or the
        source's power off failed and it restored its guest): back on the
        source as it was. After that, or in a revert: ERROR with the fault,
        the claims exact for where the instance is recorded."""
        migration = db_migrations.get(migration_uuid)
        uuid = migration["instance_uuid"]
        status = migration["status"]
        if status in (_F.PRE_MIGRATING, _F.MIGRATING):
            migrate_task.fail_before_move(ctxt, migration_uuid, error, host, details, event)
            return
        if status in (_F.ERROR, _F.CONFIRMED, _F.REVERTED):
            LOG.info("Failure of the move of %s already recorded", uuid)
            return
        try:
            with transaction() as conn:
                if status == _F.POST_MIGRATING:
                    # The instance is still the source's: it keeps that claim.
                    move_claims.revert(uuid, migration_uuid, conn=conn)
                else:  # finished, reverting, confirming: it is the destination's
                    move_claims.confirm(migration_uuid, conn=conn)
                db_instances.update(uuid, {"vm_state": states.ERROR, "task_state": None},
                                    conn=conn, reread=False)
                db_migrations.update(migration_uuid, {"status": _F.ERROR}, conn=conn)
                db_instances.add_fault(uuid, 500, error, details, host, conn=conn)
                db_actions.event_finish(ctxt, uuid, event, actions.ERROR, host,
                                        details=error, traceback=details, conn=conn,
                                        finish_action=True)
        except exception.InstanceNotFound:
            LOG.info("Move of %s failed (%s), but the instance is gone", uuid, error)
            return
        LOG.warning("Move of %s failed: the server is in ERROR: %s", uuid, error)

    def confirm_finished(self, ctxt: RequestContext, migration_uuid: str, host: str | None,
                         power_state: int | None = None, error: str | None = None,
                         details: str | None = None) -> None:
        """The source cleaned up: its claim freed, the migration ``confirmed``,
        the server ACTIVE (SHUTOFF if its guest is off). An error: the same
        accounting (the guest is the destination's), ERROR with the fault."""
        migration = db_migrations.get(migration_uuid)
        uuid = migration["instance_uuid"]
        if migration["status"] != _F.CONFIRMING:
            LOG.info("Confirm of %s already recorded", uuid)
            return
        if error:
            self.move_failed(ctxt, migration_uuid, host, error, details,
                             actions.EVENT_CONFIRM_RESIZE)
            return
        with transaction() as conn:
            move_claims.confirm(migration_uuid, conn=conn)
            updates = {"task_state": None, "vm_state": _vm_state_for(power_state)}
            db_instances.update(uuid, updates, expected_task_state=[states.RESIZE_CONFIRMING],
                                conn=conn, reread=False)
            db_migrations.update(migration_uuid, {"status": _F.CONFIRMED}, conn=conn)
            db_actions.event_finish(ctxt, uuid, actions.EVENT_CONFIRM_RESIZE, actions.SUCCESS,
                                    host, conn=conn, finish_action=True)

    def revert_finished(self, ctxt: RequestContext, migration_uuid: str, host: str,
                        power_state: int) -> None:
        """The old guest runs on the source again: old flavor, old host, old
        vm_state; the destination's claim freed, the source's the instance's."""
        migration = db_migrations.get(migration_uuid)
        uuid = migration["instance_uuid"]
        if migration["status"] != _F.REVERTING:
            LOG.info("Revert of %s already recorded", uuid)
            return
        with transaction() as conn:
            move_claims.revert(uuid, migration_uuid, conn=conn)
            db_instances.update(uuid, {
                "vm_state": migration["old_vm_state"], "task_state": None,
                "power_state": power_state, "host": migration["source_compute"],
                "node": migration["source_node"], **_flavor_columns(migration["old_flavor"])},
                expected_task_state=[states.RESIZE_REVERTING], conn=conn, reread=False)
            db_migrations.update(migration_uuid, {"status": _F.REVERTED}, conn=conn)
            db_actions.event_finish(ctxt, uuid, actions.EVENT_FINISH_REVERT_RESIZE,
                                    actions.SUCCESS, host, conn=conn, finish_action=True)
