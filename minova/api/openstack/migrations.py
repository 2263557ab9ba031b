"""``/os-migrations``: the migrations of servers between hosts (Nova's API).

Query parameters, as Nova's schemas: up to 2.58 any parameter is accepted
(``status``, ``host``, ``source_compute``, ``instance_uuid``,
``migration_type``, ``hidden`` filter); 2.59 adds ``limit``/``marker`` (a
migration uuid) and ``changes-since`` and refuses unknown parameters, 2.66
``changes-before``, 2.80 ``user_id`` and ``project_id``. Asking for other
projects' migrations (no ``project_id``, or another one) needs the
``index:all_projects`` policy; the hosts are shown under ``index:host``.
The records come from ``MigrationAPI`` (none yet: minova moves no server).
"""


import webob.exc

from minova import exception, policy
from minova.api import validation, wsgi
from minova.api.openstack import pagination, query
from minova.api.schemas import migrations as schema
from minova.api.views import links
from minova.api.views import migrations as migrations_view
from minova.compute.migration_api import MigrationAPI
from minova.policies import migrations as migrations_policies

PAGING_MIN_VERSION = "2.59"
_FILTERS = ("hidden", "host", "instance_uuid", "source_compute", "status", "migration_type")


def _query(req: wsgi.Request) -> dict:
    """The filters of a request, checked as Nova's schema of its version."""
    if not req.is_microversion(PAGING_MIN_VERSION):
        # Before 2.59 anything goes, and changes-since/-before are dropped.
        return {name: req.GET[name] for name in req.GET
                if name not in ("changes-since", "changes-before", "limit", "marker")}
    single = ["limit", "marker", "changes-since"]
    if req.is_microversion("2.66"):
        single.append("changes-before")
    if req.is_microversion("2.80"):
        single += ["user_id", "project_id"]
    query.single_values(req, (*single, *_FILTERS))  # unknown or repeated: 400
    params = {name: req.GET[name] for name in req.GET}
    return query.paging_and_changes(params)


class MigrationsController:
    """Controller of ``/os-migrations``."""

    def __init__(self, migration_api: MigrationAPI) -> None:
        self.migration_api = migration_api

    @validation.response_body_schema(schema.index_response, "2.1", "2.22")
    @validation.response_body_schema(schema.index_response_v223, "2.23", "2.58")
    @validation.response_body_schema(schema.index_response_v259, "2.59", "2.79")
    @validation.response_body_schema(schema.index_response_v280, "2.80")
    def index(self, req: wsgi.Request) -> dict:
        context = req.context
        policy.authorize(context, migrations_policies.POLICY_ROOT % "index")
        filters = _query(req)
        if filters.get("project_id") != context.project_id:
            policy.authorize(context, migrations_policies.POLICY_ROOT % "index:all_projects")
        show_hosts = policy.authorize(context, migrations_policies.POLICY_ROOT % "index:host",
                                      fatal=False)
        paged = req.is_microversion(PAGING_MIN_VERSION)
        limit = marker = None
        if paged:
            limit, marker = pagination.get_limit_and_marker(req)
        for name in ("limit", "marker"):
            filters.pop(name, None)
        try:
            migrations = self.migration_api.get_migrations(context, filters, limit, marker)
        except exception.MarkerNotFound as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message()) from None
        views = [migrations_view.show(req, m, show_hosts) for m in migrations
                 if not m.get("hidden")]
        body = {"migrations": views}
        if paged:
            next_links = links.collection_links(req, views, "os-migrations", "uuid")
            if next_links:
                body["migrations_links"] = next_links
        return body


