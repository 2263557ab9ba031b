"""Quotas, limits and usage through the conductor."""

from minova import exception
from minova.conductor.rpcapi.client import _Client
from minova.context import RequestContext


class QuotasAPI(_Client):
    """Quotas of projects, users and quota classes; usage for os-simple-tenant-usage."""

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
