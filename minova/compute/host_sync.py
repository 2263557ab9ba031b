"""Keeping a compute host and the database in agreement.

At start (``recover``): guests whose instances are not this host's are
handled as ``running_deleted_instance_action`` says (``running_deleted``),
a delete that was under way is finished, a build that was spawning is
reported if its guest runs (else taken again when its cast comes, see
``_recover_build``), an interrupted action is cleared so the user can
try again, and an interrupted rebuild is ERROR with a fault (as Nova), as
is an interrupted rescue or unrescue (its guest may be half switched).
Then every idle instance is compared with its guest: one whose guest the
driver does not have goes to ERROR with a fault saying so, the others get
the power-state sync at once (Nova runs it at start too). On a timer
(``sync_power_states``): a guest whose power state changed behind minova's
back is recorded, with Nova's rules for what the vm_state becomes (a guest
that stopped by itself is SHUTOFF).

A missing guest is ERROR, not SHUTOFF: SHUTOFF promises that a start
brings the server back, and with the guest gone no start can (minova's
drivers recreate nothing from the disk); ERROR with the fault tells the
user and the operator the truth and still allows the delete, or a
rebuild, which makes the guest anew from an image. Nova, whose
power-state sync only logs "Instance is unexpectedly not found. Ignore."
for an ACTIVE instance, leaves it ACTIVE; at start, after ``init_host``
connected the driver, the driver's answer is final, so minova does not
wait. The periodic sync keeps Nova's rule (a hypervisor restarting under
a running service may not list a guest for a moment).
"""

import traceback

from oslo_log import log as logging

from minova import context as minova_context
from minova import exception
from minova.compute import running_deleted
from minova.objects import actions, states

LOG = logging.getLogger(__name__)

_INTERRUPTIBLE = (states.POWERING_OFF, states.POWERING_ON, states.REBOOTING,
                  states.REBOOTING_HARD, states.PAUSING, states.UNPAUSING, states.SUSPENDING,
                  states.RESUMING, states.SOFT_DELETING, states.RESTORING,
                  # Nova's _init_instance clears a snapshot or shelve a restart
                  # cut short too (its image is left queued, for the user to delete).
                  states.IMAGE_SNAPSHOT_PENDING, states.IMAGE_SNAPSHOT,
                  states.IMAGE_PENDING_UPLOAD, states.IMAGE_UPLOADING, states.SHELVING,
                  states.SHELVING_IMAGE_PENDING_UPLOAD, states.SHELVING_IMAGE_UPLOADING,
                  states.SHELVING_OFFLOADING, states.UNSHELVING)

_OFF = (states.SHUTDOWN, states.CRASHED)

_REBUILDING = (states.REBUILDING, states.REBUILD_SPAWNING)

# An interrupted rescue or unrescue, with its event and the name in its fault.
_RESCUING = {states.RESCUING: (actions.EVENT_RESCUE, "rescue"),
             states.UNRESCUING: (actions.EVENT_UNRESCUE, "unrescue")}

# vm_states that say a guest exists on the instance's host.
_HAS_GUEST = (states.ACTIVE, states.STOPPED, states.PAUSED, states.SUSPENDED,
              states.RESCUED)


def recover(manager) -> None:
    """Run once at service start, after the driver is connected."""
    ctxt = minova_context.get_admin_context()
    try:
        instances = manager.conductor_api.instance_get_all_by_host(ctxt, manager.host)
    except Exception:
        LOG.exception("Could not list this host's instances; skipping start-up recovery")
        return
    ours = {i["uuid"] for i in instances}
    running_deleted.handle(manager, ctxt,
                           [u for u in manager.driver.list_instance_uuids() if u not in ours])
    for instance in instances:
        try:
            _recover_instance(manager, ctxt, instance)
        except Exception:
            LOG.exception("Recovery of instance %s failed", instance["uuid"])


def _recover_instance(manager, ctxt, instance: dict) -> None:
    uuid, task_state = instance["uuid"], instance["task_state"]
    if task_state == states.DELETING:
        LOG.info("Finishing the delete of %s interrupted by a restart", uuid)
        manager.driver.destroy(ctxt, instance)
        manager.report.instance_destroy(ctxt, uuid, manager.host)
    elif task_state == states.SPAWNING:
        _recover_build(manager, ctxt, instance)
    elif task_state in _REBUILDING:
        _fail_rebuild(manager, ctxt, instance)
    elif task_state in _RESCUING:
        _fail_interrupted(manager, ctxt, instance, *_RESCUING[task_state])
    elif task_state in _INTERRUPTIBLE:
        LOG.warning("Clearing task state %s of %s, interrupted by a restart", task_state, uuid)
        power_state = manager._power_state(instance)
        manager.conductor_api.instance_update(
            ctxt, uuid, {"task_state": None, "power_state": power_state},
            expected_task_state=[task_state])
        _reconcile_idle(manager, ctxt, dict(instance, task_state=None, power_state=power_state))
    elif task_state is None:
        _reconcile_idle(manager, ctxt, instance)


def _fail_rebuild(manager, ctxt, instance: dict) -> None:
    """A rebuild this host had not finished when it stopped: ERROR, as Nova's
    ``_init_instance`` does (its root disk may be half made; a rebuild again,
    or a delete, is the way on). A rebuild cast still queued here then
    finds the instance moved on, and is skipped."""
    _fail_interrupted(manager, ctxt, instance, actions.EVENT_REBUILD, "rebuild",
                      "rebuild it again or delete it")


def _fail_interrupted(manager, ctxt, instance: dict, event: str, what: str,
                      way_on: str = "rescue it again or delete it") -> None:
    """ERROR with a fault naming the ``what`` the restart interrupted.

    Nova's ``_init_instance`` leaves a rescue or unrescue in its task_state
    for good; minova ends it visibly instead, as a rebuild: the guest may
    be half switched between the rescue and the original domain. A rescue
    from ERROR (allowed, as in Nova) or a delete is the way on."""
    uuid = instance["uuid"]
    message = (f"The compute service restarted during the {what} of the server; "
               f"{way_on}")
    LOG.warning("Instance %s was %s when this service started; setting ERROR", uuid,
                instance["task_state"])
    try:
        manager.report.instance_action_finish(
            ctxt, uuid, event, manager.host,
            {"vm_state": states.ERROR, "task_state": None,
             "power_state": manager._power_state(instance)},
            expected_task_state=[instance["task_state"]], error=message)
    except (exception.UnexpectedTaskStateError, exception.InstanceNotFound):
        LOG.info("Instance %s changed while it was checked at start; left to that change",
                 uuid)


def _reconcile_idle(manager, ctxt, instance: dict) -> None:
    """An idle instance at start: ERROR if its guest is gone, else the power-state sync."""
    if instance["vm_state"] not in _HAS_GUEST:
        return  # ERROR stays as it is (as in Nova); BUILDING is the build's
    uuid = instance["uuid"]
    with manager._locks(uuid):
        try:
            if _has_guest(manager, instance):
                _sync_one(manager, ctxt, instance)
                return
            # No host name: the fault's message is the owner's to read (the
            # event records the host, for admins).
            message = (f"Guest not found on its host when the compute service started "
                       f"(the instance was {instance['vm_state']}): the hypervisor lost it")
            LOG.warning("Instance %s: %s; setting ERROR", uuid, message)
            # The fault and the states in one commit; no action is recorded
            # (none was asked for), so the event matches nothing.
            manager.report.instance_action_finish(
                ctxt, uuid, actions.EVENT_POWER_SYNC, manager.host,
                {"vm_state": states.ERROR, "task_state": None, "power_state": states.NOSTATE},
                expected_task_state=[None], error=message)
        except (exception.UnexpectedTaskStateError, exception.InstanceNotFound):
            LOG.info("Instance %s changed while it was checked at start; left to that change",
                     uuid)


def _has_guest(manager, instance: dict) -> bool:
    try:
        manager.driver.get_info(instance)
    except exception.InstanceNotFound:
        return False
    return True


def _recover_build(manager, ctxt, instance: dict) -> None:
    """A build claimed for this host before the service restarted.

    A guest that runs was spawned: its outcome is reported now. A guest
    left half made is destroyed. Either way the build is not failed: its
    cast may still wait in this host's queue (then it runs now), or it was
    taken by the process that died, and build recovery on the conductor
    casts it again when this host's heartbeat does not list it.
    """
    uuid = instance["uuid"]
    power = manager._power_state(instance)
    if power == states.RUNNING:
        LOG.info("Instance %s was spawned before the restart; reporting its build", uuid)
        manager._report_built(ctxt, instance, instance.get("node"))
        return
    if power != states.NOSTATE:
        LOG.warning("Destroying the half-built guest of %s left by a restart", uuid)
        manager.driver.destroy(ctxt, instance)
    LOG.info("Build of %s was interrupted by a restart; it is taken again when cast", uuid)


def sync_power_states(manager) -> None:
    """Compare every idle instance's power state with its guest's; apply Nova's rules."""
    ctxt = minova_context.get_admin_context()
    for instance in manager.conductor_api.instance_get_all_by_host(ctxt, manager.host):
        if instance["task_state"] is not None or instance["vm_state"] == states.BUILDING:
            continue  # an action is under way: it will set the states itself
        with manager._locks(instance["uuid"]):
            try:
                _sync_one(manager, ctxt, instance)
            except (exception.UnexpectedTaskStateError, exception.InstanceNotFound):
                pass  # a user action or a delete started meanwhile; it wins
            except Exception:
                LOG.warning("Power state sync of %s failed:\n%s", instance["uuid"],
                            traceback.format_exc())


def _sync_one(manager, ctxt, instance: dict) -> None:
    uuid, vm_state = instance["uuid"], instance["vm_state"]
    power = manager._power_state(instance)
    updates = {}
    if power != instance["power_state"]:
        updates["power_state"] = power
    if vm_state == states.ACTIVE and power in _OFF + (states.POWER_SUSPENDED,):
        LOG.warning("Instance %s stopped behind minova's back (power state %s); it is now "
                    "SHUTOFF", uuid, states.POWER_STATE_NAMES.get(power))
        if power == states.POWER_SUSPENDED:
            manager.driver.power_off(ctxt, instance, 0)
            updates["power_state"] = manager._power_state(instance)
        updates["vm_state"] = states.STOPPED
    elif vm_state in (states.PAUSED, states.SUSPENDED) and power in _OFF:
        LOG.warning("Instance %s (%s) is shut off; it is now SHUTOFF", uuid, vm_state)
        updates["vm_state"] = states.STOPPED
    elif vm_state == states.STOPPED and power not in _OFF + (states.NOSTATE,):
        LOG.warning("Instance %s should be stopped but runs; powering it off", uuid)
        manager.driver.power_off(ctxt, instance, 0)
        updates["power_state"] = manager._power_state(instance)
    elif vm_state == states.ACTIVE and power == states.NOSTATE:
        LOG.warning("Guest of instance %s is unexpectedly not found", uuid)
    if updates:
        manager.conductor_api.instance_update(ctxt, uuid, updates, expected_task_state=[None],
                                              expected_vm_state=[vm_state])
