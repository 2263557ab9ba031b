"""Guests a compute host runs whose instances are not this host's (Nova's "running deleted").

A guest outlives its instance when the host was down or the compute
service dead while the instance was deleted elsewhere (the conductor
deletes the instance of a host that is down without it), or when a
destroy failed. It holds the host's memory and CPUs that the database has
given back, so the scheduler would overcommit the host. What is done with
such guests is ``[DEFAULT] running_deleted_instance_action``, Nova's option
with Nova's default (``reap``): at service start (Nova's periodic task
runs immediately too) and every ``running_deleted_instance_poll_interval``.

"Not this host's": the database says the instance is deleted, or lives on
another host (or none: it went back to scheduling). A guest the database
has no record of at all is only logged, whatever the option says: as in
Nova, which only acts on instances it finds deleted, a guest minova cannot
tell is its own is not destroyed. Each guest is looked up again under the
instance's lock, so a build that claimed this host for it in the meantime
keeps its guest.
"""

from oslo_config import cfg
from oslo_log import log as logging

from minova import context as minova_context
from minova import exception
from minova.objects import states

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def handle(manager, ctxt, uuids) -> None:
    """Apply the configured action to each of the guests ``uuids`` that is not this host's."""
    action = CONF.running_deleted_instance_action
    if action == "noop":
        return
    for uuid in uuids:
        with manager._locks(uuid):
            try:
                _handle_one(manager, ctxt, uuid, action)
            except Exception:  # one guest must not stop the others
                LOG.exception("Could not apply %s to guest %s", action, uuid)


def check(manager) -> None:
    """The periodic look: guests of the driver that the database does not place here."""
    ctxt = minova_context.get_admin_context()
    ours = {i["uuid"] for i in manager.conductor_api.instance_get_all_by_host(ctxt, manager.host)}
    handle(manager, ctxt, [u for u in manager.driver.list_instance_uuids() if u not in ours])


def _handle_one(manager, ctxt, uuid: str, action: str) -> None:
    try:
        instance = manager.conductor_api.instance_get(ctxt, uuid, read_deleted=True)
    except exception.InstanceNotFound:
        LOG.warning("Guest %s on %s has no instance in the database; it is left alone "
                    "(it may not be minova's)", uuid, manager.host)
        return
    deleted = bool(instance.get("deleted")) or instance.get("vm_state") == states.DELETED
    if not deleted and instance.get("host") == manager.host:
        return  # claimed for this host since the guests were listed: its build's
    if not deleted and (instance.get("vm_state") == states.RESIZED
                        or (instance.get("task_state") or "").startswith("resize_")):
        return  # a move's other host keeps its guest until confirm or revert
    where = ("is deleted" if deleted else
             f"is on {instance['host']}" if instance.get("host") else "has no host")
    if action == "log":
        LOG.warning("Guest %s runs on %s but its instance %s", uuid, manager.host, where)
    elif action == "shutdown":
        LOG.warning("Powering off guest %s on %s: its instance %s", uuid, manager.host, where)
        manager.driver.power_off(ctxt, {"uuid": uuid}, 0)
    elif action == "reap":
        LOG.warning("Destroying guest %s on %s: its instance %s", uuid, manager.host, where)
        manager.driver.destroy(ctxt, {"uuid": uuid})
