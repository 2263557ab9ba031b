"""Building recorded instances: schedule, claim, cast; reschedule; fail.

A build is: ask the scheduler (call), claim the chosen host with one
atomic conditional write that also moves the instance to ``spawning`` and
records the schedule and build events (falling back to the alternates,
then to a fresh scheduling round), then cast to that host's compute.
Every way a build can fail ends in ERROR with a fault the user can read;
none leaves it in BUILD.
"""

import json

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging

from minova import exception, retry, servicegroup
from minova.conductor import db_errors, scheduler_hints
from minova.conductor import quotas as conductor_quotas
from minova.context import RequestContext
from minova.db import actions as db_actions
from minova.db import claims as db_claims
from minova.db import compute_nodes as db_compute_nodes
from minova.db import instances as db_instances
from minova.db.engine import transaction
from minova.db.rows import utcnow
from minova.objects import actions, capacity, states
from minova.objects import request_spec as spec_lib

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def on_host(host: str | None, details: str | None) -> str:
    """A fault's details naming the compute host it happened on.

    The host goes in the details, never in the message: every caller who
    sees the server sees its fault's message, while the details of a 500
    fault are for admins only (as in Nova), and host names are theirs.
    """
    where = f"On compute host {host}"
    return f"{where}:\n{details}" if details else where


def unplace(uuid: str, conn, host: str | None = None) -> bool:
    """Back from spawning on a host (``host``, if given) to scheduling, with no
    host (its claim is released by the caller, in ``conn``); False if it was
    deleted or moved on meanwhile."""
    try:
        db_instances.update(uuid, {"host": None, "node": None, "task_state": states.SCHEDULING},
                            expected_task_state=[states.SPAWNING], conn=conn, reread=False,
                            expected_host=host)
    except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
        return False
    return True


def transient(exc: BaseException) -> bool:
    """A failure that says nothing about the build: the broker, the database or
    a peer was unreachable for a moment. Such a build is not failed; it stays
    where it is and build recovery takes it up again."""
    return retry.is_transient(exc) or db_errors.is_unreachable(exc)


def _left_for_recovery(uuids: list[str], exc: Exception) -> None:
    LOG.warning("Leaving %s in scheduling for build recovery: %s", ", ".join(uuids), exc)


def placed_on(ctxt: RequestContext, uuid: str, host: str) -> bool:
    """Whether a build_failed from ``host`` still has work to do: the instance
    is spawning there, or being deleted while it was. Once handled, the
    instance has no host (rescheduling or ERROR) or another one, so a second
    delivery of the same build_failed finds it elsewhere and must not free
    a claim that is now another host's."""
    try:
        instance = db_instances.get(ctxt, uuid)
    except exception.InstanceNotFound:
        return False
    return (instance["host"] == host
            and instance["task_state"] in (states.SPAWNING, states.DELETING))


class BuildTask:
    """Takes instances in BUILD/scheduling to a compute host, or to ERROR."""

    def __init__(self, host: str, scheduler_api, compute_api) -> None:
        self.host = host
        self.scheduler_api = scheduler_api
        self.compute_api = compute_api

    # --- the first round

    def build(self, ctxt: RequestContext, instances: list[dict], spec: dict,
              host_lists: list | None = None, recheck_quota: bool = False) -> None:
        """Place, claim and cast ``instances`` (dicts as recorded, or ``{"uuid"}``
        alone: then each is read back at its claim).

        ``recheck_quota``: Nova's ``[quota] recheck_quota``, for instances
        recorded by an earlier call (an older api's create_instances), whose
        project's limit may have been lowered since. A create and build in
        one call (schedule_and_build_instances) counted under the project's
        lock a moment ago, so there is nothing to recheck.
        """
        started = utcnow()
        uuids = [i["uuid"] for i in instances]
        decisions: list = [None] * len(uuids)
        if host_lists is None:
            try:
                if recheck_quota:
                    conductor_quotas.recheck(spec, len(uuids))
            except Exception as exc:  # over quota, or the database went away
                if transient(exc):
                    _left_for_recovery(uuids, exc)
                    return
                message = (exc.format_message() if isinstance(exc, exception.TooManyInstances)
                           else f"Build failed in the conductor: {type(exc).__name__}: {exc}")
                if not isinstance(exc, exception.TooManyInstances):
                    LOG.exception("Quota recheck of %s failed", uuids)
                for uuid in uuids:
                    self.fail(ctxt, uuid, message, started=started)
                return
            try:
                result = self.select(ctxt, spec, uuids)
            except exception.NoValidHost as exc:
                for uuid in uuids:
                    self.fail(ctxt, uuid, exc.format_message(), started=started)
                return
            except exception.SchedulerUnavailable as exc:
                _left_for_recovery(uuids, exc)
                return
            host_lists = result["selections"]
            decisions = result.get("decisions") or decisions
        if len(uuids) > 1:
            self._build_several(ctxt, instances, host_lists, spec, decisions, started)
            return
        try:
            self.claim_and_cast(ctxt, instances[0], host_lists[0], spec, decisions[0], started)
        except Exception as exc:  # e.g. the database went away mid-build
            if transient(exc):
                _left_for_recovery(uuids, exc)
                return
            LOG.exception("Build of %s failed in the conductor", uuids[0])
            self.fail(ctxt, uuids[0], f"Build failed in the conductor: "
                      f"{type(exc).__name__}: {exc}", started=started)

    def _build_several(self, ctxt: RequestContext, instances: list[dict], host_lists: list,
                       spec: dict, decisions: list, started) -> None:
        """Claim a host for every placed instance first; build only if min_count got one.

        Casting as each claim succeeds would start builds that must be torn
        down again when a later claim fails and the request falls below
        min_count; claiming all first keeps "all or nothing" a database
        matter, undone by releasing the claims.
        """
        min_count = spec.get("min_count") or len(instances)
        claimed, unplaced = [], []  # unplaced: (uuid, its fault message, the reason)
        for index, instance in enumerate(instances):
            uuid = instance["uuid"]
            one_spec = spec_lib.for_one_instance(spec, uuid)
            hosts = host_lists[index] if index < len(host_lists) else []
            decision = decisions[index] if index < len(decisions) else None
            if not hosts:
                reason = (decision or {}).get("reason") or "The scheduler chose no host for it."
                unplaced.append((uuid, exception.NoValidHost(reason=reason).format_message(),
                                 reason))
                continue
            try:
                claim = self.claim(ctxt, instance, hosts, one_spec, decision, started)
            except exception.NoValidHost as exc:
                unplaced.append((uuid, exc.format_message(), exc.kwargs.get("reason", "")))
                continue
            except exception.SchedulerUnavailable as exc:
                # Still scheduling: build recovery places it (min_count
                # then counts what the others got, as for a retried one).
                _left_for_recovery([uuid], exc)
                continue
            except Exception as exc:  # e.g. the database went away mid-build
                if transient(exc):
                    _left_for_recovery([uuid], exc)
                    continue
                LOG.exception("Claim for %s failed in the conductor", uuid)
                message = f"Build failed in the conductor: {type(exc).__name__}: {exc}"
                unplaced.append((uuid, message, message))
                continue
            if claim is not None:  # else deleted while being scheduled
                claimed.append((uuid, one_spec, *claim))
        if len(claimed) < min_count:
            self._fail_below_min_count(ctxt, [i["uuid"] for i in instances], claimed,
                                       unplaced, min_count, started)
            return
        for _uuid, one_spec, instance, selection, alternates in claimed:
            self.cast(ctxt, instance, selection, alternates, one_spec, started)
        for uuid, message, _ in unplaced:
            self.fail(ctxt, uuid, message, started=started)

    def _fail_below_min_count(self, ctxt: RequestContext, uuids: list[str], claimed: list,
                              unplaced: list, min_count: int, started) -> None:
        """Give back every claim of the request and fail all its instances."""
        for uuid, *_ in claimed:
            try:
                with transaction() as conn:
                    db_claims.release(uuid, conn=conn)
                    db_actions.event_finish(ctxt, uuid, actions.EVENT_BUILD, actions.ERROR,
                                            None, details="fewer than min_count placed",
                                            conn=conn)
                    if not unplace(uuid, conn):
                        LOG.info("Instance %s was deleted while its request was given up",
                                 uuid)
            except Exception:
                LOG.exception("Could not give back the claim of %s", uuid)
        first = unplaced[0][2] if unplaced else "instances were deleted meanwhile"
        prefix = "There are not enough hosts available: "
        reason = (f"{prefix}{first.removeprefix(prefix)} (placed {len(claimed)} of "
                  f"{len(uuids)}, min_count {min_count})")
        message = exception.NoValidHost(reason=reason).format_message()
        for uuid in uuids:
            self.fail(ctxt, uuid, message, started=started)

    # --- scheduling, claiming, casting

    def select(self, ctxt: RequestContext, spec: dict, uuids: list[str]) -> dict:
        """The scheduler's answer; any failure to get one is a NoValidHost with the
        reason, so the instances end in ERROR rather than stuck in BUILD."""
        try:
            scheduler_hints.resolve(ctxt, spec)  # groups and hinted hosts, fresh each round
            return self.scheduler_api.select_destinations(ctxt, spec, uuids)
        except exception.NoValidHost as exc:
            if servicegroup.recovering():
                # Right after (or during) a silence of the bus, hosts may be
                # filtered as down only because they have not reported yet.
                raise exception.SchedulerUnavailable(
                    reason=f"hosts may look down only because the message bus was "
                           f"silent: {exc.format_message()}") from exc
            raise
        except messaging.MessagingTimeout as exc:
            # Not NoValidHost: no scheduler said there is no host. The build
            # stays in scheduling and build recovery asks again.
            raise exception.SchedulerUnavailable(
                reason="no answer in time") from exc
        except Exception as exc:
            if transient(exc):  # the scheduler could not reach its conductor, say
                raise exception.SchedulerUnavailable(
                    reason=f"{type(exc).__name__}: {exc}") from exc
            LOG.exception("select_destinations failed for %s", uuids)
            raise exception.NoValidHost(
                reason=f"scheduling failed: {type(exc).__name__}: {exc}") from exc

    def claim_and_cast(self, ctxt: RequestContext, instance: dict, hosts: list, spec: dict,
                       decision, started=None) -> None:
        """Claim the first host in ``hosts`` that still has room, and cast the build."""
        try:
            claim = self.claim(ctxt, instance, hosts, spec, decision, started)
        except exception.NoValidHost as exc:
            self.fail(ctxt, instance["uuid"], exc.format_message(), started=started)
            return
        except exception.SchedulerUnavailable as exc:
            _left_for_recovery([instance["uuid"]], exc)
            return
        if claim is not None:
            self.cast(ctxt, *claim, spec, started)

    def claim(self, ctxt: RequestContext, instance: dict, hosts: list, spec: dict, decision,
              started=None) -> tuple[dict, dict, list] | None:
        """``(instance, selection, alternates left)`` for the first host that still has room.

        The claim's transaction also moves the instance to ``spawning`` and
        records the schedule event (with the decision) and the start of the
        build event on the chosen host, so the compute host needs no call
        before it spawns. When every host given is full, asks the scheduler
        again (with fresh host states), up to ``[scheduler] max_attempts``
        rounds; raises NoValidHost when no host can be had. None if the
        instance was deleted meanwhile.
        """
        uuid = instance["uuid"]
        resources = capacity.requested_resources(spec["flavor"])
        group = spec.get("instance_group")
        for attempt in range(CONF.scheduler.max_attempts):
            for index, selection in enumerate(hosts):
                host = selection["service_host"]
                now = utcnow()
                try:
                    with transaction() as conn:
                        claimed = db_claims.claim(
                            uuid, selection["compute_node_id"], host, selection["nodename"],
                            resources, conn=conn, group_uuid=(group or {}).get("uuid"),
                            group_known="instance_group" in spec,
                            zone=selection.get("availability_zone"),
                            updates={"task_state": states.SPAWNING},
                            reread="vm_state" not in instance,
                            known_zone=instance.get("availability_zone"),
                            alive_since=servicegroup.alive_since(now))
                        db_actions.events_record(ctxt, uuid, [
                            {"event": actions.EVENT_SCHEDULE, "start_time": started or now,
                             "finish_time": now, "result": actions.SUCCESS, "host": self.host,
                             "details": json.dumps(decision) if decision else None},
                            {"event": actions.EVENT_BUILD, "start_time": now, "host": host},
                        ], conn=conn)
                except exception.ClaimFailed:
                    LOG.info("Claim for %s on %s lost a race; trying the next host", uuid, host)
                    continue
                except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
                    LOG.info("Instance %s was deleted while being scheduled", uuid)
                    return None
                LOG.info("Claimed %(vcpus)s vCPU, %(memory_mb)s MiB RAM, %(disk_gb)s GiB disk "
                         "on %(host)s for instance %(uuid)s",
                         dict(resources, host=host, uuid=uuid))
                if claimed is None:  # as recorded, plus what the claim changed
                    claimed = dict(instance, host=host, node=selection["nodename"],
                                   task_state=states.SPAWNING, updated_at=now.isoformat(),
                                   availability_zone=(instance.get("availability_zone")
                                                      or selection.get("availability_zone")))
                return claimed, selection, hosts[index + 1:]
            if attempt + 1 == CONF.scheduler.max_attempts:
                break
            # Every host we were given filled up under us: ask again, on
            # host states the scheduler reads afresh.
            result = self.select(ctxt, dict(spec, refresh_host_states=True), [uuid])
            hosts, decision = result["selections"][0], (result.get("decisions") or [None])[0]
        raise exception.NoValidHost(
            reason="Every host chosen for it was full by the time it was claimed.")

    def cast(self, ctxt: RequestContext, instance: dict, selection: dict, alternates: list,
             spec: dict, started=None) -> None:
        """Hand the claimed instance to its compute host; a refused cast frees the claim."""
        uuid, host = instance["uuid"], selection["service_host"]
        LOG.info("Casting the build of instance %s to %s", uuid, host)
        spec_lib.record_attempt(spec, host, selection["nodename"])
        try:
            self.compute_api.build_and_run_instance(
                ctxt, host, instance, selection["nodename"], request_spec=spec,
                alternates=alternates)
        except Exception as exc:  # the bus refused the cast
            LOG.exception("Could not send the build of %s to %s", uuid, host)
            db_claims.release(uuid)
            self.fail(ctxt, uuid, "Could not send the build to its compute host",
                      details=on_host(host, f"{type(exc).__name__}: {exc}"), started=started,
                      expected_task_state=states.SPAWNING, event=actions.EVENT_BUILD)

    def fail(self, ctxt: RequestContext, uuid: str, message: str,
             expected_task_state: str = states.SCHEDULING, details: str | None = None,
             started=None, event: str = actions.EVENT_SCHEDULE) -> None:
        """ERROR with a fault, the event and the create action closed."""
        LOG.warning("Build of instance %s failed: %s", uuid, message)
        if db_instances.set_error(uuid, message, details, self.host,
                                  expected_task_state=[expected_task_state]):
            db_actions.event_finish(ctxt, uuid, event, actions.ERROR, self.host,
                                    traceback=details, details=message, start_time=started,
                                    finish_action=True)

    # --- a spawn that failed on its host

    def build_failed(self, ctxt: RequestContext, instance_uuid: str, host: str, node: str,
                     reason: str, details: str, request_spec: dict, alternates: list,
                     reschedule: bool) -> None:
        """Free the failed host's claim, then retry elsewhere or go to ERROR.

        Only while the build is still the reporting host's: a second delivery
        of the same report, or one about a build that build recovery took
        from a host it thought dead, is left alone.
        """
        if not placed_on(ctxt, instance_uuid, host):  # a second delivery
            return
        with transaction() as conn:
            # For the BuildFailureWeigher, whatever becomes of the instance.
            db_compute_nodes.compute_node_build_failed(host, node, conn=conn)
            if not unplace(instance_uuid, conn, host=host):
                # A delete frees the claim itself; a build placed elsewhere
                # holds a claim that is not this host's to free.
                LOG.info("Instance %s was deleted or moved on during its failed build on %s",
                         instance_uuid, host)
                return
            db_claims.release(instance_uuid, conn=conn)
            db_actions.event_finish(ctxt, instance_uuid, actions.EVENT_BUILD, actions.ERROR,
                                    host, traceback=details, conn=conn)
        attempts = request_spec.get("retry", {}).get("num_attempts", 1)
        if not reschedule or attempts >= CONF.scheduler.max_attempts:
            message = (f"Build of instance {instance_uuid} failed: {reason}"
                       if not reschedule else
                       f"Exceeded maximum number of retries. Exhausted all hosts available "
                       f"for retrying build failures for instance {instance_uuid}. "
                       f"Last error: {reason}")
            self.fail(ctxt, instance_uuid, message, details=on_host(host, details))
            return
        LOG.info("Rescheduling %s after a failed build on %s", instance_uuid, host)
        if not alternates:
            try:
                result = self.select(ctxt, request_spec, [instance_uuid])
            except exception.NoValidHost as exc:
                self.fail(ctxt, instance_uuid,
                          f"Exhausted all hosts available for retrying build failures for "
                          f"instance {instance_uuid}. Last error: {reason}",
                          details=on_host(host, f"{reason}\n{exc.format_message()}"))
                return
            except exception.SchedulerUnavailable as exc:
                _left_for_recovery([instance_uuid], exc)
                return
            alternates = result["selections"][0]
        self.claim_and_cast(ctxt, {"uuid": instance_uuid}, alternates, request_spec, None)
