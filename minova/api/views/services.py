"""Nova's v2.1 service view (no ``forced_down``: that is 2.11)."""

from minova.api.views import times


def show(service: dict) -> dict:
    """One service; ``updated_at`` is its last heartbeat, as Nova's updated time."""
    return {
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
