"""Nova's service view: ``forced_down`` from 2.11, the uuid as ``id`` from 2.53."""

from minova.api.views import times


def show(service: dict, req=None) -> dict:
    """One service; ``updated_at`` is its last heartbeat, as Nova's updated time."""
    view = {
        "id": service["id"],
        "binary": service["binary"],
        "host": service["host"],
        "zone": service.get("zone"),
        "status": "disabled" if service.get("disabled") else "enabled",
        "state": "up" if service.get("state") == "up" else "down",
        "updated_at": times.perfect_time(
            service.get("last_seen_up") or service.get("updated_at")),
        "disabled_reason": service.get("disabled_reason"),
    }
    if req is not None and req.is_microversion("2.11"):
        view["forced_down"] = bool(service.get("forced_down"))
    if req is not None and req.is_microversion("2.53"):
        view["id"] = service["uuid"]
    return view
