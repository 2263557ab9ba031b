"""Unshelve and the end of an offload: the conductor's part of shelving
(conductor RPC 1.17), mixed into ``ComputeTaskManager``.

createImage, shelve and shelveOffload start in the api (the image record,
the compare-and-swap into the first task state, the cast to the host), as
in Nova. Two things need the database and the scheduler, and are here:

* ``unshelve_instance`` (a call from the api): Nova's checks (the state:
  SHELVED or SHELVED_OFFLOADED and idle, else 409; 2.77's zone and 2.91's
  host only for an offloaded server, 409 else, and each must exist, 400),
  then one transaction: the compare-and-swap to ``unshelving`` (with the
  new zone) and the ``unshelve`` action. A SHELVED server's guest is still
  on its host: **cast** ``unshelve_instance`` there, which powers it on.
  An offloaded one is placed as a build is, on the build pool: **call**
  ``select_destinations``, the claim (moving it to ``spawning`` on its
  new host), then **cast** ``unshelve_instance`` with the shelve snapshot.
  No host, or any failure before the cast, leaves it SHELVED_OFFLOADED
  with a fault naming the cause, its action closed as an error.
* ``shelve_offload_finish`` (a call from the compute, retried): the guest
  is gone from ``host``, so in one transaction its claim is freed, its
  host and node cleared, and it is SHELVED_OFFLOADED; with ``error`` (a
  spawn that failed at unshelve) the same, plus the fault.
"""

import json

from oslo_config import cfg
from oslo_log import log as logging

from minova import exception, servicegroup
from minova.conductor.tasks import create as create_task
from minova.context import RequestContext
from minova.db import actions as db_actions
from minova.db import availability_zones as db_azs
from minova.db import claims as db_claims
from minova.db import compute_nodes as db_compute_nodes
from minova.db import instances as db_instances
from minova.db.engine import transaction
from minova.db.rows import utcnow
from minova.objects import actions, capacity, states
from minova.objects import request_spec as spec_lib

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

UNSHELVE_VM_STATES = (states.SHELVED, states.SHELVED_OFFLOADED)


def start_unshelve(ctxt: RequestContext, instance_uuid: str, new_zone: dict | None,
                   host: str | None) -> tuple[dict, dict]:
    """Check an unshelve and move the instance to ``unshelving``.

    ``new_zone``: ``{"availability_zone": name or None}`` when the request
    gave one (2.77; None, from 2.91, unpins the server), else None.
    Returns the instance before and after.
    """
    before = db_instances.get(ctxt, instance_uuid)  # scoping: another project's is 404
    for attr, allowed in (("vm_state", UNSHELVE_VM_STATES), ("task_state", (None,))):
        if before[attr] not in allowed:
            raise exception.InstanceInvalidState(action=actions.UNSHELVE,
                                                 instance_uuid=instance_uuid, attr=attr,
                                                 state=before[attr])
    if (new_zone is not None or host) and before["vm_state"] != states.SHELVED_OFFLOADED:
        raise exception.UnshelveInstanceInvalidState(instance_uuid=instance_uuid,
                                                     state=states.SHELVED.upper())
    zone = (new_zone or {}).get("availability_zone")
    if zone and zone not in (db_azs.availability_zones() | {CONF.default_availability_zone}):
        raise exception.AvailabilityZoneNotFound()
    if host:
        _check_host(host, zone)
    values = {"task_state": states.UNSHELVING}
    if new_zone is not None:
        values.update(availability_zone=zone, pinned_availability_zone=zone)
    with transaction() as conn:
        try:
            after = db_instances.update(instance_uuid, values, expected_task_state=[None],
                                        expected_vm_state=list(UNSHELVE_VM_STATES),
                                        conn=conn)
        except exception.UnexpectedTaskStateError as exc:
            actual = exc.kwargs["actual"]
            attr = ("vm_state" if actual["vm_state"] not in UNSHELVE_VM_STATES
                    else "task_state")
            raise exception.InstanceInvalidState(
                action=actions.UNSHELVE, instance_uuid=instance_uuid, attr=attr,
                state=actual[attr]) from None
        db_actions.action_start(ctxt, instance_uuid, actions.UNSHELVE, conn=conn)
    return before, after


def _check_host(host: str, zone: str | None) -> None:
    """2.91: the host must be a compute host (400), in the zone if one is given."""
    zones = {node["host"]: node.get("availability_zone") or CONF.default_availability_zone
             for node, _service in db_compute_nodes.compute_nodes_with_services()}
    if host not in zones:
        raise exception.UnshelveHostNotFound(host=host)
    if zone and zones[host] != zone:
        raise exception.InvalidInput(
            reason=f"Host '{host}' is not in availability zone '{zone}'.")


def place_and_cast(ctxt: RequestContext, builder, compute_api, instance: dict,
                   host: str | None, conductor_host: str) -> None:
    """An offloaded server's unshelve, after the api's answer: schedule,
    claim, cast. Every failure leaves it SHELVED_OFFLOADED with a fault."""
    uuid = instance["uuid"]
    started = utcnow()
    db_actions.event_start(ctxt, uuid, actions.EVENT_UNSHELVE_SCHEDULE, conductor_host)
    try:
        image = _shelve_image(ctxt, instance)
        spec = spec_lib.build(
            instance_uuids=[uuid], project_id=instance["project_id"],
            user_id=instance["user_id"], flavor=instance["flavor"], image=image,
            availability_zone=instance.get("availability_zone"),
            scheduler_hints=instance.get("scheduler_hints"),
            requested_destination={"host": host} if host else None)
        result = builder.select(ctxt, spec, [uuid])
        claimed, selection = _claim(ctxt, instance, result["selections"][0], spec,
                                    (result.get("decisions") or [None])[0], started,
                                    conductor_host)
    except (exception.NoValidHost, exception.SchedulerUnavailable,
            exception.ImageNotFound, exception.ImageNotFoundForBuild,
            exception.ImageNotActive) as exc:
        fail(ctxt, uuid, exc.format_message(), None, conductor_host)
        return
    except Exception as exc:  # the database went away mid-way, say
        LOG.exception("Unshelve of %s failed in the conductor", uuid)
        fail(ctxt, uuid, f"Unshelve failed in the conductor: {type(exc).__name__}: {exc}",
             None, conductor_host)
        return
    if claimed is None:
        return  # deleted meanwhile
    target = selection["service_host"]
    try:
        compute_api.unshelve_instance(ctxt, target, claimed, image=image,
                                      node=selection["nodename"])
    except Exception as exc:  # the bus refused the cast
        LOG.exception("Could not send the unshelve of %s to %s", uuid, target)
        fail(ctxt, uuid, "Could not send the unshelve to its compute host: "
             f"{type(exc).__name__}: {exc}", None, conductor_host,
             expected=states.SPAWNING, event=actions.EVENT_UNSHELVE)


def _shelve_image(ctxt: RequestContext, instance: dict) -> dict:
    image_id = (instance.get("system_metadata") or {}).get("shelved_image_id")
    if not image_id:
        raise exception.ImageNotFound(image_id="(none: the server has no shelve snapshot)")
    image = create_task._image_for_build(ctxt, image_id)
    return {k: image.get(k) for k in create_task.IMAGE_KEYS}


def _claim(ctxt: RequestContext, instance: dict, hosts: list, spec: dict, decision,
           started, conductor_host: str) -> tuple[dict | None, dict | None]:
    """The first host of ``hosts`` with room, claimed (the instance moves to
    spawning there, the scheduling event closed); NoValidHost if none."""
    uuid = instance["uuid"]
    resources = capacity.requested_resources(spec["flavor"])
    for selection in hosts:
        host = selection["service_host"]
        now = utcnow()
        try:
            with transaction() as conn:
                claimed = db_claims.claim(
                    uuid, selection["compute_node_id"], host, selection["nodename"],
                    resources, conn=conn, zone=selection.get("availability_zone"),
                    updates={"task_state": states.SPAWNING},
                    alive_since=servicegroup.alive_since(now),
                    expected_task_state=states.UNSHELVING)
                db_actions.event_finish(
                    ctxt, uuid, actions.EVENT_UNSHELVE_SCHEDULE, actions.SUCCESS,
                    conductor_host, details=json.dumps(decision) if decision else None,
                    start_time=started, conn=conn)
        except exception.ClaimFailed:
            LOG.info("Unshelve claim for %s on %s lost a race; trying the next host", uuid,
                     host)
            continue
        except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
            LOG.info("Instance %s moved on while its unshelve was scheduled", uuid)
            return None, None
        LOG.info("Claimed %s for the unshelve of %s", host, uuid)
        return claimed, selection
    raise exception.NoValidHost(
        reason="Every host chosen for it was full by the time it was claimed.")


def fail(ctxt: RequestContext, uuid: str, message: str, details: str | None,
         host: str | None, expected: str = states.UNSHELVING,
         event: str = actions.EVENT_UNSHELVE_SCHEDULE) -> None:
    """Back to SHELVED_OFFLOADED (no host, no claim) with ``message`` as the
    fault, the event and the action closed as errors, in one commit."""
    LOG.warning("Unshelve of %s failed: %s", uuid, message)
    try:
        offloaded(ctxt, uuid, host, event, [expected], error=message, traceback=details)
    except (exception.UnexpectedTaskStateError, exception.InstanceNotFound):
        LOG.info("Unshelve of %s failed, but the instance has moved on", uuid)


def offloaded(ctxt: RequestContext, uuid: str, host: str | None, event: str | None,
              expected_task_state: list, error: str | None = None,
              traceback: str | None = None) -> None:
    """SHELVED_OFFLOADED with no host and no claim; the event and action
    finished (``event`` None: a periodic offload, which has no action)."""
    with transaction() as conn:
        db_instances.update(uuid, {"vm_state": states.SHELVED_OFFLOADED, "task_state": None,
                                   "host": None, "node": None,
                                   "power_state": states.NOSTATE},
                            expected_task_state=expected_task_state, conn=conn, reread=False)
        db_claims.release(uuid, conn=conn)
        if error:
            db_instances.add_fault(uuid, 500, error, traceback, host, conn=conn)
        if event:
            db_actions.event_finish(ctxt, uuid, event,
                                    actions.ERROR if error else actions.SUCCESS, host,
                                    traceback=traceback, details=error, conn=conn,
                                    finish_action=True)


class ShelveTasks:
    """``ComputeTaskManager``'s endpoints of shelving (1.17); it provides
    ``compute_api``, ``builder``, ``host`` and ``_in_background``."""

    def unshelve_instance(self, ctxt: RequestContext, instance_uuid: str,
                          new_zone: dict | None = None, host: str | None = None) -> dict:
        """Check and record an unshelve (``unshelving``), answer with the
        instance, then bring the server back (see the module docstring)."""
        if not self.compute_api.can_shelve():
            raise exception.InstanceInvalidState(
                action=actions.UNSHELVE, instance_uuid=instance_uuid, attr="compute RPC",
                state="version capped below 1.8 ([upgrade_levels] compute)")
        before, after = start_unshelve(ctxt, instance_uuid, new_zone, host)
        if before["vm_state"] == states.SHELVED:
            try:
                self.compute_api.unshelve_instance(ctxt, after["host"], after)
            except Exception as exc:  # the bus refused the cast: idle again, a fault
                LOG.exception("Could not send the unshelve of %s", instance_uuid)
                message = f"Could not send the unshelve to its compute host: {exc}"
                with transaction() as conn:
                    db_instances.update(instance_uuid, {"task_state": None},
                                        expected_task_state=[states.UNSHELVING],
                                        conn=conn, reread=False)
                    db_instances.add_fault(instance_uuid, 500, message, None, None, conn=conn)
                    db_actions.event_finish(ctxt, instance_uuid, actions.EVENT_UNSHELVE,
                                            actions.ERROR, None, details=message,
                                            conn=conn, finish_action=True)
            return after
        self._in_background(f"unshelve of instance {instance_uuid}", place_and_cast, ctxt,
                            self.builder, self.compute_api, after, host, self.host)
        return after

    def shelve_offload_finish(self, ctxt: RequestContext, instance_uuid: str, host: str,
                              event: str | None, expected_task_state: list,
                              error: str | None = None, traceback: str | None = None) -> None:
        """A shelved guest is gone from ``host`` (offloaded, or its unshelve
        spawn failed): see ``offloaded``. A retry of a call that committed
        finds it SHELVED_OFFLOADED and idle: answered as done."""
        try:
            offloaded(ctxt, instance_uuid, host, event, expected_task_state, error=error,
                      traceback=traceback)
        except exception.UnexpectedTaskStateError as exc:
            actual = exc.kwargs["actual"]
            if actual["vm_state"] != states.SHELVED_OFFLOADED or actual["task_state"]:
                raise
            LOG.info("Offload of %s was already recorded", instance_uuid)

