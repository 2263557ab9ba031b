"""Migrations as the REST layer sees them (``/os-migrations``,
``/servers/{id}/migrations``).

The one door the API reads migrations through: it asks the conductor
(``migration_get_all``, conductor RPC 1.18) and the controller and view
(``minova.api.views.migrations``) give each one Nova's shape at every
microversion. Against conductors older than 1.18 (which record no
migrations) it answers none.
"""

from minova import exception
from minova.conductor import rpcapi as conductor_rpcapi
from minova.context import RequestContext


class MigrationAPI:
    """Migration records of cold migrations and resizes."""

    def __init__(self, conductor_api: conductor_rpcapi.ConductorAPI,
                 moves_api: conductor_rpcapi.ComputeTaskAPI | None = None) -> None:
        self.conductor_api = conductor_api
        self.moves_api = moves_api

    def get_migrations(self, ctxt: RequestContext, filters: dict, limit: int | None = None,
                       marker: str | None = None) -> list[dict]:
        """The migrations matching ``filters`` (Nova's: ``status``, ``host``,
        ``source_compute``, ``instance_uuid``, ``migration_type``, ``hidden``,
        ``changes-since``, ``changes-before``, ``user_id``, ``project_id``),
        newest first, ``limit`` of them after ``marker`` (a migration uuid,
        MarkerNotFound when unknown)."""
        if self.moves_api is None or not self.moves_api.can_send_version("1.18"):
            if marker is not None:
                raise exception.MarkerNotFound(marker=marker)
            return []
        return self.moves_api.migration_get_all(ctxt, filters, limit=limit, marker=marker)
