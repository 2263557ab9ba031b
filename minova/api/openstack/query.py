"""Query strings Nova's schemas close: from 2.75 an unknown parameter is a 400.

Nova's 2.75 made the query schemas of most lists ``additionalProperties:
False``; each controller names the parameters its list knows.
"""

import webob.exc

from minova.api import wsgi

STRICT_QUERY_MIN_VERSION = "2.75"


def check_known(req: wsgi.Request, known: tuple[str, ...],
                since: str = STRICT_QUERY_MIN_VERSION) -> None:
    """400 for a parameter outside ``known`` in a request at ``since`` or later."""
    if not req.is_microversion(since):
        return
    for name in req.GET:
        if name not in known:
            raise webob.exc.HTTPBadRequest(
                explanation=f"Additional properties are not allowed ('{name}' was unexpected)")
