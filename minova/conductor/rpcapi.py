"""Client side of the conductor's RPC API: two clients on the ``conductor`` topic.

* ``ConductorAPI`` mirrors ``ConductorManager`` and the conductor's other
  database doors (aggregates, flavors, images, key pairs, quotas, server
  attributes, server groups): every other service reaches the database
  only through it.
* ``ComputeTaskAPI`` mirrors ``ComputeTaskManager``: the orchestration of a
  server's life (create and build, build progress from compute hosts,
  lifecycle actions, delete). The api uses it through
  ``minova.conductor.api.ComputeTaskAPI``.

Both speak one versioned interface (the endpoints share the topic);
version history:

* 1.0 - initial: instance create/read/update/delete, builds, reschedules,
  flavors, images, services, compute nodes, host states, instance actions,
  start_instance_action / instance_action_finish for lifecycle actions.
* 1.1 - host aggregates (aggregate_*) and flavor extra specs
  (flavor_extra_specs_update / flavor_extra_specs_delete).
* 1.2 - service_update (enable, disable, force down a service).
* 1.3 - server groups (server_group_*); instance_get(read_deleted=True).
* 1.4 - what a user changes on a server: server_update, server_metadata_*,
  server_tag(s)_*.
* 1.5 - build_finished(root_device_name).
* 1.6 - flavor_update (a flavor's description, API 2.55),
  server_group_uuids_for_instance (API 2.71) and aggregate_cache_images
  (API 2.81).
* 1.7 - keypairs (keypair_*) and flavor access (flavor_access_add/remove).
* 1.8 - quotas, limits and usage: quota_get, quota_defaults, quota_update,
  quota_delete, tenant_usage_instances.
* 1.9 - schedule_and_build_instances (records and builds in one call; an
  api that can send it no longer uses create_instances + build_instances);
  build_finished(failed_builds_reset). A compute host no longer calls
  build_started (the claim moves the instance to spawning); the endpoint
  stays for compute hosts of an earlier release.
* 1.10 - service_heartbeat(building): a compute lists the builds it has
  taken and not yet reported (for build recovery).
* 1.11 - schedule_and_build_instances(instance_uuids): the api chooses the
  uuids, so a create it sends again (no conductor answered in time) is
  answered with the instances a first attempt recorded, never made twice.
* 1.12 - per-user quotas (quota_get / quota_update / quota_delete with
  user_id) and quota classes (quota_class_get, quota_class_update).
"""

import copy

from oslo_config import cfg

from minova import exception, rpc
from minova.context import RequestContext

CONF = cfg.CONF

TOPIC = "conductor"


class _Client:
    """One versioned client of the conductor topic."""

    # The newest version this release sends; an older conductor refuses
    # what it does not know, so the conductors are upgraded first.
    VERSION_CAP = "1.12"
    # Each call's bounds; None: oslo.messaging's defaults (rpc_response_timeout;
    # reconnect to the broker for as long as it takes). See bounded().
    timeout: float | None = None
    retry: int | None = None

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, version="1.0", version_cap=self.VERSION_CAP)

    def bounded(self, timeout: float, send_retries: int):
        """This client, with every call waiting at most ``timeout`` for its answer
        and every message given up after ``send_retries`` reconnections to the
        broker: the api's calls ([api] conductor_timeout), or one attempt of a
        call that ``minova.retry`` repeats."""
        bounded = copy.copy(self)
        bounded.timeout, bounded.retry = timeout, send_retries
        return bounded

    def _call(self, ctxt: RequestContext, method: str, version: str = "1.0",
              timeout: float | None = None, **kwargs):
        return self.client.prepare(version=version, timeout=timeout or self.timeout,
                                   retry=self.retry).call(ctxt, method, **kwargs)

    def _cast(self, ctxt: RequestContext, method: str, version: str = "1.0",
              **kwargs) -> None:
        self.client.prepare(version=version, retry=self.retry).cast(ctxt, method,
                                                                            **kwargs)

    def can_send_version(self, version: str) -> bool:
        return self.client.can_send_version(version)


class ComputeTaskAPI(_Client):
    """What the api and the compute hosts ask of the conductor's ComputeTaskManager."""

    # --- create and build (the api, through minova.conductor.api)

    def schedule_and_build_instances(self, ctxt: RequestContext, base: dict, count: int,
                                     request_spec: dict,
                                     instance_uuids: list[str] | None = None) -> list[dict]:
        """Record ``count`` instances in BUILD/scheduling and start building them (1.9).

        Returns ``[{"uuid", "display_name"}, ...]``, what the 202 answer shows;
        scheduling, claiming and the cast to a compute host go on in the
        conductor after the answer. ``instance_uuids`` (1.11, one per
        instance): the call may be sent again with the same ones.
        """
        if instance_uuids is not None:
            return self._call(ctxt, "schedule_and_build_instances", version="1.11", base=base,
                              count=count, request_spec=request_spec,
                              instance_uuids=instance_uuids)
        return self._call(ctxt, "schedule_and_build_instances", version="1.9", base=base,
                          count=count, request_spec=request_spec)

    def create_instances(self, ctxt: RequestContext, base: dict, count: int,
                         request_spec: dict) -> dict:
        """Record the instances only (1.0, for a conductor older than 1.9).

        Returns ``{"instances": [...], "request_spec": {...}}``; the spec goes
        on to build_instances.
        """
        return self._call(ctxt, "create_instances", base=base, count=count,
                          request_spec=request_spec)

    def build_instances(self, ctxt: RequestContext, instance_uuids: list[str],
                        request_spec: dict, host_lists: list | None = None) -> None:
        """Schedule, claim and cast recorded instances (1.0, with create_instances)."""
        self._cast(ctxt, "build_instances", instance_uuids=instance_uuids,
                   request_spec=request_spec, host_lists=host_lists)

    def start_instance_action(self, ctxt: RequestContext, instance_uuid: str, action: str,
                              expected_vm_state: list, expected_task_state: list,
                              task_state: str) -> dict:
        """Move an idle instance into ``task_state`` and record the user's action.

        Raises InstanceInvalidState (409) when the instance is not in one of
        the expected states, so of two racing actions only one starts.
        """
        return self._call(ctxt, "start_instance_action", instance_uuid=instance_uuid, action=action,
                          expected_vm_state=expected_vm_state,
                          expected_task_state=expected_task_state, task_state=task_state)

    def delete_instance(self, ctxt: RequestContext, instance_uuid: str) -> None:
        """Start deleting a server wherever it is in its life."""
        return self._call(ctxt, "delete_instance", instance_uuid=instance_uuid)

    # --- build progress (compute hosts)

    def build_started(self, ctxt: RequestContext, instance_uuid: str, host: str) -> dict:
        """The spawn begins (1.0; a compute host of this release does not send it)."""
        return self._call(ctxt, "build_started", instance_uuid=instance_uuid, host=host)

    def build_finished(self, ctxt: RequestContext, instance_uuid: str, host: str,
                       power_state: int, root_device_name: str | None = None,
                       failed_builds_reset: bool = False) -> None:
        """The guest runs: ACTIVE, the build event and the create action finished.

        ``failed_builds_reset``: this host had failed builds in a row before
        this one, so the conductor sets its count back to 0 (1.9; the host
        keeps the count, as Nova's compute does, so a success after a
        success costs no write).
        """
        return self._call(ctxt, "build_finished", version="1.9", instance_uuid=instance_uuid,
                          host=host, power_state=power_state, root_device_name=root_device_name,
                          failed_builds_reset=failed_builds_reset)

    def build_failed(self, ctxt: RequestContext, instance_uuid: str, host: str,
                     node: str, reason: str, details: str, request_spec: dict,
                     alternates: list, reschedule: bool, wait_for_receipt: bool = False) -> None:
        """A spawn failed on ``host``: free its claim, then reschedule or go to ERROR.

        A cast; with ``wait_for_receipt`` a call of the same endpoint (any
        version), answered once the conductor has checked the instance is
        still spawning on ``host`` and taken the work: a cast lost with a
        broker restart would leave the build in BUILD, a call can be sent
        again (``minova.compute.conductor_calls``).
        """
        send = self._call if wait_for_receipt else self._cast
        send(ctxt, "build_failed", instance_uuid=instance_uuid, host=host, node=node,
             reason=reason, details=details, request_spec=request_spec, alternates=alternates,
             reschedule=reschedule)


class ConductorAPI(_Client):
    """What api, scheduler and compute read and write through the conductor."""

    # --- instances

    def instance_get(self, ctxt: RequestContext, instance_uuid: str,
                     read_deleted: bool = False) -> dict:
        """The instance as ``ctxt`` may see it; a deleted one too with ``read_deleted`` (1.3)."""
        if read_deleted:
            return self._call(ctxt, "instance_get", version="1.3", instance_uuid=instance_uuid,
                              read_deleted=True)
        return self._call(ctxt, "instance_get", instance_uuid=instance_uuid)

    def instance_get_all(self, ctxt: RequestContext, filters: dict | None = None,
                         limit: int | None = None, marker: str | None = None,
                         sort_keys: list | None = None,
                         sort_dirs: list | None = None,
                         columns: list[str] | None = None) -> list[dict]:
        """``columns``: only those (see db.instances.get_all); sent only when
        given, so a conductor that predates it still answers (with every column)."""
        if columns is not None:
            return self._call(ctxt, "instance_get_all", filters=filters or {}, limit=limit,
                              marker=marker, sort_keys=sort_keys, sort_dirs=sort_dirs,
                              columns=columns)
        return self._call(ctxt, "instance_get_all", filters=filters or {}, limit=limit,
                          marker=marker, sort_keys=sort_keys, sort_dirs=sort_dirs)

    def instance_action_finish(self, ctxt: RequestContext, instance_uuid: str, event: str,
                               host: str, updates: dict, expected_task_state: list,
                               error: str | None = None,
                               traceback: str | None = None) -> None:
        """Apply the outcome of a compute action, close its event and its action."""
        return self._call(ctxt, "instance_action_finish", instance_uuid=instance_uuid, event=event,
                          host=host, updates=updates, expected_task_state=expected_task_state,
                          error=error, traceback=traceback)

    # --- compute host side

    def instance_update(self, ctxt: RequestContext, instance_uuid: str, updates: dict,
                        expected_task_state=None, expected_vm_state=None) -> dict:
        """Compare-and-swap: applies ``updates`` only if the states are as expected.

        ``expected_*`` of None means "do not check"; a list means "any of these"
        (put None in the list to accept an idle instance).
        """
        return self._call(ctxt, "instance_update", instance_uuid=instance_uuid, updates=updates,
                          expected_task_state=expected_task_state,
                          expected_vm_state=expected_vm_state)

    def instance_destroy(self, ctxt: RequestContext, instance_uuid: str, host: str) -> None:
        """The guest is gone from ``host``: free the allocation, mark the instance deleted."""
        return self._call(ctxt, "instance_destroy", instance_uuid=instance_uuid, host=host)

    def instance_get_all_by_host(self, ctxt: RequestContext, host: str) -> list[dict]:
        return self._call(ctxt, "instance_get_all_by_host", host=host)

    def action_event_start(self, ctxt: RequestContext, instance_uuid: str, event: str,
                           host: str | None = None) -> None:
        return self._call(ctxt, "action_event_start", instance_uuid=instance_uuid, event=event,
                          host=host)

    def action_event_finish(self, ctxt: RequestContext, instance_uuid: str, event: str,
                            result: str, host: str | None = None,
                            traceback: str | None = None,
                            details: str | None = None) -> None:
        return self._call(ctxt, "action_event_finish", instance_uuid=instance_uuid, event=event,
                          result=result, host=host, traceback=traceback, details=details)

    # --- services and compute nodes

    def service_register(self, ctxt: RequestContext, host: str, binary: str,
                         topic: str, timeout: float | None = None) -> dict:
        """Create or find the service record. A short ``timeout`` lets a service
        that starts before the conductor retry soon: RabbitMQ drops a message
        sent before the conductor's queue exists."""
        return self._call(ctxt, "service_register", timeout=timeout, host=host, binary=binary,
                          topic=topic)

    def service_heartbeat(self, ctxt: RequestContext, service_id: int,
                          building: list[str] | None = None) -> None:
        """``building``: a compute's builds taken and not yet reported; not sent
        to a conductor older than 1.10 (it then never re-casts to this host)."""
        if building is not None and self.client.can_send_version("1.10"):
            return self._call(ctxt, "service_heartbeat", version="1.10",
                              service_id=service_id, building=building)
        return self._call(ctxt, "service_heartbeat", service_id=service_id)

    def service_get_all(self, ctxt: RequestContext, binary: str | None = None,
                        host: str | None = None) -> list[dict]:
        return self._call(ctxt, "service_get_all", binary=binary, host=host)

    def service_update(self, ctxt: RequestContext, values: dict,
                       service_uuid: str | None = None, host: str | None = None,
                       binary: str | None = None) -> dict:
        """Set disabled/disabled_reason/forced_down on the service named by uuid or
        by host and binary; returns its service_get_all view."""
        return self._call(ctxt, "service_update", version="1.2", values=values,
                          service_uuid=service_uuid, host=host, binary=binary)

    def compute_node_update(self, ctxt: RequestContext, service_id: int, host: str,
                            nodename: str, resources: dict) -> dict:
        """Create or update this host's compute node from the driver's inventory."""
        return self._call(ctxt, "compute_node_update", service_id=service_id, host=host,
                          nodename=nodename, resources=resources)

    def compute_node_get_all(self, ctxt: RequestContext) -> list[dict]:
        return self._call(ctxt, "compute_node_get_all")

    def compute_node_get(self, ctxt: RequestContext, compute_node_id: str) -> dict:
        return self._call(ctxt, "compute_node_get", compute_node_id=compute_node_id)

    def get_host_states(self, ctxt: RequestContext,
                        since_generations: dict | None = None) -> dict:
        """Host states for the scheduler (see docs/architecture.md for the shape)."""
        return self._call(ctxt, "get_host_states", since_generations=since_generations)

    # --- flavors and images

    def flavor_get_all(self, ctxt: RequestContext) -> list[dict]:
        return self._call(ctxt, "flavor_get_all")

    def flavor_get(self, ctxt: RequestContext, flavorid: str) -> dict:
        return self._call(ctxt, "flavor_get", flavorid=flavorid)

    def flavor_create(self, ctxt: RequestContext, values: dict) -> dict:
        return self._call(ctxt, "flavor_create", values=values)

    def flavor_delete(self, ctxt: RequestContext, flavorid: str) -> None:
        return self._call(ctxt, "flavor_delete", flavorid=flavorid)

    def image_get_all(self, ctxt: RequestContext, filters: dict | None = None,
                      limit: int | None = None, marker: str | None = None) -> list[dict]:
        """Images ``ctxt`` may see, newest first (public, community and its project's;
        all for an admin). ``filters`` as ``minova.db.images.image_get_all`` takes them."""
        return self._call(ctxt, "image_get_all", filters=filters or {}, limit=limit, marker=marker)

    def image_get(self, ctxt: RequestContext, image_id: str) -> dict:
        """One image; ``ImageNotFound`` also when ``ctxt`` may not see it."""
        return self._call(ctxt, "image_get", image_id=image_id)

    def image_create(self, ctxt: RequestContext, values: dict) -> dict:
        """A new ``queued`` image owned by ``ctxt``'s project."""
        return self._call(ctxt, "image_create", values=values)

    def image_update(self, ctxt: RequestContext, image_id: str, values: dict,
                     properties: dict | None = None, remove_properties: list | None = None,
                     expected_status: str | list | None = None) -> dict:
        """Change columns (``values``) and custom properties of an image ``ctxt`` owns.

        ``expected_status`` makes it a compare-and-swap on the status
        (``ImageStatusConflict`` when the image moved on meanwhile).
        """
        return self._call(ctxt, "image_update", image_id=image_id, values=values,
                          properties=properties, remove_properties=remove_properties,
                          expected_status=expected_status)

    def image_delete(self, ctxt: RequestContext, image_id: str) -> dict:
        """Delete an image record ``ctxt`` owns (``ImageProtected`` if protected);
        returns the deleted record. The caller removes the bytes."""
        return self._call(ctxt, "image_delete", image_id=image_id)

    # --- instance actions

    def actions_get(self, ctxt: RequestContext, instance_uuid: str) -> list[dict]:
        return self._call(ctxt, "actions_get", instance_uuid=instance_uuid)

    def action_get_by_request_id(self, ctxt: RequestContext, instance_uuid: str,
                                 request_id: str) -> dict:
        return self._call(ctxt, "action_get_by_request_id", instance_uuid=instance_uuid,
                          request_id=request_id)

    # --- host aggregates (1.1)

    def aggregate_get_all(self, ctxt: RequestContext) -> list[dict]:
        """Every aggregate with ``hosts``, ``metadata`` and ``availability_zone``."""
        return self._call(ctxt, "aggregate_get_all", version="1.1")

    def aggregate_get(self, ctxt: RequestContext, aggregate_id: int) -> dict:
        return self._call(ctxt, "aggregate_get", version="1.1", aggregate_id=aggregate_id)

    def aggregate_create(self, ctxt: RequestContext, name: str,
                         availability_zone: str | None = None) -> dict:
        """``AggregateNameExists`` (409) when the name is taken."""
        return self._call(ctxt, "aggregate_create", version="1.1", name=name,
                          availability_zone=availability_zone)

    def aggregate_update(self, ctxt: RequestContext, aggregate_id: int, values: dict) -> dict:
        """``values``: ``name`` and/or ``availability_zone``."""
        return self._call(ctxt, "aggregate_update", version="1.1", aggregate_id=aggregate_id,
                          values=values)

    def aggregate_delete(self, ctxt: RequestContext, aggregate_id: int) -> None:
        """Refused (``InvalidAggregateActionDelete``) while the aggregate has hosts."""
        return self._call(ctxt, "aggregate_delete", version="1.1", aggregate_id=aggregate_id)

    def aggregate_add_host(self, ctxt: RequestContext, aggregate_id: int, host: str) -> dict:
        return self._call(ctxt, "aggregate_add_host", version="1.1", aggregate_id=aggregate_id,
                          host=host)

    def aggregate_remove_host(self, ctxt: RequestContext, aggregate_id: int,
                              host: str) -> dict:
        return self._call(ctxt, "aggregate_remove_host", version="1.1", aggregate_id=aggregate_id,
                          host=host)

    def aggregate_set_metadata(self, ctxt: RequestContext, aggregate_id: int,
                               metadata: dict) -> dict:
        """Set keys; a None value deletes the key."""
        return self._call(ctxt, "aggregate_set_metadata", version="1.1", aggregate_id=aggregate_id,
                          metadata=metadata)

    # --- flavor extra specs (1.1)

    def flavor_extra_specs_update(self, ctxt: RequestContext, flavorid: str,
                                  specs: dict) -> dict:
        """Merge ``specs`` into the flavor's extra specs; returns them all."""
        return self._call(ctxt, "flavor_extra_specs_update", version="1.1", flavorid=flavorid,
                          specs=specs)

    def flavor_extra_specs_delete(self, ctxt: RequestContext, flavorid: str,
                                  key: str) -> None:
        return self._call(ctxt, "flavor_extra_specs_delete", version="1.1", flavorid=flavorid,
                          key=key)

    # --- server groups (1.3)

    def server_group_create(self, ctxt: RequestContext, name: str, policy: str,
                            rules: dict | None = None) -> dict:
        """A group of ``ctxt``'s project; ``rules`` only for anti-affinity (the api checks)."""
        return self._call(ctxt, "server_group_create", version="1.3", name=name, policy=policy,
                          rules=rules or {})

    def server_group_get(self, ctxt: RequestContext, group_uuid: str) -> dict:
        """The group with its live ``members``; ``InstanceGroupNotFound`` (404) also
        when it is another project's and ``ctxt`` is not an admin."""
        return self._call(ctxt, "server_group_get", version="1.3", group_uuid=group_uuid)

    def server_group_get_all(self, ctxt: RequestContext, all_projects: bool = False,
                             limit: int | None = None, offset: int = 0) -> list[dict]:
        """``ctxt``'s project's groups, oldest first (every project's: admins, all_projects)."""
        return self._call(ctxt, "server_group_get_all", version="1.3", all_projects=all_projects,
                          limit=limit, offset=offset)

    def server_group_delete(self, ctxt: RequestContext, group_uuid: str) -> None:
        """Delete the group; its member instances stay."""
        return self._call(ctxt, "server_group_delete", version="1.3", group_uuid=group_uuid)

    # --- what a user changes on a server (1.4); another project's server is
    # InstanceNotFound, a metadata or tag change outside Nova's states
    # InstanceInvalidState (409)

    def server_update(self, ctxt: RequestContext, instance_uuid: str, values: dict) -> dict:
        """Set ``display_name``, ``description``, ``access_ip_v4/6``; the instance after."""
        return self._call(ctxt, "server_update", version="1.4", instance_uuid=instance_uuid,
                          values=values)

    def server_metadata_update(self, ctxt: RequestContext, instance_uuid: str,
                               metadata: dict, delete: bool = False) -> dict:
        """Merge ``metadata`` (replace all with ``delete``); the server's metadata after."""
        return self._call(ctxt, "server_metadata_update", version="1.4",
                          instance_uuid=instance_uuid, metadata=metadata, delete=delete)

    def server_metadata_delete(self, ctxt: RequestContext, instance_uuid: str,
                               key: str) -> None:
        """``MetadataItemNotFound`` (404) when the server has no such key."""
        return self._call(ctxt, "server_metadata_delete", version="1.4",
                          instance_uuid=instance_uuid, key=key)

    def server_tag_add(self, ctxt: RequestContext, instance_uuid: str, tag: str) -> bool:
        """True if the tag was added, False if the server had it already."""
        return self._call(ctxt, "server_tag_add", version="1.4", instance_uuid=instance_uuid,
                          tag=tag)

    def server_tags_set(self, ctxt: RequestContext, instance_uuid: str,
                        tags: list[str]) -> list[str]:
        """Replace all tags; the server's tags after, sorted."""
        return self._call(ctxt, "server_tags_set", version="1.4", instance_uuid=instance_uuid,
                          tags=tags)

    def server_tag_delete(self, ctxt: RequestContext, instance_uuid: str, tag: str) -> None:
        """``InstanceTagNotFound`` (404) when the server does not have the tag."""
        return self._call(ctxt, "server_tag_delete", version="1.4", instance_uuid=instance_uuid,
                          tag=tag)

    def server_tags_delete_all(self, ctxt: RequestContext, instance_uuid: str) -> None:
        return self._call(ctxt, "server_tags_delete_all", version="1.4",
                          instance_uuid=instance_uuid)

    # --- API microversion reads and writes (1.6)

    def flavor_update(self, ctxt: RequestContext, flavorid: str, values: dict) -> dict:
        """Set the flavor's ``description`` (nothing else changes); the flavor after."""
        return self._call(ctxt, "flavor_update", version="1.6", flavorid=flavorid, values=values)

    def aggregate_cache_images(self, ctxt: RequestContext, aggregate_id: int,
                               image_ids: list[str]) -> list[str]:
        """Check the images and cast a cache request to each up host of the
        aggregate; the hosts asked (``AggregateNotFound``, ``ImageNotFoundForBuild``,
        ``ImageNotActive`` when it cannot)."""
        return self._call(ctxt, "aggregate_cache_images", version="1.6", aggregate_id=aggregate_id,
                          image_ids=image_ids)

    def server_group_uuids_for_instance(self, ctxt: RequestContext,
                                        instance_uuid: str) -> list[str]:
        """The uuids of the server groups the instance belongs to (at most one)."""
        return self._call(ctxt, "server_group_uuids_for_instance", version="1.6",
                          instance_uuid=instance_uuid)

    # --- keypairs and flavor access (1.7)

    def keypair_create(self, ctxt: RequestContext, user_id: str, name: str,
                       key_type: str = "ssh", public_key: str | None = None) -> dict:
        """Import ``public_key`` or, when None, generate a pair (the answer then
        carries ``private_key``, which is not stored). InvalidKeypair (400),
        KeyPairExists (409)."""
        return self._call(ctxt, "keypair_create", version="1.7", user_id=user_id, name=name,
                          key_type=key_type, public_key=public_key)

    def keypair_get(self, ctxt: RequestContext, user_id: str, name: str) -> dict:
        """KeypairNotFound (404) when the user has no keypair of that name."""
        return self._call(ctxt, "keypair_get", version="1.7", user_id=user_id, name=name)

    def keypair_get_all(self, ctxt: RequestContext, user_id: str, limit: int | None = None,
                        marker: str | None = None) -> list[dict]:
        """The user's keypairs by name, after the one named ``marker`` (MarkerNotFound)."""
        return self._call(ctxt, "keypair_get_all", version="1.7", user_id=user_id, limit=limit,
                          marker=marker)

    def keypair_delete(self, ctxt: RequestContext, user_id: str, name: str) -> None:
        return self._call(ctxt, "keypair_delete", version="1.7", user_id=user_id, name=name)

    def flavor_access_add(self, ctxt: RequestContext, flavorid: str,
                          project_id: str) -> list[str]:
        """Share a flavor with a project (FlavorAccessExists, 409); its projects after."""
        return self._call(ctxt, "flavor_access_add", version="1.7", flavorid=flavorid,
                          project_id=project_id)

    def flavor_access_remove(self, ctxt: RequestContext, flavorid: str,
                             project_id: str) -> list[str]:
        """Unshare (FlavorAccessNotFound, 404); the flavor's projects after."""
        return self._call(ctxt, "flavor_access_remove", version="1.7", flavorid=flavorid,
                          project_id=project_id)

    # --- quotas, limits and usage (1.8)

    def _quota_version(self, user_id: str | None) -> tuple[str, dict]:
        """1.8, or 1.12 with the user's id for a user's quotas (or a quota class:
        Invalid, a 400, while the conductors may not be sent 1.12:
        [upgrade_levels] conductor)."""
        if user_id is None:
            return "1.8", {}
        if not self.can_send_version("1.12"):
            raise exception.Invalid(
                reason="per-user quotas and quota classes need conductor RPC 1.12")
        return "1.12", {"user_id": user_id}

    def quota_get(self, ctxt: RequestContext, project_id: str, usages: bool = False,
                  user_id: str | None = None) -> dict:
        """``{"limits": {resource: limit}}`` of the project (or of one of its users,
        1.12), and ``"in_use"`` with ``usages``."""
        version, extra = self._quota_version(user_id)
        return self._call(ctxt, "quota_get", version=version, project_id=project_id,
                          usages=usages, **extra)

    def quota_defaults(self, ctxt: RequestContext) -> dict:
        """Every project's default limits (the ``default`` quota class's)."""
        return self._call(ctxt, "quota_defaults", version="1.8")

    def quota_update(self, ctxt: RequestContext, project_id: str, values: dict,
                     force: bool = False, user_id: str | None = None) -> dict:
        """Set limits (of a user, 1.12); without ``force`` one out of Nova's bounds
        is Invalid (400)."""
        version, extra = self._quota_version(user_id)
        return self._call(ctxt, "quota_update", version=version, project_id=project_id,
                          values=values, force=force, **extra)

    def quota_delete(self, ctxt: RequestContext, project_id: str,
                     user_id: str | None = None) -> None:
        """The project's limits back to the defaults (a user's to the project's, 1.12)."""
        version, extra = self._quota_version(user_id)
        return self._call(ctxt, "quota_delete", version=version, project_id=project_id,
                          **extra)

    def quota_class_get(self, ctxt: RequestContext, class_name: str) -> dict:
        """1.12: a quota class's limit of every resource."""
        self._quota_version(class_name)
        return self._call(ctxt, "quota_class_get", version="1.12", class_name=class_name)

    def quota_class_update(self, ctxt: RequestContext, class_name: str, values: dict) -> dict:
        """1.12: set a quota class's limits; all of them after."""
        self._quota_version(class_name)
        return self._call(ctxt, "quota_class_update", version="1.12", class_name=class_name,
                          values=values)

    def tenant_usage_instances(self, ctxt: RequestContext, start: str, stop: str,
                               project_id: str | None = None, limit: int | None = None,
                               marker: str | None = None) -> list[dict]:
        """The instances billed between ``start`` and ``stop`` (MarkerNotFound, 400)."""
        return self._call(ctxt, "tenant_usage_instances", version="1.8", start=start, stop=stop,
                          project_id=project_id, limit=limit, marker=marker)
