"""The request spec as filters and weighers read it.

Filters run once per host per instance; working out what one instance
needs from the flavor there would repeat the same arithmetic thousands of
times per request, so it is done once here.
"""

from typing import Any

from minova.objects import capacity


class SchedulingSpec:
    """A request spec dict plus what one of its instances needs.

    ``spec["key"]`` and ``spec.get("key")`` read the request spec, so a
    filter can be written against the documented dict shape.
    """

    __slots__ = ("request_spec", "requested", "vcpus", "memory_mb", "disk_gb",
                 "availability_zone")

    def __init__(self, request_spec: dict) -> None:
        self.request_spec = request_spec
        self.requested = capacity.requested_resources(request_spec["flavor"])
        self.vcpus = self.requested["vcpus"]
        self.memory_mb = self.requested["memory_mb"]
        self.disk_gb = self.requested["disk_gb"]
        self.availability_zone = request_spec.get("availability_zone")

    def __getitem__(self, key: str) -> Any:
        return self.request_spec[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.request_spec.get(key, default)
