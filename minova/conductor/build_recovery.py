"""Taking over builds whose driver died: no accepted build is lost or stuck.

A build has one driver at a time: the conductor that recorded it, until its
claim casts it to a compute host; then that host, until it reports the
outcome. Either can die (kill -9, a host lost), and a cast can be lost (the
broker restarted while it was queued). Every conductor runs this check on
a timer (``[conductor] build_recovery_interval``), and each build it finds
is taken over by exactly one of them (a compare-and-swap on the instance,
``minova.db.orphan_builds.take``):

* **Left in scheduling** longer than ``[conductor] build_orphan_timeout``:
  the conductor that held it died, or could not get an answer from any
  scheduler. It is scheduled again from the request spec kept with it
  (``request_specs``), the instances of one request together. If the
  first conductor was merely slow, its claim and this one's race on the
  instance's task state, and one loses cleanly (its claim rolls back).
* **Spawning**, cast longer than ``[conductor] build_ack_timeout`` ago:
  each compute lists, with every heartbeat, the builds it has taken and
  not yet reported (``services.building``).

  - Its host is up and has reported since without listing it: the cast
    never arrived. It is cast again; a compute that did take it after all
    skips the duplicate.
  - Its host is down: a build the host had not taken goes back to
    scheduling, on other hosts; one it had taken may be running there, so
    it ends in ERROR with the host's death as its fault. Both give their
    claim and the host back: when the host returns, a guest it made for
    them is not their instance's and is destroyed (at its restart, or
    when its late build_finished is refused).

A **rebuild** has the same two drivers: the conductor that recorded it
(REBUILDING) until it casts the rebuild to the server's host, which then
moves it on (``rebuild_spawning``). Left in ``rebuilding`` longer than
``build_ack_timeout``, its conductor died or its cast was lost: with its
host up it is driven again (the scheduler's image check and the cast; the
host skips a cast it already took), with its host down it ends in ERROR
with that cause, as a build would.

"Down" is servicegroup's rule, on a clock that stops while the control
plane hears nobody: a broker or database outage does not make every build
look orphaned. ``[conductor] instance_build_timeout`` stays the last
resort for anything this does not cover.
"""

import datetime

from oslo_config import cfg
from oslo_log import log as logging

from minova import context as minova_context
from minova import exception, servicegroup
from minova.conductor.tasks import build as build_task
from minova.conductor.tasks import create as create_task
from minova.conductor.tasks import rebuild as rebuild_task
from minova.db import actions as db_actions
from minova.db import claims as db_claims
from minova.db import instances as db_instances
from minova.db import orphan_builds
from minova.db import request_specs as db_request_specs
from minova.db import services as db_services
from minova.db.engine import transaction
from minova.db.rows import utcnow
from minova.objects import actions, states
from minova.objects import request_spec as spec_lib

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def _seconds(value: float) -> datetime.timedelta:
    return datetime.timedelta(seconds=value)


class BuildRecovery:
    """One conductor's share of taking over orphaned builds (see the module doc)."""

    def __init__(self, host: str, builder: build_task.BuildTask) -> None:
        self.host = host
        self.builder = builder

    def observe_liveness(self) -> None:
        """Feed servicegroup's reference clock with the newest heartbeat heard.

        While the database cannot be read nothing is heard, which is what
        the clock should see: the failure is not worth a traceback a second.
        """
        try:
            newest = db_services.newest_bus_heartbeat()
        except Exception as exc:  # the database is away; the run loop keeps going
            LOG.debug("Could not read the newest heartbeat: %s", exc)
            return
        servicegroup.observe(newest)

    def run(self) -> dict[str, int]:
        """One pass; how many builds it took over, by what it did with them."""
        counts = {"rescheduled": 0, "recast": 0, "failed": 0}
        try:
            self.redrive_scheduling(counts)
            self.redrive_spawning(counts)
            self.redrive_rebuilds(counts)
        except Exception as exc:
            if not build_task.transient(exc):
                raise
            # The database (or the bus) is away: the next pass tries again.
            LOG.warning("Build recovery on %s paused: %s: %s", self.host,
                        type(exc).__name__, exc)
        if any(counts.values()):
            LOG.info("Build recovery on %s: %s", self.host, counts)
        return counts

    # --- left in scheduling

    def redrive_scheduling(self, counts: dict[str, int]) -> None:
        now = utcnow()
        stale = orphan_builds.stale_builds(
            states.SCHEDULING, now - _seconds(CONF.conductor.build_orphan_timeout))
        by_request: dict[str, list[dict]] = {}
        for instance in stale:
            by_request.setdefault(instance["reservation_id"] or instance["uuid"],
                                  []).append(instance)
        for instances in by_request.values():
            taken = [i for i in instances if orphan_builds.take(i, now)]
            if taken:
                self._schedule_again(taken, why="its conductor stopped driving it")
                counts["rescheduled"] += len(taken)

    def _schedule_again(self, instances: list[dict], why: str,
                        avoid_host: str | None = None) -> None:
        first = instances[0]
        uuids = [i["uuid"] for i in instances]
        ctxt = _context_of(first)
        spec = db_request_specs.get_for_instance(first["uuid"], first["reservation_id"])
        if spec is None:
            for uuid in uuids:
                self.builder.fail(ctxt, uuid, "Build could not be resumed after its "
                                  "conductor stopped: its request spec is not kept")
            return
        spec = dict(spec, instance_uuids=uuids, num_instances=len(uuids),
                    min_count=min(spec.get("min_count") or len(uuids), len(uuids)))
        if avoid_host:
            spec_lib.record_attempt(spec, avoid_host, first.get("node") or avoid_host)
        LOG.warning("Scheduling %s again: %s", ", ".join(uuids), why)
        self.builder.build(ctxt, [{"uuid": u} for u in uuids], spec)

    # --- cast to a host

    def redrive_spawning(self, counts: dict[str, int]) -> None:
        now = utcnow()
        stale = orphan_builds.stale_builds(
            states.SPAWNING, now - _seconds(CONF.conductor.build_ack_timeout))
        if not stale:
            return
        services = orphan_builds.compute_services({i["host"] for i in stale if i["host"]})
        for instance in stale:
            service = services.get(instance["host"])
            held = None if service is None else service["building"]
            up = service is not None and servicegroup.is_up(service["last_seen_up"],
                                                            service["forced_down"])
            if up:
                claimed_at = instance["updated_at"] or instance["created_at"]
                if (held is not None and instance["uuid"] not in held
                        and service["last_seen_up"] > claimed_at
                        and orphan_builds.take(instance, now)):
                    self._cast_again(instance)
                    counts["recast"] += 1
            elif held is not None and instance["uuid"] not in held:
                if self._unclaim(instance, now):
                    self._schedule_again([instance], avoid_host=instance["host"],
                                         why=f"its host {instance['host']} went down "
                                             f"before it took the build")
                    counts["rescheduled"] += 1
            elif self._fail_on_dead_host(instance, now):
                counts["failed"] += 1

    def _cast_again(self, instance: dict) -> None:
        uuid, host = instance["uuid"], instance["host"]
        ctxt = _context_of(instance)
        try:
            full = db_instances.get(ctxt, uuid)
        except exception.InstanceNotFound:
            return
        spec = db_request_specs.get_for_instance(uuid, instance["reservation_id"]) or {}
        spec = spec_lib.for_one_instance(spec, uuid) if spec else {}
        LOG.warning("Casting the build of %s to %s again: the host has not taken it", uuid,
                    host)
        try:
            self.builder.compute_api.build_and_run_instance(
                ctxt, host, full, instance["node"], request_spec=spec, alternates=[])
        except Exception:  # the bus is down again: the next pass retries
            LOG.exception("Could not cast the build of %s to %s again", uuid, host)

    def _unclaim(self, instance: dict, now) -> bool:
        """Give back the claim of a build its dead host never took; True if this
        conductor took it over."""
        with transaction() as conn:
            if not orphan_builds.take(instance, now, conn=conn):
                return False
            db_claims.release(instance["uuid"], conn=conn)
            db_actions.event_finish(
                _context_of(instance), instance["uuid"], actions.EVENT_BUILD, actions.ERROR,
                instance["host"], details=f"host {instance['host']} went down before it "
                f"took the build; scheduled again", conn=conn)
            return build_task.unplace(instance["uuid"], conn)

    def _fail_on_dead_host(self, instance: dict, now) -> bool:
        uuid, host = instance["uuid"], instance["host"]
        with transaction() as conn:
            if not orphan_builds.take(instance, now, conn=conn):
                return False
            db_claims.release(uuid, conn=conn)
            # Off the host, as its claim: when the host comes back, the guest
            # it may have made is not its instance's any more and goes.
            db_instances.update(uuid, {"host": None, "node": None},
                                expected_task_state=[states.SPAWNING], expected_host=host,
                                conn=conn, reread=False)
        self.builder.fail(
            _context_of(instance), uuid,
            f"The compute host stopped reporting while it was building the "
            f"instance (down for more than {CONF.service_down_time} s)",
            details=build_task.on_host(host, None),
            expected_task_state=states.SPAWNING, event=actions.EVENT_BUILD)
        return True


    # --- a rebuild recorded and not handed to its host

    def redrive_rebuilds(self, counts: dict[str, int]) -> None:
        now = utcnow()
        stale = orphan_builds.stale_builds(
            states.REBUILDING, now - _seconds(CONF.conductor.build_ack_timeout),
            vm_state=None)
        if not stale:
            return
        services = orphan_builds.compute_services({i["host"] for i in stale if i["host"]})
        for instance in stale:
            service = services.get(instance["host"])
            up = service is not None and servicegroup.is_up(service["last_seen_up"],
                                                            service["forced_down"])
            if not orphan_builds.take(instance, now):
                continue
            if up:
                self._rebuild_again(instance)
                counts["recast"] += 1
            else:
                rebuild_task.fail(
                    _rebuild_context(instance), instance["uuid"],
                    "The compute host stopped reporting before it took the rebuild "
                    f"(down for more than {CONF.service_down_time} s)")
                counts["failed"] += 1

    def _rebuild_again(self, instance: dict) -> None:
        """Drive the rebuild as its conductor would have: the new image checked
        on the host again (whether it was checked is not known), then the cast."""
        uuid = instance["uuid"]
        ctxt = _rebuild_context(instance)
        try:
            full = db_instances.get(ctxt, uuid)
        except exception.InstanceNotFound:
            return
        LOG.warning("Driving the rebuild of %s on %s again: its conductor stopped or its "
                    "cast was lost", uuid, full["host"])
        try:
            image = create_task._image_for_build(ctxt, full["image_ref"])
        except exception.MinovaException as exc:
            rebuild_task.fail(ctxt, uuid, exc.format_message())
            return
        # The image before the rebuild is not kept: a failed check keeps the new one.
        before = {"image_ref": None, "vm_state": full["vm_state"]}
        rebuild_task.drive(ctxt, self.builder.scheduler_api, self.builder.compute_api,
                           before, full, image, preserve_ephemeral=False,
                           conductor_host=self.host)


def _rebuild_context(instance: dict) -> minova_context.RequestContext:
    """The owner's context under the request of the instance's newest rebuild
    action, so that the events recorded now join that action."""
    ctxt = _context_of(instance)
    for action in db_actions.actions_get(instance["uuid"]):
        if action["action"] == actions.REBUILD:
            ctxt.request_id = action["request_id"]
            break
    return ctxt


def _context_of(instance: dict) -> minova_context.RequestContext:
    """Act for the instance's owner (events and faults name them), as an admin."""
    ctxt = minova_context.get_admin_context()
    ctxt.project_id = instance["project_id"]
    ctxt.user_id = instance["user_id"]
    return ctxt


def periodic_tasks(host: str, builder: build_task.BuildTask) -> list[tuple[float, object]]:
    """The ``(interval, task)`` pairs each conductor worker runs.

    Every worker runs them: the take-over is a compare-and-swap, so several
    conductors share the work and none drives a build twice.
    """
    recovery = BuildRecovery(host, builder)
    tasks: list[tuple[float, object]] = [(1.0, recovery.observe_liveness)]
    if CONF.conductor.build_recovery_interval > 0:
        tasks.append((CONF.conductor.build_recovery_interval, recovery.run))
    return tasks
