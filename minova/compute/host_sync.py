"""Keeping a compute host and the database in agreement.

At start (``recover``): guests whose instances are gone from this host in
the database are destroyed, a delete that was under way is finished, a
build that was spawning is reported if its guest runs (else taken again
when its cast comes, see ``_recover_build``), and an interrupted action is
cleared so the user can try again. On a timer (``sync_power_states``):
a guest whose power state changed behind minova's back is recorded, with
Nova's rules for what the vm_state becomes (a guest that stopped by
itself is SHUTOFF).
"""

import traceback

from oslo_log import log as logging

from minova import context as minova_context
from minova import exception
from minova.objects import states

LOG = logging.getLogger(__name__)

_INTERRUPTIBLE = (states.POWERING_OFF, states.POWERING_ON, states.REBOOTING,
                  states.REBOOTING_HARD, states.PAUSING, states.UNPAUSING, states.SUSPENDING,
                  states.RESUMING)

_OFF = (states.SHUTDOWN, states.CRASHED)


def recover(manager) -> None:
    """Run once at service start, after the driver is connected."""
    ctxt = minova_context.get_admin_context()
    try:
        instances = manager.conductor_api.instance_get_all_by_host(ctxt, manager.host)
    except Exception:
        LOG.exception("Could not list this host's instances; skipping start-up recovery")
        return
    ours = {i["uuid"] for i in instances}
    for uuid in manager.driver.list_instance_uuids():
        if uuid not in ours:
            LOG.warning("Destroying guest %s: its instance is not on this host any more", uuid)
            try:
                manager.driver.destroy(ctxt, {"uuid": uuid})
            except Exception:
                LOG.exception("Could not destroy orphan guest %s", uuid)
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
        manager.conductor_api.instance_destroy(ctxt, uuid, manager.host)
    elif task_state == states.SPAWNING:
        _recover_build(manager, ctxt, instance)
    elif task_state in _INTERRUPTIBLE:
        LOG.warning("Clearing task state %s of %s, interrupted by a restart", task_state, uuid)
        manager.conductor_api.instance_update(
            ctxt, uuid, {"task_state": None, "power_state": manager._power_state(instance)},
            expected_task_state=[task_state])


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
