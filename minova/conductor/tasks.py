"""The conductor's orchestration endpoints: create, build, reschedule, delete.

A build is: ask the scheduler (call), claim the chosen host with one
atomic conditional write (falling back to the alternates, then to a fresh
scheduling round), then cast to that host's compute. Every way a build can
fail ends in ERROR with a fault the user can read; none leaves it in BUILD.
"""

import json

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging

from minova import concurrency, exception, servicegroup
from minova.compute import rpcapi as compute_rpcapi
from minova.conductor import images as conductor_images
from minova.conductor import quotas as conductor_quotas
from minova.conductor import scheduler_hints
from minova.db import actions as db_actions
from minova.db import claims as db_claims
from minova.db import flavors as db_flavors
from minova.db import images as db_images
from minova.db import instances as db_instances
from minova.db import keypairs as db_keypairs
from minova.db import services as db_services
from minova.db.engine import transaction
from minova.db.rows import utcnow
from minova.objects import actions, capacity, flavor_access, image_properties, states
from minova.objects import request_spec as spec_lib
from minova.objects.hostname import sanitize_hostname
from minova.scheduler import rpcapi as scheduler_rpcapi

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# What a compute host needs of the image to fetch, verify and boot it.
_IMAGE_KEYS = ("id", "name", "status", "disk_format", "container_format", "size", "checksum",
               "os_hash_algo", "os_hash_value", "min_disk", "min_ram", "properties")

_FLAVOR_KEYS = ("flavorid", "name", "vcpus", "memory_mb", "root_gb", "ephemeral_gb", "swap",
                "rxtx_factor", "extra_specs")


class ComputeTaskManager:
    """Endpoints on the ``conductor`` topic that drive instances through their life."""

    target = messaging.Target(version="1.0")

    def __init__(self, host: str, scheduler_api=None, compute_api=None,
                 build_pool=None) -> None:
        self.host = host
        self.scheduler_api = scheduler_api or scheduler_rpcapi.SchedulerAPI()
        self.compute_api = compute_api or compute_rpcapi.ComputeAPI()
        # Orchestration waits on the scheduler, which calls back into this
        # service: it must not hold the RPC workers those calls need.
        self.build_pool = build_pool or concurrency.worker_pool(CONF.conductor.build_workers)

    def _in_background(self, func, ctxt, *args) -> None:
        def run():
            # The worker thread logs under the request's id, like the RPC thread.
            ctxt.update_store()
            try:
                func(ctxt, *args)
            except Exception:  # a build must never die silently
                LOG.exception("%s failed", func.__name__)
        self.build_pool.submit(run)

    # --- create

    def create_instances(self, ctxt, base: dict, count: int, request_spec: dict) -> dict:
        """Record ``count`` instances in BUILD and their ``create`` actions.

        Resolves the flavor and image here, where the database is, so the
        api needs one round trip to accept a create.
        """
        flavor = self._flavor_for_build(ctxt, base.pop("flavor_ref"))
        image = self._image_for_build(ctxt, base.get("image_ref"))
        self._check_key_name(ctxt, base.get("key_name"))
        az = request_spec.get("availability_zone")
        if az and az not in (db_services.availability_zones() | {CONF.default_availability_zone}):
            raise exception.AvailabilityZoneNotFound()
        self._check_requested_destination(request_spec.get("requested_destination"))
        name = base.pop("display_name")
        rows = []
        for index in range(count):
            row = dict(base)
            row.update(
                display_name=name if count == 1 else f"{name}-{index + 1}",
                project_id=ctxt.project_id, user_id=ctxt.user_id, launch_index=index,
                flavor=flavor, vcpus=flavor["vcpus"], memory_mb=flavor["memory_mb"],
                root_gb=flavor["root_gb"], ephemeral_gb=flavor["ephemeral_gb"],
                vm_state=states.BUILDING, task_state=states.SCHEDULING,
                power_state=states.NOSTATE, availability_zone=az,
                # what the server was asked for, shown from API 2.96 / 2.100
                pinned_availability_zone=az,
                scheduler_hints=dict(request_spec.get("scheduler_hints") or {}))
            row.setdefault("metadata", {})
            row.setdefault("config_drive", "")
            # A hostname the user gave (API 2.90, one server only) wins over
            # the one derived from the name.
            row["hostname"] = (row.get("hostname")
                               or sanitize_hostname(row["display_name"]) or None)
            if image:
                # As Nova: a kernel/ramdisk image pair named by the image's properties.
                row["kernel_id"] = (image.get("properties") or {}).get("kernel_id")
                row["ramdisk_id"] = (image.get("properties") or {}).get("ramdisk_id")
                # What the image said at create, shown from API 2.98.
                row["image_properties"] = image_properties.from_image(
                    image, flavor, base["image_ref"])
            rows.append(row)
        instances = db_instances.create(
            ctxt, rows, action=actions.CREATE,
            group_uuid=(request_spec.get("scheduler_hints") or {}).get("group"),
            fit=conductor_quotas.instances_fit(ctxt, flavor, base.get("metadata"),
                                               request_spec.get("min_count") or count))
        spec = spec_lib.build(
            instance_uuids=[i["uuid"] for i in instances], project_id=ctxt.project_id,
            user_id=ctxt.user_id, flavor=flavor,
            image={k: image.get(k) for k in _IMAGE_KEYS} if image else None,
            availability_zone=az, scheduler_hints=request_spec.get("scheduler_hints"),
            min_count=request_spec.get("min_count"),
            requested_destination=request_spec.get("requested_destination"))
        return {"instances": instances, "request_spec": spec}

    @staticmethod
    def _check_requested_destination(destination: dict | None) -> None:
        """API 2.74: the host/node an admin named must be a compute node (400)."""
        if not destination:
            return
        host, node = destination.get("host"), destination.get("node")
        for compute_node, _service in db_services.compute_nodes_with_services():
            if host in (None, compute_node["host"]) and node in (
                    None, compute_node["hypervisor_hostname"]):
                return
        raise exception.RequestedDestinationNotFound(host=host, node=node)

    @staticmethod
    def _flavor_for_build(ctxt, flavor_ref: str) -> dict:
        try:
            flavor = db_flavors.flavor_get(flavor_ref)
        except exception.FlavorNotFound:
            raise exception.FlavorNotFoundForBuild(flavor_id=flavor_ref) from None
        # A private flavor not shared with the project is as if it did not exist.
        if flavor["disabled"] or not flavor_access.accessible(ctxt, flavor):
            raise exception.FlavorNotFoundForBuild(flavor_id=flavor_ref)
        return {k: flavor[k] for k in _FLAVOR_KEYS}

    @staticmethod
    def _check_key_name(ctxt, key_name: str | None) -> None:
        """As Nova: the keypair must be the caller's user's (400 otherwise)."""
        if key_name is None:
            return
        try:
            db_keypairs.get(ctxt.user_id, key_name)
        except exception.KeypairNotFound:
            raise exception.KeypairNotFoundForBuild() from None

    @staticmethod
    def _image_for_build(ctxt, image_ref: str | None) -> dict | None:
        if not image_ref:
            return None
        try:
            image = db_images.image_get(image_ref)
        except exception.ImageNotFound:
            raise exception.ImageNotFoundForBuild(image_id=image_ref) from None
        if not conductor_images.visible(ctxt, image):
            # Another project's private image: as if it did not exist.
            raise exception.ImageNotFoundForBuild(image_id=image_ref)
        if image["status"] != "active":
            raise exception.ImageNotActive(image_id=image_ref)
        return image

    # --- build

    def build_instances(self, ctxt, instance_uuids: list[str], request_spec: dict,
                        host_lists: list | None = None) -> None:
        """Place each instance and hand it to its compute host (on the build pool)."""
        self._in_background(self._build_instances, ctxt, instance_uuids, request_spec,
                            host_lists)

    def _build_instances(self, ctxt, instance_uuids: list[str], request_spec: dict,
                         host_lists: list | None = None) -> None:
        started = utcnow()
        decisions: list = [None] * len(instance_uuids)
        if host_lists is None:
            try:
                # Nova's [quota] recheck_quota: over quota by now (its limit
                # was lowered since the create), the request does not build.
                conductor_quotas.recheck(request_spec, len(instance_uuids))
            except Exception as exc:  # over quota, or the database went away
                message = (exc.format_message() if isinstance(exc, exception.TooManyInstances)
                           else f"Build failed in the conductor: {type(exc).__name__}: {exc}")
                if not isinstance(exc, exception.TooManyInstances):
                    LOG.exception("Quota recheck of %s failed", instance_uuids)
                for uuid in instance_uuids:
                    self._fail(ctxt, uuid, message, states.SCHEDULING, started=started)
                return
            try:
                result = self._select(ctxt, request_spec, instance_uuids)
            except exception.NoValidHost as exc:
                for uuid in instance_uuids:
                    self._fail(ctxt, uuid, exc.format_message(), states.SCHEDULING,
                               started=started)
                return
            host_lists = result["selections"]
            decisions = result.get("decisions") or decisions
        if len(instance_uuids) > 1:
            self._build_several(ctxt, instance_uuids, host_lists, request_spec, decisions,
                                started)
            return
        try:
            self._claim_and_cast(ctxt, instance_uuids[0], host_lists[0], request_spec,
                                 decisions[0], started)
        except Exception as exc:  # e.g. the database went away mid-build
            LOG.exception("Build of %s failed in the conductor", instance_uuids[0])
            self._fail(ctxt, instance_uuids[0], f"Build failed in the conductor: "
                       f"{type(exc).__name__}: {exc}", states.SCHEDULING, started=started)

    def _build_several(self, ctxt, instance_uuids: list[str], host_lists: list,
                       request_spec: dict, decisions: list, started) -> None:
        """Claim a host for every placed instance first; build only if min_count got one.

        Casting as each claim succeeds would start builds that must be torn
        down again when a later claim fails and the request falls below
        min_count; claiming all first keeps "all or nothing" a database
        matter, undone by releasing the claims.
        """
        min_count = request_spec.get("min_count") or len(instance_uuids)
        claimed, unplaced = [], []  # unplaced: (uuid, its fault message, the reason)
        for index, uuid in enumerate(instance_uuids):
            spec = spec_lib.for_one_instance(request_spec, uuid)
            hosts = host_lists[index] if index < len(host_lists) else []
            decision = decisions[index] if index < len(decisions) else None
            if not hosts:
                reason = (decision or {}).get("reason") or "The scheduler chose no host for it."
                unplaced.append((uuid, exception.NoValidHost(reason=reason).format_message(),
                                 reason))
                continue
            try:
                claim = self._claim(ctxt, uuid, hosts, spec, decision, started)
            except exception.NoValidHost as exc:
                unplaced.append((uuid, exc.format_message(), exc.kwargs.get("reason", "")))
                continue
            except Exception as exc:  # e.g. the database went away mid-build
                LOG.exception("Claim for %s failed in the conductor", uuid)
                message = f"Build failed in the conductor: {type(exc).__name__}: {exc}"
                unplaced.append((uuid, message, message))
                continue
            if claim is not None:  # else deleted while being scheduled
                claimed.append((uuid, spec, *claim))
        if len(claimed) < min_count:
            self._fail_below_min_count(ctxt, instance_uuids, claimed, unplaced, min_count,
                                       started)
            return
        for uuid, spec, instance, selection, alternates in claimed:
            try:
                self._cast_build(ctxt, uuid, instance, selection, alternates, spec, started)
            except Exception as exc:
                LOG.exception("Build of %s failed in the conductor", uuid)
                self._fail(ctxt, uuid, f"Build failed in the conductor: "
                           f"{type(exc).__name__}: {exc}", states.SCHEDULING, started=started)
        for uuid, message, _ in unplaced:
            self._fail(ctxt, uuid, message, states.SCHEDULING, started=started)

    def _fail_below_min_count(self, ctxt, instance_uuids: list[str], claimed: list,
                              unplaced: list, min_count: int, started) -> None:
        """Give back every claim of the request and fail all its instances."""
        for uuid, *_ in claimed:
            try:
                with transaction() as conn:
                    db_claims.release(uuid, conn=conn)
                    try:
                        db_instances.update(uuid, {"host": None, "node": None},
                                            expected_task_state=[states.SCHEDULING], conn=conn)
                    except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
                        LOG.info("Instance %s was deleted while its request was given up",
                                 uuid)
            except Exception:
                LOG.exception("Could not give back the claim of %s", uuid)
        first = unplaced[0][2] if unplaced else "instances were deleted meanwhile"
        prefix = "There are not enough hosts available: "
        reason = (f"{prefix}{first.removeprefix(prefix)} (placed {len(claimed)} of "
                  f"{len(instance_uuids)}, min_count {min_count})")
        message = exception.NoValidHost(reason=reason).format_message()
        for uuid in instance_uuids:
            self._fail(ctxt, uuid, message, states.SCHEDULING, started=started)

    def _select(self, ctxt, spec: dict, instance_uuids: list[str]) -> dict:
        """The scheduler's answer; any failure to get one is a NoValidHost with the
        reason, so the instances end in ERROR rather than stuck in BUILD."""
        try:
            scheduler_hints.resolve(ctxt, spec)  # groups and hinted hosts, fresh each round
            return self.scheduler_api.select_destinations(ctxt, spec, instance_uuids)
        except exception.NoValidHost:
            raise
        except messaging.MessagingTimeout as exc:
            raise exception.NoValidHost(reason="the scheduler did not answer in time") from exc
        except Exception as exc:
            LOG.exception("select_destinations failed for %s", instance_uuids)
            raise exception.NoValidHost(
                reason=f"scheduling failed: {type(exc).__name__}: {exc}") from exc

    def _claim_and_cast(self, ctxt, uuid: str, hosts: list, spec: dict, decision,
                        started=None) -> None:
        """Claim the first host in ``hosts`` that still has room, and cast the build."""
        try:
            claim = self._claim(ctxt, uuid, hosts, spec, decision, started)
        except exception.NoValidHost as exc:
            self._fail(ctxt, uuid, exc.format_message(), states.SCHEDULING, started=started)
            return
        if claim is not None:
            self._cast_build(ctxt, uuid, *claim, spec, started)

    def _claim(self, ctxt, uuid: str, hosts: list, spec: dict, decision,
               started=None) -> tuple[dict, dict, list] | None:
        """``(instance, selection, alternates left)`` for the first host that still has room.

        When every host given is full, asks the scheduler again, up to
        ``[scheduler] max_attempts`` rounds; raises NoValidHost when no
        host can be had. None if the instance was deleted meanwhile.
        """
        resources = capacity.requested_resources(spec["flavor"])
        for attempt in range(CONF.scheduler.max_attempts):
            for index, selection in enumerate(hosts):
                try:
                    with transaction() as conn:
                        instance = db_claims.claim(
                            uuid, selection["compute_node_id"], selection["service_host"],
                            selection["nodename"], resources, conn=conn,
                            group_uuid=(spec.get("instance_group") or {}).get("uuid"))
                        db_actions.event_finish(
                            ctxt, uuid, actions.EVENT_SCHEDULE, actions.SUCCESS, self.host,
                            details=json.dumps(decision) if decision else None,
                            start_time=started, conn=conn)
                except exception.ClaimFailed:
                    LOG.info("Claim for %s on %s lost a race; trying the next host",
                             uuid, selection["service_host"])
                    continue
                except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
                    LOG.info("Instance %s was deleted while being scheduled", uuid)
                    return None
                LOG.info("Claimed %(vcpus)s vCPU, %(memory_mb)s MiB RAM, %(disk_gb)s GiB disk "
                         "on %(host)s for instance %(uuid)s",
                         dict(resources, host=selection["service_host"], uuid=uuid))
                return instance, selection, hosts[index + 1:]
            if attempt + 1 == CONF.scheduler.max_attempts:
                break
            # Every host we were given filled up under us: ask again.
            result = self._select(ctxt, spec, [uuid])
            hosts, decision = result["selections"][0], (result.get("decisions") or [None])[0]
        raise exception.NoValidHost(
            reason="Every host chosen for it was full by the time it was claimed.")

    def _cast_build(self, ctxt, uuid: str, instance: dict, selection: dict, alternates: list,
                    spec: dict, started=None) -> None:
        """Hand the claimed instance to its compute host; a refused cast frees the claim."""
        host = selection["service_host"]
        LOG.info("Casting the build of instance %s to %s", uuid, host)
        spec_lib.record_attempt(spec, host, selection["nodename"])
        try:
            self.compute_api.build_and_run_instance(
                ctxt, host, instance, selection["nodename"], request_spec=spec,
                alternates=alternates)
        except Exception as exc:  # the bus refused the cast
            LOG.exception("Could not send the build of %s to %s", uuid, host)
            db_claims.release(uuid)
            self._fail(ctxt, uuid, f"Could not send the build to {host}: "
                       f"{type(exc).__name__}: {exc}", states.SCHEDULING, started=started)

    def _fail(self, ctxt, uuid: str, message: str, expected_task_state: str,
              details: str | None = None, started=None,
              event: str = actions.EVENT_SCHEDULE) -> None:
        LOG.warning("Build of instance %s failed: %s", uuid, message)
        if db_instances.set_error(uuid, message, details, self.host,
                                  expected_task_state=[expected_task_state]):
            db_actions.event_finish(ctxt, uuid, event, actions.ERROR, self.host,
                                    traceback=details, details=message, start_time=started)
            db_actions.action_finish(ctxt, uuid)

    def build_failed(self, ctxt, instance_uuid: str, host: str, node: str, reason: str,
                     details: str, request_spec: dict, alternates: list,
                     reschedule: bool) -> None:
        """A compute could not spawn: free its claim, then retry elsewhere or go to ERROR."""
        self._in_background(self._build_failed, ctxt, instance_uuid, host, node, reason,
                            details, request_spec, alternates, reschedule)

    def _build_failed(self, ctxt, instance_uuid: str, host: str, node: str, reason: str,
                      details: str, request_spec: dict, alternates: list,
                      reschedule: bool) -> None:
        db_actions.event_finish(ctxt, instance_uuid, actions.EVENT_BUILD, actions.ERROR, host,
                                traceback=details)
        with transaction() as conn:
            db_claims.release(instance_uuid, conn=conn)
            # For the BuildFailureWeigher, whatever becomes of the instance.
            db_services.compute_node_build_failed(host, node, conn=conn)
            try:
                db_instances.update(instance_uuid, {"host": None, "node": None,
                                                    "task_state": states.SCHEDULING},
                                    expected_task_state=[states.SPAWNING], conn=conn)
            except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
                LOG.info("Instance %s was deleted during its failed build", instance_uuid)
                return
        attempts = request_spec.get("retry", {}).get("num_attempts", 1)
        if not reschedule or attempts >= CONF.scheduler.max_attempts:
            message = (f"Build of instance {instance_uuid} failed on {host}: {reason}"
                       if not reschedule else
                       f"Exceeded maximum number of retries. Exhausted all hosts available "
                       f"for retrying build failures for instance {instance_uuid}. "
                       f"Last error on {host}: {reason}")
            self._fail(ctxt, instance_uuid, message, states.SCHEDULING, details=details)
            return
        LOG.info("Rescheduling %s after a failed build on %s", instance_uuid, host)
        if not alternates:
            try:
                result = self._select(ctxt, request_spec, [instance_uuid])
            except exception.NoValidHost as exc:
                self._fail(ctxt, instance_uuid,
                           f"Exhausted all hosts available for retrying build failures for "
                           f"instance {instance_uuid}. Last error on {host}: {reason}",
                           states.SCHEDULING, details=exc.format_message())
                return
            alternates = result["selections"][0]
        self._claim_and_cast(ctxt, instance_uuid, alternates, request_spec, None)

    # --- lifecycle actions

    def start_instance_action(self, ctxt, instance_uuid: str, action: str,
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

    # --- delete

    def delete_instance(self, ctxt, instance_uuid: str) -> None:
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
            db_instances.soft_delete(instance_uuid, conn)
        db_actions.event_finish(ctxt, instance_uuid, actions.EVENT_LOCAL_DELETE,
                                actions.SUCCESS, self.host)
        db_actions.action_finish(ctxt, instance_uuid)

    @staticmethod
    def _compute_is_up(host: str) -> bool:
        services = db_services.service_get_all(binary="minova-compute", host=host)
        return bool(services) and servicegroup.is_up(services[0]["last_seen_up"],
                                                     services[0]["forced_down"])

