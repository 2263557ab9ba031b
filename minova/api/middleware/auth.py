"""Authentication: turn a request's credentials into a RequestContext.

An auth middleware has one job: put a ``minova.context.RequestContext`` in
``environ["minova.context"]`` (or answer the request itself). Controllers
only ever read that key, so a keystone middleware can be added to
``AUTH_STRATEGIES`` later without touching them.
"""

from collections.abc import Callable

import webob
import webob.dec
from oslo_config import cfg

import minova.conf  # noqa: F401  (registers [api] auth_strategy)
from minova import exception
from minova.api.middleware import request_id
from minova.context import RequestContext

CONF = cfg.CONF

ENV_CONTEXT = "minova.context"


class NoAuthMiddleware:
    """Nova's ``noauth2``: trust the X-Auth-Token header, for development only.

    The token is ``user:project`` (no colon: user and project are the
    token); user ``admin`` is an administrator. A request without a token
    gets Nova's fake "login" answer: 204 with ``X-Auth-Token`` and
    ``X-Server-Management-Url``, built from ``X-Auth-User`` and
    ``X-Auth-Project-Id`` (both default to ``admin``).
    """

    def __init__(self, application) -> None:
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req: webob.Request):
        if "X-Auth-Token" not in req.headers:
            user_id = req.headers.get("X-Auth-User", "admin")
            project_id = req.headers.get("X-Auth-Project-Id", "admin")
            res = webob.Response(status=204, content_type="text/plain")
            res.headers["X-Auth-Token"] = f"{user_id}:{project_id}"
            res.headers["X-Server-Management-Url"] = "/".join(
                [req.url.rstrip("/"), project_id]
            )
            return res

        token = req.headers["X-Auth-Token"]
        user_id, _sep, project_id = token.partition(":")
        project_id = project_id or user_id
        is_admin = user_id == "admin"
        req.environ[ENV_CONTEXT] = RequestContext(
            user_id=user_id,
            project_id=project_id,
            is_admin=is_admin,
            roles=["admin"] if is_admin else [],
            request_id=req.environ.get(request_id.ENV_REQUEST_ID),
            global_request_id=req.environ.get(request_id.ENV_GLOBAL_REQUEST_ID),
            remote_address=req.remote_addr,
        )
        return self.application


AUTH_STRATEGIES: dict[str, Callable] = {
    "noauth2": NoAuthMiddleware,
}


def wrap_with_auth(application, strategy: str | None = None):
    """``application`` behind the auth middleware ``[api] auth_strategy`` names."""
    strategy = strategy or CONF.api.auth_strategy
    try:
        middleware = AUTH_STRATEGIES[strategy]
    except KeyError:
        raise exception.ConfigurationError(
            reason=f"unknown [api] auth_strategy {strategy!r}") from None
    return middleware(application)
