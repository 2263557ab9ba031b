"""Nova's view of a migration in ``/os-migrations``, at each microversion.

A migration record carries Nova's fields (``id``, ``uuid``, ``instance_uuid``,
``source_compute``, ``source_node``, ``dest_compute``, ``dest_node``,
``dest_host``, ``old_instance_type_id``, ``new_instance_type_id``,
``status``, ``migration_type``, ``hidden``, ``created_at``, ``updated_at``,
``user_id``, ``project_id``).
"""

from minova.api import wsgi
from minova.api.views import links, times

# Nova's live migrations still running: only these get links (2.23).
_LIVE_IN_PROGRESS = ("queued", "preparing", "running", "post-migrating")
_HOST_FIELDS = ("dest_compute", "dest_host", "dest_node", "source_compute", "source_node")


def show(req: wsgi.Request, migration: dict, show_hosts: bool) -> dict:
    """One migration; the host fields are null unless ``show_hosts`` (policy
    ``os_compute_api:os-migrations:index:host``)."""
    view = {
        "id": migration["id"],
        "instance_uuid": migration["instance_uuid"],
        "old_instance_type_id": migration.get("old_instance_type_id"),
        "new_instance_type_id": migration.get("new_instance_type_id"),
        "status": migration["status"],
        "created_at": times.perfect_time(migration["created_at"]),
        "updated_at": times.perfect_time(migration.get("updated_at")),
    }
    for field in _HOST_FIELDS:
        view[field] = migration.get(field) if show_hosts else None
    if req.is_microversion("2.23"):
        view["migration_type"] = migration["migration_type"]
        if (migration["migration_type"] == "live-migration"
                and migration["status"] in _LIVE_IN_PROGRESS):
            view["links"] = links.resource_links(
                req, f"servers/{migration['instance_uuid']}/migrations", migration["id"])
    if req.is_microversion("2.59"):
        view["uuid"] = migration["uuid"]
    if req.is_microversion("2.80"):
        view["user_id"] = migration["user_id"]
        view["project_id"] = migration["project_id"]
    return view
