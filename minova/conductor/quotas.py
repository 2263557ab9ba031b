"""Quotas in the conductor: the checks a create runs, and the quota,
limits and usage endpoints (RPC 1.8; 1.12: per-user quotas and quota
classes) behind os-quota-sets, os-quota-class-sets, limits and
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
from minova.db import quota_classes as db_quota_classes
from minova.db import quotas as db_quotas
from minova.db import tenant_usage as db_tenant_usage
from minova.db import user_quotas as db_user_quotas
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
        limits, user_own = db_quotas.limits_and_user_overrides(ctxt.project_id, ctxt.user_id,
                                                               conn)
        db_quotas.check_metadata_items(conn, ctxt.project_id, len(metadata or {}), limits)
        allowed = db_quotas.check_instances(conn, ctxt.project_id, flavor,
                                            min(min_count, wanted), wanted, limits)
        if {"instances", "cores", "ram"} & set(user_own):
            # The user's own limits too, as Nova checks the user's quota.
            allowed = db_user_quotas.check_instances(
                conn, ctxt.project_id, ctxt.user_id, flavor, min(min_count, allowed),
                allowed, dict(limits, **user_own))
        if allowed < wanted:
            LOG.info("Project %s has room for %d of the %d instances asked for",
                     ctxt.project_id, allowed, wanted)
        return allowed
    return fit


def check_upsize(conn, project_id: str, user_id: str, old_flavor: dict,
                 new_flavor: dict) -> None:
    """Nova's ``_check_quota_for_upsize``: a resize to a flavor with more cores
    or ram needs room for the growth in the project's quota (and the user's,
    where it has limits of its own); TooManyInstances (403) if not. Counted
    under the project's lock, in the caller's transaction, so a resize and a
    create racing for the last cores cannot both win. A server's usage is its
    current flavor's (the new one from the end of the move until a revert),
    as Nova's legacy counting."""
    deltas = {"cores": new_flavor["vcpus"] - old_flavor["vcpus"],
              "ram": new_flavor["memory_mb"] - old_flavor["memory_mb"]}
    if all(delta <= 0 for delta in deltas.values()):
        return
    db_quotas.lock_project(conn, project_id)
    limits, user_own = db_quotas.limits_and_user_overrides(project_id, user_id, conn)
    db_quotas.check_deltas(db_quotas.count_instances(conn, project_id), limits, deltas)
    if {"cores", "ram"} & set(user_own):
        db_quotas.check_deltas(db_user_quotas.count_instances(conn, project_id, user_id),
                               dict(limits, **user_own), deltas)


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

    # 1.12: user_id of quota_get/update/delete; quota_class_get/update
    target = messaging.Target(version="1.12")

    def __init__(self, host: str | None = None) -> None:
        self.host = host

    def quota_get(self, ctxt, project_id: str, usages: bool = False,
                  user_id: str | None = None) -> dict:
        """``{"limits": {resource: limit}}``, with ``"in_use"`` likewise if asked;
        a user's (1.12) when ``user_id`` is given."""
        if user_id is not None:
            result = {"limits": db_user_quotas.get_limits(project_id, user_id)}
            if usages:
                result["in_use"] = db_user_quotas.usages(project_id, user_id)
            return result
        result = {"limits": db_quotas.get_limits(project_id)}
        if usages:
            result["in_use"] = db_quotas.usages(project_id)
        return result

    def quota_defaults(self, ctxt) -> dict:
        return db_quotas.defaults()

    def quota_update(self, ctxt, project_id: str, values: dict, force: bool = False,
                     user_id: str | None = None) -> dict:
        """Set the project's (or, 1.12, a user's) limits and return all of them.

        Without ``force``, Nova's bounds (a 400 otherwise): a project limit
        at least what the project uses and what its users' limits add up
        to; a user limit at least what the user uses and at most what the
        project has left for its users plus the user's own limit.
        """
        if user_id is not None:
            return self._user_quota_update(project_id, user_id, values, force)
        if not force:
            in_use = db_quotas.usages(project_id)
            given_to_users = db_user_quotas.sums(project_id)
            for resource, limit in values.items():
                minimum = max(in_use.get(resource, 0), given_to_users.get(resource, 0))
                if 0 <= limit < minimum:
                    raise exception.Invalid(_minimum_message(resource, limit, minimum))
        limits = db_quotas.set_limits(project_id, values)
        LOG.info("Quotas of project %s set: %s", project_id, values)
        return limits

    def _user_quota_update(self, project_id: str, user_id: str, values: dict,
                           force: bool) -> dict:
        if not force:
            project = db_quotas.get_limits(project_id)
            given_to_users = db_user_quotas.sums(project_id)
            own = db_user_quotas.overrides(project_id, user_id)
            in_use = db_user_quotas.usages(project_id, user_id)
            for resource, limit in values.items():
                minimum = in_use.get(resource, 0)
                if 0 <= limit < minimum:
                    raise exception.Invalid(_minimum_message(resource, limit, minimum))
                if project[resource] < 0:
                    continue  # the project's is unlimited: so may the user's be
                maximum = project[resource] - given_to_users.get(resource, 0) + own.get(
                    resource, 0)
                if limit < 0 or limit > maximum:
                    raise exception.Invalid(
                        f"Quota limit {limit} for {resource} must be less than or equal "
                        f"to {maximum}.")
        limits = db_user_quotas.set_limits(project_id, user_id, values)
        LOG.info("Quotas of user %s in project %s set: %s", user_id, project_id, values)
        return limits

    def quota_delete(self, ctxt, project_id: str, user_id: str | None = None) -> None:
        """Back to the defaults: the project's limits and its users' (or, 1.12,
        only ``user_id``'s, back to the project's)."""
        if user_id is not None:
            db_user_quotas.delete_limits(project_id, user_id)
            LOG.info("Quotas of user %s in project %s back to the project's",
                     user_id, project_id)
            return
        db_quotas.delete_limits(project_id)
        db_user_quotas.delete_limits(project_id)
        LOG.info("Quotas of project %s back to the defaults", project_id)

    def quota_class_get(self, ctxt, class_name: str) -> dict:
        """1.12: the class's limit of every resource (stored, else ``[quota]``)."""
        return db_quotas.class_limits(class_name)

    def quota_class_update(self, ctxt, class_name: str, values: dict) -> dict:
        """1.12: set the class's limits (the ``default`` class's are every
        project's defaults); all its limits after."""
        db_quota_classes.set_overrides(class_name, values)
        LOG.info("Quota class %s set: %s", class_name, values)
        return db_quotas.class_limits(class_name)

    def tenant_usage_instances(self, ctxt, start: str, stop: str, project_id: str | None = None,
                               limit: int | None = None, marker: str | None = None) -> list[dict]:
        """The instances billed in [start, stop] (naive UTC ISO-8601), as
        ``minova.db.tenant_usage.active_in_window``; MarkerNotFound is a 400."""
        return db_tenant_usage.active_in_window(
            datetime.datetime.fromisoformat(start), datetime.datetime.fromisoformat(stop),
            project_id=project_id, limit=limit, marker=marker)
