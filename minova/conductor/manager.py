"""The conductor's endpoints: the database door and the orchestration of a server's life.

* ``ConductorManager``: each method is a thin, checked door onto
  ``minova.db``: the context's project scoping is applied in the queries,
  and admin-only data (every service, every node) is only reachable
  through admin-only REST APIs. (The conductor's other doors, one per
  resource, are in the modules named for it: aggregates.py, images.py ...)
* ``ComputeTaskManager``: create and build (``minova.conductor.tasks``),
  the build progress compute hosts report, lifecycle actions and delete.

Their clients are ``minova.conductor.rpcapi.ConductorAPI`` and
``ComputeTaskAPI``.
"""

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import uuidutils

from minova import concurrency, exception, graceful, servicegroup
from minova.compute import rpcapi as compute_rpcapi
from minova.conductor import aggregates as conductor_aggregates
from minova.conductor import moves
from minova.conductor.tasks import build as build_task
from minova.conductor.tasks import create as create_task
from minova.conductor.tasks import rebuild as rebuild_task
from minova.conductor.tasks import shelve as shelve_task
from minova.context import RequestContext
from minova.db import actions as db_actions
from minova.db import claims as db_claims
from minova.db import compute_nodes as db_compute_nodes
from minova.db import flavors as db_flavors
from minova.db import host_states as db_host_states
from minova.db import instances as db_instances
from minova.db import move_claims
from minova.db import services as db_services
from minova.db.engine import transaction
from minova.db.rows import utcnow
from minova.objects import actions, packed_rows, states
from minova.scheduler import rpcapi as scheduler_rpcapi

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

COMPUTE_BINARY = "minova-compute"


def _service_view(service: dict) -> dict:
    service = dict(service)
    service["state"] = "up" if servicegroup.is_up(service["last_seen_up"],
                                                  service.get("forced_down")) else "down"
    return service


class ConductorManager:
    """Reads and writes on behalf of api, scheduler and compute."""

    # 1.3: instance_get(read_deleted); 1.6: flavor_update
    # 1.10: service_heartbeat(building); 1.16: instance_get_all(packed)
    target = messaging.Target(version="1.16")

    def __init__(self, host: str, scheduler_api=None) -> None:
        self.host = host
        self._scheduler_api = scheduler_api

    @property
    def scheduler_api(self) -> scheduler_rpcapi.SchedulerAPI:
        if self._scheduler_api is None:
            self._scheduler_api = scheduler_rpcapi.SchedulerAPI()
        return self._scheduler_api

    # --- instances

    def instance_get(self, ctxt, instance_uuid: str, read_deleted: bool = False) -> dict:
        return db_instances.get(ctxt, instance_uuid, read_deleted=read_deleted)

    def instance_get_all(self, ctxt, filters: dict, limit=None, marker=None,
                         sort_keys=None, sort_dirs=None, columns=None,
                         packed: bool = False) -> list[dict] | dict:
        """``packed`` (1.16): the list as objects.packed_rows packs it."""
        found = db_instances.get_all(ctxt, filters, limit=limit, marker=marker,
                                     sort_keys=sort_keys, sort_dirs=sort_dirs, columns=columns)
        return packed_rows.pack(found) if packed else found

    def instance_get_all_by_host(self, ctxt, host: str) -> list[dict]:
        return db_instances.get_all_by_host(host)

    def instance_update(self, ctxt, instance_uuid: str, updates: dict,
                        expected_task_state=None, expected_vm_state=None) -> dict:
        return db_instances.update(instance_uuid, updates,
                                   expected_task_state=expected_task_state,
                                   expected_vm_state=expected_vm_state)

    def instance_destroy(self, ctxt, instance_uuid: str, host: str) -> None:
        """The guest is gone: free the allocation and soft-delete, in one transaction.

        Idempotent: for an instance already destroyed both are no-ops."""
        with transaction() as conn:
            db_claims.release(instance_uuid, conn=conn)
            move_claims.release_all(instance_uuid, conn=conn)
            deleted = db_instances.soft_delete(instance_uuid, conn)
            if deleted:
                db_actions.action_finish(ctxt, instance_uuid, conn=conn)
        if deleted:
            LOG.info("Instance %s deleted (was on %s)", instance_uuid, host)

    def instance_action_finish(self, ctxt, instance_uuid: str, event: str, host: str,
                               updates: dict, expected_task_state: list, error=None,
                               traceback=None) -> None:
        """The outcome of a lifecycle action, its event and its action, in one commit.

        A retry of a call that committed but whose answer was lost finds the
        instance idle, in the state the action left it: answered as done.
        """
        try:
            self._finish_action(ctxt, instance_uuid, event, host, updates, expected_task_state,
                                error, traceback)
        except exception.UnexpectedTaskStateError as exc:
            actual = exc.kwargs["actual"]
            if (actual["task_state"] is not None
                    or actual["vm_state"] != updates.get("vm_state", actual["vm_state"])):
                raise
            LOG.info("Result of %s on %s was already recorded", event, instance_uuid)

    @staticmethod
    def _finish_action(ctxt, instance_uuid: str, event: str, host: str, updates: dict,
                       expected_task_state: list, error, traceback) -> None:
        with transaction() as conn:
            db_instances.update(instance_uuid, updates, expected_task_state=expected_task_state,
                                conn=conn, reread=False)
            if error:
                db_instances.add_fault(instance_uuid, 500, error, traceback, host, conn=conn)
            db_actions.event_finish(ctxt, instance_uuid, event,
                                    actions.ERROR if error else actions.SUCCESS, host,
                                    traceback=traceback, conn=conn)
            db_actions.action_finish(ctxt, instance_uuid, conn=conn)

    # --- instance actions

    def action_event_start(self, ctxt, instance_uuid: str, event: str, host=None) -> None:
        db_actions.event_start(ctxt, instance_uuid, event, host)

    def action_event_finish(self, ctxt, instance_uuid: str, event: str, result: str,
                            host=None, traceback=None, details=None) -> None:
        db_actions.event_finish(ctxt, instance_uuid, event, result, host,
                                traceback=traceback, details=details)

    def actions_get(self, ctxt, instance_uuid: str) -> list[dict]:
        db_instances.get(ctxt, instance_uuid, read_deleted=True)  # scoping check
        return db_actions.actions_get(instance_uuid)

    def action_get_by_request_id(self, ctxt, instance_uuid: str, request_id: str) -> dict:
        db_instances.get(ctxt, instance_uuid, read_deleted=True)
        return db_actions.action_get_by_request_id(instance_uuid, request_id)

    # --- services and compute nodes

    def service_register(self, ctxt, host: str, binary: str, topic: str) -> dict:
        return _service_view(db_services.service_register(host, binary, topic))

    def service_heartbeat(self, ctxt, service_id: int,
                          building: list[str] | None = None) -> None:
        db_services.service_heartbeat(service_id, building)

    def service_get_all(self, ctxt, binary=None, host=None) -> list[dict]:
        zones = {n["host"]: n["availability_zone"]
                 for n, _ in db_compute_nodes.compute_nodes_with_services()}
        result = []
        for service in db_services.service_get_all(binary=binary, host=host):
            view = _service_view(service)
            view["zone"] = (zones.get(service["host"], CONF.default_availability_zone)
                            if service["binary"] == COMPUTE_BINARY else "internal")
            result.append(view)
        return result

    def service_update(self, ctxt, values: dict, service_uuid: str | None = None,
                       host: str | None = None, binary: str | None = None) -> dict:
        """Enable, disable or force down a service; its view as service_get_all shows it."""
        service = db_services.service_update(values, service_uuid=service_uuid, host=host,
                                             binary=binary)
        # The filters read services: schedulers read afresh before their next placement.
        conductor_aggregates.notify_schedulers(self.scheduler_api, ctxt)
        return next(s for s in self.service_get_all(ctxt, binary=service["binary"],
                                                    host=service["host"])
                    if s["id"] == service["id"])

    def compute_node_update(self, ctxt, service_id: int, host: str, nodename: str,
                            resources: dict) -> dict:
        return db_compute_nodes.compute_node_update(service_id, host, nodename, resources)

    def compute_node_get_all(self, ctxt) -> list[dict]:
        return [self._node_view(n, s) for n, s in db_compute_nodes.compute_nodes_with_services()]

    def compute_node_get(self, ctxt, compute_node_id) -> dict:
        """A node by its id, or by its uuid (what the API names it by from 2.53)."""
        if uuidutils.is_uuid_like(compute_node_id):
            node_id = str(compute_node_id)
        else:
            try:
                node_id = int(compute_node_id)
            except (TypeError, ValueError):
                raise exception.HypervisorNotFound(hypervisor_id=compute_node_id) from None
        pairs = db_compute_nodes.compute_nodes_with_services(node_id)
        if not pairs:
            raise exception.HypervisorNotFound(hypervisor_id=compute_node_id)
        return self._node_view(*pairs[0])

    @staticmethod
    def _node_view(node: dict, service: dict) -> dict:
        node = dict(node)
        node["service"] = _service_view(service)
        return node

    def get_host_states(self, ctxt, since_generations=None) -> dict:
        """Host states for the scheduler: all of them, or what changed since its summary.

        ``since_generations`` None gets every host (``"full": true``);
        the scheduler's summary of what it holds gets only the changes, plus
        the service state of every node (docs/architecture.md "host states").
        """
        return db_host_states.host_states(since_generations, CONF.service_down_time,
                                          now=servicegroup.reference_time())

    # --- flavors and images

    def flavor_get_all(self, ctxt) -> list[dict]:
        return db_flavors.flavor_get_all()

    def flavor_get(self, ctxt, flavorid: str) -> dict:
        return db_flavors.flavor_get(flavorid)

    def flavor_create(self, ctxt, values: dict) -> dict:
        return db_flavors.flavor_create(values)

    def flavor_update(self, ctxt, flavorid: str, values: dict) -> dict:
        return db_flavors.flavor_update(flavorid, values)

    def flavor_delete(self, ctxt, flavorid: str) -> None:
        db_flavors.flavor_delete(flavorid)

    # images: minova.conductor.images.ImageManager


def _build_label(instances: list[dict]) -> str:
    return "build of instance(s) " + ", ".join(i["uuid"] for i in instances)


class ComputeTaskManager(shelve_task.ShelveTasks, moves.MoveEndpoints):
    """Endpoints on the ``conductor`` topic that drive instances through their life.

    Building waits on the scheduler, and a scheduler may call back into the
    conductor for host states when it must read them afresh (see
    ``minova.scheduler.host_manager``): so a build runs on its own pool
    (``[conductor] build_workers``) and never holds the RPC workers that
    serve those calls.

    A stop waits for the builds running there until its deadline
    (``finish_work``); one still waiting then, for the scheduler say, is
    handed back: the process exits without it, and its instances stay as
    they are in the database (``scheduling`` when not yet claimed), never
    ERROR, for the conductors' re-drive of builds left in ``scheduling``.
    """

    # 1.5: build_finished(root_device_name); 1.9: schedule_and_build_instances,
    # build_finished(failed_builds_reset); 1.11: schedule_and_build_instances(instance_uuids)
    # 1.13: rebuild_instance; 1.15: soft_delete_instance;
    # 1.17: unshelve_instance, shelve_offload_finish (tasks/shelve.py);
    # 1.18: cold migration and resize (conductor/moves.py)
    target = messaging.Target(version="1.18")

    def __init__(self, host: str, scheduler_api=None, compute_api=None,
                 build_pool=None) -> None:
        self.host = host
        self.scheduler_api = scheduler_api or scheduler_rpcapi.SchedulerAPI()
        self.compute_api = compute_api or compute_rpcapi.ComputeAPI()
        self.builder = build_task.BuildTask(host, self.scheduler_api, self.compute_api)
        self.build_pool = build_pool or concurrency.worker_pool(CONF.conductor.build_workers)
        self.builds = graceful.BackgroundWork(self.build_pool)

    def _in_background(self, label: str, func, ctxt: RequestContext, *args, **kwargs) -> None:
        def run():
            # The worker thread logs under the request's id, like the RPC thread.
            ctxt.update_store()
            try:
                func(ctxt, *args, **kwargs)
            except Exception:  # a build must never die silently
                LOG.exception("%s failed", func.__name__)
        if not self.builds.submit(label, run):
            LOG.warning("Not starting the %s: this conductor is stopping; it is left as "
                        "it is for the re-drive", label)

    def finish_work(self, deadline: graceful.Deadline) -> list[str]:
        """Wait for the builds in hand until ``deadline``; those left running are
        handed back as they are (see the class), and named in the log."""
        running = self.builds.finish(deadline)
        for label in running:
            LOG.warning("Stopping before the %s ended: it is left as it is in the "
                        "database for the re-drive", label)
        return running

    # --- create and build

    def schedule_and_build_instances(self, ctxt: RequestContext, base: dict, count: int,
                                     request_spec: dict,
                                     instance_uuids: list[str] | None = None) -> list[dict]:
        """Record the instances, answer with their uuids and names, then build them (1.9).

        One round trip for the api: the request spec is built here, where the
        flavor and image are, and stays here for scheduling. With the api's
        ``instance_uuids`` (1.11) a call sent again answers what the first
        recorded, and builds nothing again (spec None).
        """
        instances, spec = create_task.create_instances(ctxt, base, count, request_spec,
                                                       instance_uuids=instance_uuids)
        if spec is not None:
            self._in_background(_build_label(instances), self.builder.build, ctxt, instances,
                                spec)
        # What the 202 answer shows of each; the whole record stays here.
        return [{"uuid": i["uuid"], "display_name": i["display_name"]} for i in instances]

    def create_instances(self, ctxt: RequestContext, base: dict, count: int,
                         request_spec: dict) -> dict:
        """Record only (an api older than 1.9 then casts build_instances)."""
        instances, spec = create_task.create_instances(ctxt, base, count, request_spec)
        return {"instances": instances, "request_spec": spec}

    def build_instances(self, ctxt: RequestContext, instance_uuids: list[str],
                        request_spec: dict, host_lists: list | None = None) -> None:
        """Build instances recorded by create_instances (an api older than 1.9)."""
        instances = [{"uuid": u} for u in instance_uuids]
        self._in_background(_build_label(instances), self.builder.build, ctxt, instances,
                            request_spec, host_lists, recheck_quota=host_lists is None)

    # --- build progress reported by compute hosts

    def build_started(self, ctxt: RequestContext, instance_uuid: str, host: str) -> dict:
        """A compute host of an earlier release begins its spawn.

        A claim of this release already moved the instance to spawning and
        opened the build event, so then this only answers with the instance;
        after a claim of an earlier release's conductor it makes that move.
        InstanceNotFound or UnexpectedTaskStateError tell the host the
        instance was deleted or timed out.
        """
        try:
            with transaction() as conn:
                instance = db_instances.update(instance_uuid, {"task_state": states.SPAWNING},
                                               expected_task_state=[states.SCHEDULING],
                                               conn=conn)
                db_actions.event_start(ctxt, instance_uuid, actions.EVENT_BUILD, host,
                                       conn=conn)
            return instance
        except exception.UnexpectedTaskStateError as exc:
            if exc.kwargs["actual"]["task_state"] != states.SPAWNING:
                raise
        return db_instances.get(ctxt, instance_uuid)

    def build_finished(self, ctxt: RequestContext, instance_uuid: str, host: str,
                       power_state: int, root_device_name: str | None = None,
                       failed_builds_reset: bool | None = None) -> None:
        """ACTIVE, the build event and the create action finished, in one commit.

        ``failed_builds_reset`` None (a host of an earlier release, which
        does not count its failures) always resets the node's count.
        """
        updates = {"vm_state": states.ACTIVE, "task_state": None, "power_state": power_state,
                   "launched_at": utcnow()}
        if root_device_name:  # 1.5
            updates["root_device_name"] = root_device_name
        try:
            self._finish_build(ctxt, instance_uuid, host, updates, failed_builds_reset)
        except exception.UnexpectedTaskStateError as exc:
            # A retry of a call that committed but whose answer was lost:
            # the instance is ACTIVE on this very host, so it was this build.
            actual = exc.kwargs["actual"]
            if actual["vm_state"] != states.ACTIVE or actual["task_state"] is not None:
                raise
            if db_instances.get(ctxt, instance_uuid)["host"] != host:
                raise
            LOG.info("Build of %s on %s was already recorded as finished", instance_uuid, host)

    @staticmethod
    def _finish_build(ctxt: RequestContext, instance_uuid: str, host: str, updates: dict,
                      failed_builds_reset: bool | None) -> None:
        with transaction() as conn:
            # On ``host``: a host that was taken for dead may report a build
            # that build recovery has since placed elsewhere.
            db_instances.update(
                instance_uuid, updates, expected_task_state=[states.SPAWNING],
                conn=conn, reread=False, expected_host=host)
            db_actions.event_finish(ctxt, instance_uuid, actions.EVENT_BUILD,
                                    actions.SUCCESS, host, conn=conn, finish_action=True)
            if failed_builds_reset is not False:
                # Last, so the node's row stays locked (if it had failures) only
                # for the commit: the node's failed builds in a row are over.
                db_compute_nodes.compute_node_build_succeeded(host, instance_uuid, conn=conn)

    def build_failed(self, ctxt: RequestContext, instance_uuid: str, host: str, node: str,
                     reason: str, details: str, request_spec: dict, alternates: list,
                     reschedule: bool) -> None:
        """A compute could not spawn: free its claim, then retry elsewhere or go to ERROR.

        Checked here, before the answer (the compute calls it, and sends it
        again until it is answered): a build_failed for an instance that is
        no longer placed on ``host`` was handled already (or the instance is
        gone) and is answered as done; a database that cannot be read fails
        the call, so the compute sends it again.
        """
        if not build_task.placed_on(ctxt, instance_uuid, host):
            LOG.info("build_failed of %s on %s was already handled", instance_uuid, host)
            return
        self._in_background(f"reschedule of instance {instance_uuid} (failed on {host})",
                            self.builder.build_failed, ctxt, instance_uuid, host, node,
                            reason, details, request_spec, alternates, reschedule)

    # --- lifecycle actions

    def start_instance_action(self, ctxt: RequestContext, instance_uuid: str, action: str,
                              expected_vm_state: list, expected_task_state: list,
                              task_state: str) -> dict:
        """Compare-and-swap into ``task_state`` and record the action, in one commit."""
        instance = db_instances.get(ctxt, instance_uuid)  # scoping: 404 for others
        with transaction() as conn:
            try:
                instance = db_instances.update(
                    instance_uuid, {"task_state": task_state},
                    expected_task_state=expected_task_state,
                    expected_vm_state=expected_vm_state, conn=conn)
            except exception.UnexpectedTaskStateError as exc:
                actual = exc.kwargs["actual"]
                attr = ("vm_state" if actual["vm_state"] not in expected_vm_state
                        else "task_state")
                raise exception.InstanceInvalidState(
                    action=action, instance_uuid=instance_uuid, attr=attr,
                    state=actual[attr]) from None
            db_actions.action_start(ctxt, instance_uuid, action, conn=conn)
        return instance

    # --- rebuild

    def rebuild_instance(self, ctxt: RequestContext, instance_uuid: str, image_ref: str,
                         changes: dict, preserve_ephemeral: bool = False,
                         files: list | None = None) -> dict:
        """Check a rebuild, move the instance to REBUILDING with its changes and
        record the action, answer with the instance; then, on the build pool,
        check a new image against the host and cast the rebuild there (1.13).

        ``changes``: the columns the rebuild sets besides the image (see
        ``rebuild_task.CHANGEABLE``); ``files``: the request's personality
        files, ``[[path, contents], ...]``, for their quota only.
        """
        if not self.compute_api.can_rebuild():
            raise exception.InstanceInvalidState(
                action=actions.REBUILD, instance_uuid=instance_uuid, attr="compute RPC",
                state="version capped below 1.3 ([upgrade_levels] compute)")
        before, after, image = rebuild_task.start(ctxt, instance_uuid, image_ref, changes,
                                                  files=files)
        self._in_background(f"rebuild of instance {instance_uuid}", rebuild_task.drive,
                            ctxt, self.scheduler_api, self.compute_api, before, after, image,
                            preserve_ephemeral, self.host)
        return after

    # --- delete

    def delete_instance(self, ctxt: RequestContext, instance_uuid: str) -> None:
        """Start a delete: mark it deleting, then finish it here or on its host.

        The task_state swap comes first: from then on no claim can give the
        instance a host (claims require ``scheduling``), so the host read
        after it is final.
        """
        instance = db_instances.get(ctxt, instance_uuid)
        if instance["task_state"] == states.DELETING:
            return
        db_actions.action_start(ctxt, instance_uuid, actions.DELETE)
        try:
            instance = db_instances.update(instance_uuid, {"task_state": states.DELETING},
                                           expected_task_state=[instance["task_state"]])
        except exception.UnexpectedTaskStateError:
            # Another transition won; read again and take it from there.
            instance = db_instances.get(ctxt, instance_uuid)
            if instance["task_state"] == states.DELETING:
                return
            instance = db_instances.update(instance_uuid, {"task_state": states.DELETING})
        host = instance["host"]
        if host and self._compute_is_up(host):
            self.compute_api.terminate_instance(ctxt, host, instance)
            return
        # Never placed, or its host is down: nothing runs that we could stop.
        db_actions.event_start(ctxt, instance_uuid, actions.EVENT_LOCAL_DELETE, self.host)
        with transaction() as conn:
            db_claims.release(instance_uuid, conn=conn)
            move_claims.release_all(instance_uuid, conn=conn)
            db_instances.soft_delete(instance_uuid, conn)
        db_actions.event_finish(ctxt, instance_uuid, actions.EVENT_LOCAL_DELETE,
                                actions.SUCCESS, self.host, finish_action=True)

    def soft_delete_instance(self, ctxt: RequestContext, instance_uuid: str) -> None:
        """Start a deferred delete (1.15; ``[DEFAULT] reclaim_instance_interval``).

        Recorded as a delete, as in Nova: task soft-deleting and
        ``deleted_at`` now, then the host powers the guest off and sets
        SOFT_DELETED. A server on no host, or on a host that is down, is
        deleted at once (Nova's local delete destroys it too).
        """
        instance = db_instances.get(ctxt, instance_uuid)
        if instance["task_state"] in (states.DELETING, states.SOFT_DELETING):
            return
        host = instance["host"]
        if not (host and self._compute_is_up(host)):
            self.delete_instance(ctxt, instance_uuid)
            return
        with transaction() as conn:
            instance = db_instances.update(
                instance_uuid, {"task_state": states.SOFT_DELETING, "deleted_at": utcnow()},
                expected_task_state=[instance["task_state"]], conn=conn)
            db_actions.action_start(ctxt, instance_uuid, actions.DELETE, conn=conn)
        self.compute_api.soft_delete_instance(ctxt, host, instance)

    @staticmethod
    def _compute_is_up(host: str) -> bool:
        services = db_services.service_get_all(binary=COMPUTE_BINARY, host=host)
        return bool(services) and servicegroup.is_up(services[0]["last_seen_up"],
                                                     services[0]["forced_down"])
