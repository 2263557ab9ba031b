"""``/os-availability-zone``: zone names for everyone, their hosts for admins.

Nova's ``availabilityZoneInfo`` shape. A zone is available when one of its
compute services is enabled. The conductor's service list already carries
each service's ``zone`` (an aggregate's zone, else the compute's default,
``internal`` for the other services), so no other lookup is needed.
"""

from minova import policy
from minova.api import validation, wsgi
from minova.api.schemas import availability_zone as schema
from minova.api.views import times
from minova.compute.host_api import HostAPI
from minova.policies import availability_zone as az_policies

INTERNAL_ZONE = "internal"


def _zones(services: list[dict]) -> tuple[list[str], list[str]]:
    """(available, not available) zone names, in first-seen order."""
    available: list[str] = []
    for service in services:
        if not service["disabled"] and service["zone"] not in available:
            available.append(service["zone"])
    unavailable: list[str] = []
    for service in services:
        zone = service["zone"]
        if service["disabled"] and zone not in available and zone not in unavailable:
            unavailable.append(zone)
    return available, unavailable


class AvailabilityZoneController:
    """Controller of ``/os-availability-zone`` and ``/detail``."""

    def __init__(self, host_api: HostAPI) -> None:
        self.host_api = host_api

    @validation.response_body_schema(schema.index_response)
    def index(self, req: wsgi.Request) -> dict:
        policy.authorize(req.context, az_policies.POLICY_ROOT % "list", {})
        available, unavailable = _zones(self.host_api.service_get_all(req.context))
        info = [{"zoneName": zone, "zoneState": {"available": True}, "hosts": None}
                for zone in available if zone != INTERNAL_ZONE]
        info += [{"zoneName": zone, "zoneState": {"available": False}, "hosts": None}
                 for zone in unavailable if zone != INTERNAL_ZONE]
        return {"availabilityZoneInfo": info}

    @validation.response_body_schema(schema.detail_response)
    def detail(self, req: wsgi.Request) -> dict:
        policy.authorize(req.context, az_policies.POLICY_ROOT % "detail", {})
        services = self.host_api.service_get_all(req.context)
        available, unavailable = _zones(services)
        info = []
        for zone in available:
            hosts: dict[str, dict] = {}
            for service in services:
                if service["zone"] != zone or service["disabled"]:
                    continue
                hosts.setdefault(service["host"], {})[service["binary"]] = {
                    "available": service["state"] == "up",
                    "active": not service["disabled"],
                    "updated_at": times.perfect_time(
                        service.get("last_seen_up") or service.get("updated_at")),
                }
            info.append({"zoneName": zone, "zoneState": {"available": True}, "hosts": hosts})
        info += [{"zoneName": zone, "zoneState": {"available": False}, "hosts": None}
                 for zone in unavailable]
        return {"availabilityZoneInfo": info}
