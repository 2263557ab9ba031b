"""``POST .../action`` bodies: the body's single key names the action, as in Nova.

Each controller with an ``action`` route keeps its ``_dispatch`` table
(action name -> handler; the OpenAPI document reads it too) and asks
here which handler a body calls.
"""

from collections.abc import Callable, Mapping

import webob.exc


def handler_for(handlers: Mapping[str, Callable], body) -> Callable:
    """The handler of the action ``body`` names: 400 for a body that is not a
    non-empty object, or that names an action not in ``handlers``."""
    if not isinstance(body, dict) or not body:
        raise webob.exc.HTTPBadRequest(explanation="Malformed request body")
    name = next(iter(body))
    handler = handlers.get(name)
    if handler is None:
        raise webob.exc.HTTPBadRequest(explanation=f"There is no such action: {name}")
    return handler
