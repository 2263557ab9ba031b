"""A cold migration or resize, the conductor's part (Nova's ``_cold_migrate``
and ``MigrationTask``), and the records of each later step.

``start`` runs in the api's call: Nova's checks (state, flavor, host), then
one transaction that moves the instance to ``resize_prep`` (a
compare-and-swap on an idle ACTIVE or SHUTOFF server: of racing actions one
wins, the others get 409), inserts the migration (``pre-migrating``) and
records the ``migrate`` or ``resize`` action. ``drive`` then runs on the
conductor's build pool: ``select_destinations`` with the new flavor (the
source host ignored unless a resize may stay there, a 2.56 ``host`` as the
requested destination), the destination claim (``db.move_claims``), and
the cast of ``prep_resize`` to the destination's compute. A failure there
puts the server back as it was, on its source, with a fault, and the
migration in ``error`` (Nova's ``_set_vm_state_and_notify``).

The compute hosts report each step through the functions below (each one
transaction: instance, migration, claims, event, action).
"""

import json

from oslo_config import cfg
from oslo_log import log as logging

from minova import exception, servicegroup
from minova.conductor import quotas as conductor_quotas
from minova.conductor import scheduler_hints
from minova.conductor.tasks import create as create_task
from minova.context import RequestContext
from minova.db import actions as db_actions
from minova.db import compute_nodes as db_compute_nodes
from minova.db import flavors as db_flavors
from minova.db import instances as db_instances
from minova.db import move_claims
from minova.db import server_migrations as db_migrations
from minova.db.engine import transaction
from minova.db.rows import utcnow
from minova.objects import actions, capacity, states
from minova.objects import request_spec as spec_lib

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

MOVE_VM_STATES = (states.ACTIVE, states.STOPPED)
# The task states of a move before it finished (the guest is still the
# source's, the instance's host the source).
MOVING = (states.RESIZE_PREP, states.RESIZE_MIGRATING, states.RESIZE_MIGRATED,
          states.RESIZE_FINISH)


def start(ctxt: RequestContext, instance_uuid: str, flavor_ref: str | None,
          host: str | None = None) -> tuple[dict, dict]:
    """Check the move and record it; ``flavor_ref`` None is a cold migration.

    Returns the instance (in resize_prep) and the migration. Raises what the
    api answers: InstanceNotFound (404), InstanceInvalidState (409),
    FlavorNotFoundForBuild, CannotResizeToSameFlavor, CannotResizeDisk,
    CannotMigrateToSameHost, MigrationHostNotFound (400), TooManyInstances
    (403: a resize's growth over the quota).
    """
    instance = db_instances.get(ctxt, instance_uuid)
    action = actions.RESIZE if flavor_ref is not None else actions.MIGRATE
    _check_state(instance, action)
    old_flavor = instance["flavor"]
    if flavor_ref is None:
        new_flavor = old_flavor
    else:
        new_flavor = create_task._flavor_for_build(ctxt, str(flavor_ref))
        _check_flavor(old_flavor, new_flavor)
    if host is not None:
        if host == instance["host"]:
            raise exception.CannotMigrateToSameHost()
        if not db_compute_nodes.host_exists(host):
            raise exception.MigrationHostNotFound(host=host)
    # Read before the transaction: on SQLite a read on another connection
    # would wait for this one's write lock.
    type_ids = _flavor_id(old_flavor), _flavor_id(new_flavor)
    with transaction() as conn:
        if flavor_ref is not None:
            conductor_quotas.check_upsize(conn, instance["project_id"], instance["user_id"],
                                          old_flavor, new_flavor)
        try:
            instance = db_instances.update(
                instance_uuid, {"task_state": states.RESIZE_PREP},
                expected_task_state=[None], expected_vm_state=list(MOVE_VM_STATES), conn=conn)
        except exception.UnexpectedTaskStateError as exc:
            actual = exc.kwargs["actual"]
            attr = "vm_state" if actual["vm_state"] not in MOVE_VM_STATES else "task_state"
            raise exception.InstanceInvalidState(action=action, instance_uuid=instance_uuid,
                                                 attr=attr, state=actual[attr]) from None
        migration = db_migrations.create({
            "uuid": _new_uuid(), "instance_uuid": instance_uuid,
            "source_compute": instance["host"], "source_node": instance["node"],
            "dest_host": None,
            "old_instance_type_id": type_ids[0], "new_instance_type_id": type_ids[1],
            "status": db_migrations.PRE_MIGRATING,
            "migration_type": "resize" if flavor_ref is not None else "migration",
            "project_id": instance["project_id"], "user_id": instance["user_id"],
            "old_flavor": old_flavor, "new_flavor": new_flavor,
            "old_vm_state": instance["vm_state"]}, conn=conn)
        db_actions.action_start(ctxt, instance_uuid, action, conn=conn)
    return instance, migration


def _new_uuid() -> str:
    from oslo_utils import uuidutils
    return uuidutils.generate_uuid()


def _flavor_id(flavor: dict) -> int | None:
    try:
        return db_flavors.flavor_get(flavor["flavorid"], public_projects=False)["id"]
    except exception.NotFound:
        return None


def _check_state(instance: dict, action: str) -> None:
    uuid = instance["uuid"]
    if instance["vm_state"] not in MOVE_VM_STATES:
        raise exception.InstanceInvalidState(action=action, instance_uuid=uuid,
                                             attr="vm_state", state=instance["vm_state"])
    if instance["task_state"] is not None:
        raise exception.InstanceInvalidState(action=action, instance_uuid=uuid,
                                             attr="task_state", state=instance["task_state"])
    if not instance.get("host"):
        raise exception.InstanceNotReady(instance_id=uuid)


def _check_flavor(old: dict, new: dict) -> None:
    """Nova's resize checks of the new flavor (400)."""
    if new["flavorid"] == old["flavorid"]:
        raise exception.CannotResizeToSameFlavor()
    if new["root_gb"] == 0 and old["root_gb"] != 0:
        raise exception.CannotResizeDisk(reason="Resize to zero disk flavor is not allowed.")
    if new["root_gb"] < old["root_gb"]:
        raise exception.CannotResizeDisk(
            reason=f"the new flavor's root disk ({new['root_gb']} GiB) is smaller than the "
                   f"current one ({old['root_gb']} GiB)")


def drive(ctxt: RequestContext, scheduler_api, compute_api, instance: dict,
          migration: dict, host: str | None, conductor_host: str | None = None) -> None:
    """Schedule, claim the destination, and cast ``prep_resize`` there."""
    uuid = instance["uuid"]
    started = utcnow()
    db_actions.event_start(ctxt, uuid, actions.EVENT_MIGRATE_SERVER, conductor_host)
    spec = _spec(ctxt, instance, migration, host)
    try:
        result = scheduler_api.select_destinations(ctxt, spec, [uuid])
        hosts = result["selections"][0]
        decision = (result.get("decisions") or [None])[0]
        if not hosts:
            raise exception.NoValidHost(reason=(decision or {}).get("reason") or "")
        selection = _claim(ctxt, instance, migration, hosts, decision, started, conductor_host)
    except exception.NoValidHost as exc:
        fail_before_move(ctxt, migration["uuid"], exc.format_message(), conductor_host)
        return
    except Exception as exc:
        LOG.exception("Scheduling the move of %s failed", uuid)
        fail_before_move(ctxt, migration["uuid"],
                         f"Could not schedule the move: {_describe(exc)}", conductor_host)
        return
    migration = db_migrations.get(migration["uuid"])
    try:
        compute_api.prep_resize(ctxt, selection["service_host"], instance,
                                db_migrations.public(migration), migration["new_flavor"])
    except Exception as exc:
        LOG.exception("Could not send the move of %s to %s", uuid, selection["service_host"])
        fail_before_move(ctxt, migration["uuid"],
                         f"Could not send the move to its destination: {_describe(exc)}")


def _spec(ctxt: RequestContext, instance: dict, migration: dict, host: str | None) -> dict:
    image = None
    try:
        image = create_task._image_for_build(ctxt, instance.get("image_ref"))
    except exception.MinovaException:  # gone or not active: schedule on what is kept
        pass
    if image is None:
        image = {"id": instance.get("image_ref"),
                 "properties": dict(instance.get("image_properties") or {})}
    else:
        image = {k: image.get(k) for k in create_task.IMAGE_KEYS}
    spec = spec_lib.build(
        instance_uuids=[instance["uuid"]], project_id=instance["project_id"],
        user_id=instance["user_id"], flavor=migration["new_flavor"], image=image,
        availability_zone=instance.get("pinned_availability_zone"),
        scheduler_hints=instance.get("scheduler_hints") or {},
        requested_destination={"host": host, "node": None} if host else None)
    same_host_ok = (migration["migration_type"] == "resize"
                    and CONF.allow_resize_to_same_host)
    if not same_host_ok:
        spec["ignore_hosts"] = [instance["host"]]
    return scheduler_hints.resolve(ctxt, spec)


def _claim(ctxt: RequestContext, instance: dict, migration: dict, hosts: list, decision,
           started, conductor_host: str | None) -> dict:
    """Claim the first host that still has room; record the decision."""
    uuid = instance["uuid"]
    resources = capacity.requested_resources(migration["new_flavor"])
    for selection in hosts:
        dest = selection["service_host"]
        now = utcnow()
        try:
            with transaction() as conn:
                db_instances.update(uuid, {}, expected_task_state=[states.RESIZE_PREP],
                                    conn=conn, reread=False)
                move_claims.claim_destination(
                    uuid, migration["uuid"], selection["compute_node_id"], dest, resources,
                    conn=conn, alive_since=servicegroup.alive_since(now))
                db_migrations.update(migration["uuid"], {
                    "dest_compute": dest, "dest_node": selection["nodename"],
                    "dest_host": dest}, expected_status=[db_migrations.PRE_MIGRATING],
                    conn=conn)
                db_actions.event_finish(
                    ctxt, uuid, actions.EVENT_MIGRATE_SERVER, actions.SUCCESS,
                    conductor_host, details=json.dumps(decision) if decision else None,
                    conn=conn)
        except exception.ClaimFailed:
            LOG.info("Move claim for %s on %s lost a race; trying the next host", uuid, dest)
            continue
        LOG.info("Claimed %(vcpus)s vCPU, %(memory_mb)s MiB RAM, %(disk_gb)s GiB disk on "
                 "%(host)s for the move of %(uuid)s", dict(resources, host=dest, uuid=uuid))
        return selection
    raise exception.NoValidHost(
        reason="Every host chosen for it was full by the time it was claimed.")


def fail_before_move(ctxt: RequestContext, migration_uuid: str, message: str,
                     host: str | None = None, details: str | None = None,
                     event: str = actions.EVENT_MIGRATE_SERVER) -> None:
    """The move failed with the guest still on its source: the server back as
    it was there (its vm_state, task none, its old allocation), a fault,
    the migration ``error``."""
    migration = db_migrations.get(migration_uuid)
    uuid = migration["instance_uuid"]
    try:
        with transaction() as conn:
            db_instances.update(uuid, {"vm_state": migration["old_vm_state"],
                                       "task_state": None},
                                expected_task_state=list(MOVING), conn=conn, reread=False)
            move_claims.revert(uuid, migration_uuid, conn=conn)
            db_migrations.update(migration_uuid, {"status": db_migrations.ERROR}, conn=conn)
            db_instances.add_fault(uuid, 500, message, details, host, conn=conn)
            db_actions.event_finish(ctxt, uuid, event, actions.ERROR, host, details=message,
                                    traceback=details, conn=conn, finish_action=True)
    except (exception.UnexpectedTaskStateError, exception.InstanceNotFound):
        LOG.info("Move of %s failed (%s), but the instance has moved on", uuid, message)
        return
    LOG.warning("Move of %s failed, the server stays on %s: %s", uuid,
                migration["source_compute"], message)


def _describe(exc: Exception) -> str:
    if isinstance(exc, exception.MinovaException):
        return exc.format_message()
    return f"{type(exc).__name__}: {exc}"
