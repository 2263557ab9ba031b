"""``MovesAPI``: the conductor's cold migration and resize (1.18), part of
``ComputeTaskAPI``. See "The life of a cold migration" in docs/architecture.md."""

from minova.context import RequestContext

_V = "1.18"


class MovesAPI:
    """What the api and the compute hosts ask of the conductor about moves."""

    # --- the api

    def migrate_server(self, ctxt: RequestContext, instance_uuid: str,
                       flavor_ref: str | None = None, host: str | None = None) -> dict:
        """Check and record a cold migration (no ``flavor_ref``) or a resize;
        answered with the instance in resize_prep, or the 4xx."""
        return self._call(ctxt, "migrate_server", version=_V, instance_uuid=instance_uuid,
                          flavor_ref=flavor_ref, host=host)

    def confirm_resize(self, ctxt: RequestContext, instance_uuid: str) -> None:
        return self._call(ctxt, "confirm_resize", version=_V, instance_uuid=instance_uuid)

    def revert_resize(self, ctxt: RequestContext, instance_uuid: str) -> None:
        return self._call(ctxt, "revert_resize", version=_V, instance_uuid=instance_uuid)

    def migration_get_all(self, ctxt: RequestContext, filters: dict, limit=None,
                          marker=None) -> list[dict]:
        return self._call(ctxt, "migration_get_all", version=_V, filters=filters,
                          limit=limit, marker=marker)

    # --- the compute hosts

    def migration_get(self, ctxt: RequestContext, migration_uuid: str) -> dict:
        return self._call(ctxt, "migration_get", version=_V, migration_uuid=migration_uuid)

    def migrations_in_progress(self, ctxt: RequestContext, host: str) -> list[dict]:
        return self._call(ctxt, "migrations_in_progress", version=_V, host=host)

    def migrations_unconfirmed(self, ctxt: RequestContext, host: str,
                               window: int) -> list[dict]:
        return self._call(ctxt, "migrations_unconfirmed", version=_V, host=host,
                          window=window)

    def move_step(self, ctxt: RequestContext, migration_uuid: str, host: str,
                  from_task_state: str, task_state: str, status: str | None = None,
                  power_state: int | None = None) -> None:
        return self._call(ctxt, "move_step", version=_V, migration_uuid=migration_uuid,
                          host=host, from_task_state=from_task_state, task_state=task_state,
                          status=status, power_state=power_state)

    def move_finished(self, ctxt: RequestContext, migration_uuid: str, host: str,
                      power_state: int) -> None:
        return self._call(ctxt, "move_finished", version=_V, migration_uuid=migration_uuid,
                          host=host, power_state=power_state)

    def move_failed(self, ctxt: RequestContext, migration_uuid: str, host: str | None,
                    error: str, details: str | None, event: str) -> None:
        return self._call(ctxt, "move_failed", version=_V, migration_uuid=migration_uuid,
                          host=host, error=error, details=details, event=event)

    def confirm_finished(self, ctxt: RequestContext, migration_uuid: str, host: str,
                         power_state: int | None = None, error: str | None = None,
                         details: str | None = None) -> None:
        return self._call(ctxt, "confirm_finished", version=_V,
                          migration_uuid=migration_uuid, host=host, power_state=power_state,
                          error=error, details=details)

    def revert_finished(self, ctxt: RequestContext, migration_uuid: str, host: str,
                        power_state: int) -> None:
        return self._call(ctxt, "revert_finished", version=_V, migration_uuid=migration_uuid,
                          host=host, power_state=power_state)
