"""Migrations as the REST layer sees them (``/os-migrations``).

minova moves no server between hosts yet, so it records no migration and
this facade answers every query with none. It is the one door the API
reads migrations through: when migrations are recorded, ``get_migrations``
asks the conductor and the controller and view (``minova.api.views.
migrations``) already give each one Nova's shape at every microversion.
"""

from minova import exception
from minova.conductor import rpcapi as conductor_rpcapi
from minova.context import RequestContext


class MigrationAPI:
    """Migration records (none yet)."""

    def __init__(self, conductor_api: conductor_rpcapi.ConductorAPI) -> None:
        self.conductor_api = conductor_api

    def get_migrations(self, ctxt: RequestContext, filters: dict, limit: int | None = None,
                       marker: str | None = None) -> list[dict]:
        """The migrations matching ``filters`` (Nova's: ``status``, ``host``,
        ``source_compute``, ``instance_uuid``, ``migration_type``, ``hidden``,
        ``changes-since``, ``changes-before``, ``user_id``, ``project_id``),
        newest first, ``limit`` of them after ``marker`` (a migration uuid,
        MarkerNotFound when unknown). None are recorded, so every marker is
        unknown."""
        if marker is not None:
            raise exception.MarkerNotFound(marker=marker)
        return []
