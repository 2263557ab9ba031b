"""Nova's instance action views.

Besides the v2.1 fields, events carry ``hostId`` (Nova's 2.62), ``details``
(2.84) and, when the caller may see tracebacks, ``host`` (2.62) at every
microversion, on purpose: the instance action trace is minova's main
debugging aid (docs/api.md).
"""

from minova.api.views import servers as servers_view
from minova.api.views import times

ACTION_KEYS = ("action", "instance_uuid", "request_id", "user_id", "project_id",
               "start_time", "message")


def action(raw: dict) -> dict:
    result = {key: raw.get(key) for key in ACTION_KEYS}
    result["start_time"] = times.perfect_time(raw.get("start_time"))
    return result


def event(raw: dict, project_id: str, show_traceback: bool) -> dict:
    """One event; ``traceback`` and ``host`` only for callers the policy allows."""
    result = {
        "event": raw.get("event"),
        "start_time": times.perfect_time(raw.get("start_time")),
        "finish_time": times.perfect_time(raw.get("finish_time")),
        "result": raw.get("result"),
    }
    if show_traceback:
        result["traceback"] = raw.get("traceback")
        result["host"] = raw.get("host")
    result["hostId"] = servers_view.host_id(raw.get("host"), project_id)
    result["details"] = raw.get("details")
    return result
