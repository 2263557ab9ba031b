"""Authentication: turn a request's credentials into a RequestContext.

An auth middleware has one job: put a ``minova.context.RequestContext`` in
``environ["minova.context"]`` (or answer the request itself). Controllers
only ever read that key, so they work the same under every strategy of
``AUTH_STRATEGIES``:

* ``noauth2`` trusts the token (development, the all-in-one);
* ``keystone`` is keystonemiddleware's auth_token (configured by
  ``[keystone_authtoken]``), which validates the token with Keystone and
  answers a missing or rejected one itself (401 with ``WWW-Authenticate:
  Keystone uri="..."`` and its own body, what Nova's users see), then
  ``KeystoneContext``, which builds the context from the headers auth_token
  set, as Nova's NovaKeystoneContext does.
"""

from collections.abc import Callable

import webob
import webob.dec
from oslo_config import cfg

import minova.conf  # noqa: F401  (registers [api] auth_strategy)
from minova import exception, policy
from minova.api import faults
from minova.api.middleware import request_id
from minova.context import RequestContext

CONF = cfg.CONF

ENV_CONTEXT = "minova.context"


NOAUTH_401_MESSAGE = (
    "The request you have made requires authentication. This api runs with "
    "[api] auth_strategy = noauth2: send the header 'X-Auth-Token: USER:PROJECT' "
    "(user admin is an administrator).")


class NoAuthMiddleware:
    """Nova's ``noauth2``: trust the X-Auth-Token header, for development only.

    The token is ``user:project`` (no colon: user and project are the
    token). The roles are the comma-separated ``X-Roles`` header when the
    request has one (what a Keystone token would carry, so every role of
    the policy can be tried without Keystone); otherwise user ``admin``
    has every default role and anyone else is a member (and so a reader)
    of the project. Whether the context is an administrator's is the
    ``context_is_admin`` policy on those roles, as with Keystone.

    A request without a token is refused (401, with how to authenticate),
    as Keystone refuses it, unless it is the legacy "login" of Nova's
    noauth middleware, a request with ``X-Auth-User``: that one gets Nova's
    answer, 204 with ``X-Auth-Token`` and ``X-Server-Management-Url``,
    built from ``X-Auth-User`` and ``X-Auth-Project-Id`` (default
    ``admin``). Nova answered the 204 to every token-less request, so a
    forgotten token looked like success with an empty body.
    """

    def __init__(self, application) -> None:
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req: webob.Request):
        if "X-Auth-Token" not in req.headers:
            if "X-Auth-User" not in req.headers:
                return faults.fault_response(401, NOAUTH_401_MESSAGE)
            user_id = req.headers["X-Auth-User"]
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
        ctxt = RequestContext(
            user_id=user_id,
            project_id=project_id,
            roles=_noauth_roles(req, user_id),
            request_id=req.environ.get(request_id.ENV_REQUEST_ID),
            global_request_id=req.environ.get(request_id.ENV_GLOBAL_REQUEST_ID),
            remote_address=req.remote_addr,
        )
        ctxt.is_admin = policy.authorize(ctxt, "context_is_admin", fatal=False)
        req.environ[ENV_CONTEXT] = ctxt
        return self.application


NOAUTH_ADMIN_ROLES = ["admin", "member", "reader"]
NOAUTH_USER_ROLES = ["member", "reader"]


def default_noauth_roles(user_id: str) -> list[str]:
    """The roles of a noauth2 user: what a Keystone bootstrap would imply."""
    return list(NOAUTH_ADMIN_ROLES if user_id == "admin" else NOAUTH_USER_ROLES)


def _noauth_roles(req: webob.Request, user_id: str) -> list[str]:
    """``X-Roles`` if given, else ``default_noauth_roles``."""
    header = req.headers.get("X-Roles")
    if header is not None:
        return [role.strip() for role in header.split(",") if role.strip()]
    return default_noauth_roles(user_id)


class KeystoneContext:
    """The RequestContext of a request auth_token let through.

    ``is_admin`` is what the ``context_is_admin`` policy says of the
    token's roles (``role:admin`` by default), as in Nova, so an operator
    decides in policy who is an administrator.
    """

    def __init__(self, application) -> None:
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req: webob.Request):
        # X-User-Id, X-Project-Id, X-Roles, X-Auth-Token, the names and
        # domains, the service token's headers, and the request ids that
        # the request id middleware stored in the environ.
        ctxt = RequestContext.from_environ(req.environ, remote_address=req.remote_addr)
        if ctxt.user_id is None:
            # auth_token rejects such a request itself unless it runs with
            # delay_auth_decision (or is missing from the pipeline).
            return faults.fault_response(
                401, "The request you have made requires authentication.")
        if ctxt.project_id is None:
            # A domain- or system-scoped token: every compute resource
            # belongs to a project, so there is nothing it could act on.
            return faults.fault_response(
                403, "The compute API requires a project-scoped token.")
        ctxt.is_admin = policy.authorize(ctxt, "context_is_admin", fatal=False)
        req.environ[ENV_CONTEXT] = ctxt
        return self.application


def keystone_pipeline(application):
    """``application`` behind auth_token and KeystoneContext.

    auth_token reads ``[keystone_authtoken]`` from minova's own
    configuration (the files ``--config-file`` named). It is imported here,
    not at the top, so that noauth2 deployments never load it.
    """
    from keystonemiddleware import auth_token

    protocol = auth_token.AuthProtocol(KeystoneContext(application),
                                       {"oslo_config_config": CONF})
    authtoken = CONF.keystone_authtoken
    if not (authtoken.auth_type or authtoken.auth_section):
        # Without service credentials auth_token cannot ask Keystone about
        # any token: refuse to start rather than fail every request.
        raise exception.ConfigurationError(
            reason="[api] auth_strategy = keystone needs the credentials minova "
                   "validates tokens with: set [keystone_authtoken] auth_type "
                   "(e.g. password) and its options")
    return protocol


AUTH_STRATEGIES: dict[str, Callable] = {
    "noauth2": NoAuthMiddleware,
    "keystone": keystone_pipeline,
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
