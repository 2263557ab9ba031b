"""The facades the REST layer talks to, and the one place they are built.

Controllers never hold an RPC client: ``minova.api.openstack.routes`` gives
each one the facade of what it serves, and the facades share the one
conductor client ``build`` makes. Which facade serves which controllers:

* ``compute`` (``minova.compute.api.API``): servers, their actions,
  metadata, tags, topology and instance actions
* ``hosts`` (``HostAPI``): services, hypervisors, availability zones
* ``aggregates`` (``AggregateAPI``): host aggregates
* ``keypairs`` (``KeypairAPI``): key pairs
* ``flavors`` (``FlavorAPI``): flavors, flavor-manage, extra specs, flavor access
* ``quotas`` (``QuotaAPI``): quota sets, limits, simple tenant usage
* ``server_groups`` (``ServerGroupAPI``): server groups
* ``images`` (``minova.image.api.API``): the image API and Nova's image proxy
* ``migrations`` (``MigrationAPI``): migrations
"""

import dataclasses

from oslo_config import cfg

from minova.compute import (
    aggregate_api,
    flavor_api,
    host_api,
    keypair_api,
    migration_api,
    quota_api,
    server_group_api,
)
from minova.compute import api as compute_api
from minova.compute import rpcapi as compute_rpcapi
from minova.conductor import api as conductor_task_api
from minova.conductor import rpcapi as conductor_rpcapi
from minova.image import api as image_api

CONF = cfg.CONF

# How many times the api's messages are retried while the broker cannot be
# reached (oslo.messaging's default is for ever).
_BROKER_RETRIES = 2


@dataclasses.dataclass(frozen=True)
class Facades:
    """One of each facade, as the routes hand them to the controllers."""

    compute: compute_api.API
    hosts: host_api.HostAPI
    aggregates: aggregate_api.AggregateAPI
    keypairs: keypair_api.KeypairAPI
    flavors: flavor_api.FlavorAPI
    quotas: quota_api.QuotaAPI
    server_groups: server_group_api.ServerGroupAPI
    images: image_api.API
    migrations: migration_api.MigrationAPI

    @classmethod
    def unbound(cls) -> "Facades":
        """None for every facade: controllers only keep what they are given, so the
        URL table can be built without any (for the OpenAPI document)."""
        return cls(**{field.name: None for field in dataclasses.fields(cls)})


def build(conductor_api: conductor_rpcapi.ConductorAPI | None = None,
          compute_rpc: compute_rpcapi.ComputeAPI | None = None,
          compute_task_api: conductor_task_api.ComputeTaskAPI | None = None) -> Facades:
    """Every facade over one conductor client (a new one unless given) and, for
    the compute facade, one compute client (its casts to hosts) and the
    conductor's ComputeTaskAPI (create, build, actions, delete)."""
    # Bounded calls: a dead conductor or an unreachable broker is a 503 within
    # [api] conductor_timeout, not a request held for rpc_response_timeout.
    bounds = (CONF.api.conductor_timeout, _BROKER_RETRIES)
    conductor_api = conductor_api or conductor_rpcapi.ConductorAPI().bounded(*bounds)
    compute_task_api = compute_task_api or conductor_task_api.ComputeTaskAPI(
        conductor_rpcapi.ComputeTaskAPI().bounded(*bounds))
    compute_rpc = compute_rpc or compute_rpcapi.ComputeAPI()
    return Facades(
        compute=compute_api.API(conductor_api, compute_rpc, compute_task_api),
        hosts=host_api.HostAPI(conductor_api, compute_rpc),
        aggregates=aggregate_api.AggregateAPI(conductor_api),
        keypairs=keypair_api.KeypairAPI(conductor_api),
        flavors=flavor_api.FlavorAPI(conductor_api),
        quotas=quota_api.QuotaAPI(conductor_api),
        server_groups=server_group_api.ServerGroupAPI(conductor_api),
        images=image_api.API(conductor_api=conductor_api),
        migrations=migration_api.MigrationAPI(conductor_api,
                                               getattr(compute_task_api, "rpcapi", None)),
    )
