"""Client side of the conductor's RPC API: two clients on the ``conductor`` topic.

* ``ConductorAPI`` mirrors ``ConductorManager`` and the conductor's other
  database doors (aggregates, flavors, images, key pairs, quotas, server
  attributes, server groups): every other service reaches the database
  only through it.
* ``ComputeTaskAPI`` mirrors ``ComputeTaskManager``: the orchestration of a
  server's life (create and build, build progress from compute hosts,
  lifecycle actions, delete). The api uses it through
  ``minova.conductor.api.ComputeTaskAPI``.

Both speak one versioned interface (the endpoints share the topic; the
cap is ``client._Client.VERSION_CAP``). ``ConductorAPI``'s methods are kept
by concern: ``records`` (instances, actions, services, compute nodes),
``catalog`` (flavors, images, aggregates, key pairs), ``servers`` (server
groups and what a user changes on a server), ``quotas``. Version history:

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
* 1.13 - rebuild_instance: check and record a rebuild (REBUILDING, the
  ``rebuild`` action), then check a new image on the host and cast
  rebuild_instance to its compute (compute RPC 1.3).
* 1.14 - server_lock, server_unlock (lock/unlock, with API 2.73's reason),
  server_reset_state (os-resetState).
* 1.15 - soft_delete_instance (a delete with [DEFAULT]
  reclaim_instance_interval > 0).
* 1.16 - instance_get_all(packed): the list as one list of keys and a
  list of values per instance (minova/objects/packed_rows.py), for the
  server lists.
* 1.17 - unshelve_instance (the api: check, record, then power on or place
  an offloaded server), shelve_offload_finish (a compute: the shelved guest
  is gone, free its claim).
* 1.18 - cold migration and resize: migrate_server, confirm_resize,
  revert_resize (the api's calls); move_step, move_finished, move_failed,
  confirm_finished, revert_finished (the compute hosts' reports);
  migration_get_all, migration_get, migrations_in_progress,
  migrations_unconfirmed (reads).
"""

from minova.conductor.rpcapi.catalog import CatalogAPI
from minova.conductor.rpcapi.client import TOPIC
from minova.conductor.rpcapi.compute_task import ComputeTaskAPI
from minova.conductor.rpcapi.quotas import QuotasAPI
from minova.conductor.rpcapi.records import RecordsAPI
from minova.conductor.rpcapi.servers import ServersAPI

__all__ = ["TOPIC", "ComputeTaskAPI", "ConductorAPI"]


class ConductorAPI(RecordsAPI, CatalogAPI, ServersAPI, QuotasAPI):
    """What api, scheduler and compute read and write through the conductor:
    one client, its methods kept by concern in this package's modules."""

