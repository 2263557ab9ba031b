"""Nova's instance action views, at each microversion.

2.58 adds the action's ``updated_at``; an event carries ``hostId`` and, for
callers the ``os_compute_api:os-instance-actions:events`` policy allows,
``host`` from 2.62, and its ``details`` from 2.84 for callers
``os_compute_api:os-instance-actions:events:details`` allows. Below those
versions the trace is in minova's logs (and in what admins see from 2.62 on).
"""

from minova.api import wsgi
from minova.api.views import servers as servers_view
from minova.api.views import times

ACTION_KEYS = ("action", "instance_uuid", "request_id", "user_id", "project_id",
               "start_time", "message")
UPDATED_AT_MIN_VERSION = "2.58"
HOST_MIN_VERSION = "2.62"
DETAILS_MIN_VERSION = "2.84"


def action(request: wsgi.Request, raw: dict) -> dict:
    result = {key: raw.get(key) for key in ACTION_KEYS}
    result["start_time"] = times.perfect_time(raw.get("start_time"))
    if request.is_microversion(UPDATED_AT_MIN_VERSION):
        result["updated_at"] = times.perfect_time(raw.get("updated_at"))
    return result


def event(request: wsgi.Request, raw: dict, project_id: str, show_traceback: bool,
          show_details: bool = False) -> dict:
    """One event; ``traceback`` (and, from 2.62, ``host``) only for callers the
    events policy allows, ``details`` only when ``show_details`` (the caller
    checked the version and the events:details policy)."""
    result = {
        "event": raw.get("event"),
        "start_time": times.perfect_time(raw.get("start_time")),
        "finish_time": times.perfect_time(raw.get("finish_time")),
        "result": raw.get("result"),
    }
    if show_traceback:
        result["traceback"] = raw.get("traceback")
    if request.is_microversion(HOST_MIN_VERSION):
        if show_traceback:
            result["host"] = raw.get("host")
        result["hostId"] = servers_view.host_id(raw.get("host"), project_id)
    if show_details:
        result["details"] = raw.get("details")
    return result
