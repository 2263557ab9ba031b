"""The request spec: everything the scheduler needs to place one create request.

It travels as a dict (JSON over RPC); this module is the one place that
knows its keys, so the conductor, scheduler and compute agree on them.
"""

from typing import Any


def build(*, instance_uuids: list[str], project_id: str, user_id: str,
          flavor: dict, image: dict | None, availability_zone: str | None,
          scheduler_hints: dict | None = None,
          min_count: int | None = None,
          requested_destination: dict | None = None) -> dict[str, Any]:
    """A new spec for the instances of one create request.

    ``min_count`` is how many of them must get a host for any to be built
    (default: all), Nova's min_count of a multi-create.
    ``requested_destination`` (``{"host", "node"}``, API 2.74) restricts the
    candidates to that host and/or node.
    """
    num = len(instance_uuids)
    return {
        "instance_uuids": list(instance_uuids),
        "num_instances": num,
        "min_count": max(1, min(min_count or num, num)),
        "project_id": project_id,
        "user_id": user_id,
        "flavor": dict(flavor),
        "image": dict(image or {"id": None, "properties": {}}),
        "availability_zone": availability_zone,
        "scheduler_hints": dict(scheduler_hints or {}),
        "ignore_hosts": [],
        "requested_destination": dict(requested_destination or {}),
        "retry": {"num_attempts": 0, "hosts": []},
    }


def for_one_instance(spec: dict, instance_uuid: str) -> dict:
    """A copy narrowed to one instance, for a reschedule of that instance alone."""
    narrowed = dict(spec)
    narrowed["instance_uuids"] = [instance_uuid]
    narrowed["num_instances"] = 1
    narrowed["min_count"] = 1
    narrowed["retry"] = {
        "num_attempts": spec.get("retry", {}).get("num_attempts", 0),
        "hosts": list(spec.get("retry", {}).get("hosts", [])),
    }
    return narrowed


def record_attempt(spec: dict, host: str, node: str) -> None:
    """Count one more build attempt and remember the host it went to."""
    retry = spec.setdefault("retry", {"num_attempts": 0, "hosts": []})
    retry["num_attempts"] = retry.get("num_attempts", 0) + 1
    retry.setdefault("hosts", []).append([host, node])
