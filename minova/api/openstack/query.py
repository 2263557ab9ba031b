"""Query strings Nova's schemas close: from 2.75 an unknown parameter is a 400.

Nova's 2.75 made the query schemas of most lists ``additionalProperties:
False``; each controller names the parameters its list knows. A few
lists closed theirs earlier (hypervisors at 2.53, instance actions at
2.58), with each parameter given at most once: ``single_values``.
"""

import datetime

import webob.exc

from minova.api import wsgi

STRICT_QUERY_MIN_VERSION = "2.75"


def invalid(name: str, value, reason: str) -> webob.exc.HTTPBadRequest:
    """The 400 of a query parameter its schema refuses, in Nova's words."""
    return webob.exc.HTTPBadRequest(
        explanation=f"Invalid input for query parameters {name}. Value: {value}. {reason}")


def _refuse_unknown(req: wsgi.Request, known) -> None:
    for name in req.GET:
        if name not in known:
            raise webob.exc.HTTPBadRequest(
                explanation=f"Additional properties are not allowed ('{name}' was unexpected)")


def check_known(req: wsgi.Request, known: tuple[str, ...],
                since: str = STRICT_QUERY_MIN_VERSION) -> None:
    """400 for a parameter outside ``known`` in a request at ``since`` or later."""
    if not req.is_microversion(since):
        return
    _refuse_unknown(req, known)


def single_values(req: wsgi.Request, known) -> dict[str, str]:
    """The ``known`` parameters given, each at most once (a repeated one is a
    400, as Nova's schemas allow no list); 400 for any other parameter."""
    _refuse_unknown(req, known)
    params = {}
    for name in known:
        values = req.GET.getall(name)
        if len(values) > 1:
            raise invalid(name, values, f"{values} is too long")
        if values:
            params[name] = values[0]
    return params


def timestamp(name: str, value: str) -> datetime.datetime:
    """A ``date-time`` query parameter (Nova's ``format: date-time``) as naive
    UTC, the way the database keeps times; 400 when it is not one."""
    try:
        at = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(name, value, f"'{value}' is not a 'date-time'") from None
    if at.tzinfo is not None:
        at = at.astimezone(datetime.UTC).replace(tzinfo=None)
    return at


def paging_and_changes(params: dict) -> dict:
    """``params`` with ``limit`` checked and ``changes-since``/``changes-before``
    parsed (400s in Nova's words), as the lists with a changes window read them
    (instance actions, migrations)."""
    if "limit" in params and not params["limit"].isdigit():
        raise invalid("limit", params["limit"], f"'{params['limit']}' is not valid")
    for name in ("changes-since", "changes-before"):
        if name in params:
            params[name] = timestamp(name, params[name])
    since, before = params.get("changes-since"), params.get("changes-before")
    if since and before and before < since:
        raise webob.exc.HTTPBadRequest(
            explanation="The value of changes-since must be less than or equal to "
            "changes-before.")
    return params
