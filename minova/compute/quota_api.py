"""What a project may use and what it used: quotas, limits and the usage report.

``QuotaAPI`` serves ``/os-quota-sets``, ``/limits`` and
``/os-simple-tenant-usage``, as the conductor's QuotaManager serves all
three. Usage is counted from the resources when asked (nothing is stored
that could drift); who may read or set another project's is policy,
checked by the controllers.
"""

import datetime

from minova.conductor import rpcapi as conductor_rpcapi
from minova.context import RequestContext


class QuotaAPI:
    """Quota limits, their usage, and the instances a usage report bills."""

    def __init__(self, conductor_api: conductor_rpcapi.ConductorAPI) -> None:
        self.conductor_api = conductor_api

    def get_project_quotas(self, ctxt: RequestContext, project_id: str,
                           usages: bool = False, user_id: str | None = None) -> dict:
        """``{"limits": {resource: limit}}``, and ``"in_use"`` with ``usages``; a
        user's within the project when ``user_id`` is given."""
        return self.conductor_api.quota_get(ctxt, project_id, usages=usages, user_id=user_id)

    def get_defaults(self, ctxt: RequestContext) -> dict:
        """Every project's default limits (the ``default`` quota class's)."""
        return self.conductor_api.quota_defaults(ctxt)

    def update_project_quotas(self, ctxt: RequestContext, project_id: str, values: dict,
                              force: bool = False, user_id: str | None = None) -> dict:
        """Set limits (a user's with ``user_id``); without ``force`` one out of
        Nova's bounds is Invalid (400)."""
        return self.conductor_api.quota_update(ctxt, project_id, values, force=force,
                                               user_id=user_id)

    def delete_project_quotas(self, ctxt: RequestContext, project_id: str,
                              user_id: str | None = None) -> None:
        """The project's limits back to the defaults (a user's to the project's)."""
        self.conductor_api.quota_delete(ctxt, project_id, user_id=user_id)

    def get_class_quotas(self, ctxt: RequestContext, class_name: str) -> dict:
        """A quota class's limit of every resource."""
        return self.conductor_api.quota_class_get(ctxt, class_name)

    def update_class_quotas(self, ctxt: RequestContext, class_name: str,
                            values: dict) -> dict:
        """Set a quota class's limits (``default``: every project's defaults)."""
        return self.conductor_api.quota_class_update(ctxt, class_name, values)

    def get_instances_in_period(self, ctxt: RequestContext, start: datetime.datetime,
                                stop: datetime.datetime, project_id: str | None = None,
                                limit: int | None = None,
                                marker: str | None = None) -> list[dict]:
        """The instances that ran some of [start, stop] (every project's without
        ``project_id``), paged by uuid (MarkerNotFound). Takes naive UTC
        datetimes: the RPC carries them as ISO strings."""
        return self.conductor_api.tenant_usage_instances(
            ctxt, start.isoformat(), stop.isoformat(), project_id=project_id, limit=limit,
            marker=marker)
