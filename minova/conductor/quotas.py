"""Quotas in the conductor: the checks a create runs, and the quota,
limits and usage endpoints (RPC 1.8) behind os-quota-sets, limits and
os-simple-tenant-usage.

Where each quota is enforced: instances, cores and ram when a create
records its instances (``instances_fit``, in the create's transaction,
under the project's lock) and again before the build is scheduled
(``recheck``); server groups and server group members where those are
written (``minova.db.server_groups``); metadata items at create and on
every metadata write (``minova.db.server_attributes``); key pairs where
they are created (``minova.db.quotas.check_key_pairs``).
"""

import datetime

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging

from minova import exception
from minova.db import quotas as db_quotas
from minova.db import tenant_usage as db_tenant_usage
from minova.db.engine import get_engine

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def instances_fit(ctxt, flavor: dict, metadata: dict | None, min_count: int):
    """The ``fit`` of ``minova.db.instances.create`` for a create of ``ctxt``'s project.

    Nova's order: the metadata items first, then how many of the
    instances fit the instances, cores and ram quotas (at least
    ``min_count``, else 403), counted under the project's lock.
    """
    def fit(conn, wanted: int) -> int:
        db_quotas.lock_project(conn, ctxt.project_id)
        limits = db_quotas.get_limits(ctxt.project_id, conn)
        db_quotas.check_metadata_items(conn, ctxt.project_id, len(metadata or {}), limits)
        allowed = db_quotas.check_instances(conn, ctxt.project_id, flavor,
                                            min(min_count, wanted), wanted, limits)
        if allowed < wanted:
            LOG.info("Project %s has room for %d of the %d instances asked for",
                     ctxt.project_id, allowed, wanted)
        return allowed
    return fit


def recheck(request_spec: dict, num_instances: int) -> None:
    """Nova's ``[quota] recheck_quota``: TooManyInstances if the project is over
    its instances, cores or ram quota now that the request's instances exist."""
    if not CONF.quota.recheck_quota:
        return
    with get_engine().connect() as conn:
        db_quotas.recheck_instances(conn, request_spec["project_id"], request_spec["flavor"],
                                    num_instances)


def _minimum_message(resource: str, limit: int, minimum: int) -> str:
    return (f"Quota limit {limit} for {resource} must be greater than or equal to "
            f"already used and reserved {minimum}.")


class QuotaManager:
    """Endpoints on the ``conductor`` topic for quotas, limits and usage."""

    target = messaging.Target(version="1.8")

    def __init__(self, host: str | None = None) -> None:
        self.host = host

    def quota_get(self, ctxt, project_id: str, usages: bool = False) -> dict:
        """``{"limits": {resource: limit}}``, with ``"in_use"`` likewise if asked."""
        result = {"limits": db_quotas.get_limits(project_id)}
        if usages:
            result["in_use"] = db_quotas.usages(project_id)
        return result

    def quota_defaults(self, ctxt) -> dict:
        return db_quotas.defaults()

    def quota_update(self, ctxt, project_id: str, values: dict, force: bool = False) -> dict:
        """Set the project's limits; without ``force`` none may go below what it uses
        (Nova's 400). Returns every limit of the project."""
        if not force:
            in_use = db_quotas.usages(project_id)
            for resource, limit in values.items():
                minimum = in_use.get(resource, 0)
                if 0 <= limit < minimum:
                    raise exception.Invalid(_minimum_message(resource, limit, minimum))
        limits = db_quotas.set_limits(project_id, values)
        LOG.info("Quotas of project %s set: %s", project_id, values)
        return limits

    def quota_delete(self, ctxt, project_id: str) -> None:
        db_quotas.delete_limits(project_id)
        LOG.info("Quotas of project %s back to the defaults", project_id)

    def tenant_usage_instances(self, ctxt, start: str, stop: str, project_id: str | None = None,
                               limit: int | None = None, marker: str | None = None) -> list[dict]:
        """The instances billed in [start, stop] (naive UTC ISO-8601), as
        ``minova.db.tenant_usage.active_in_window``; MarkerNotFound is a 400."""
        return db_tenant_usage.active_in_window(
            datetime.datetime.fromisoformat(start), datetime.datetime.fromisoformat(stop),
            project_id=project_id, limit=limit, marker=marker)
