"""Assemble the api's WSGI application.

Pipeline, outermost first::

    RequestIdMiddleware      x-openstack-request-id / x-compute-request-id on every response
    FaultWrapper             every exception -> Nova's error body
    RequestBodySizeLimiter   bodies over 112 KiB -> 413
    URLMap                   /, /v2.1 -> version documents (no auth)
      auth middleware        [api] auth_strategy -> environ["minova.context"]
        Router               /v2.1/... -> controllers
"""

from collections.abc import Callable

from minova.api import faults, urlmap
from minova.api.middleware import auth, request_id, sizelimit
from minova.api.openstack import routes, versions


def make_app(compute_api, conductor_api) -> Callable:
    """The api WSGI callable, talking to the rest of minova through the two objects.

    ``compute_api`` is the in-process compute facade (``minova.compute.api``);
    ``conductor_api`` has the methods of ``minova.conductor.rpcapi.ConductorAPI``.
    """
    api = auth.wrap_with_auth(routes.build_router(compute_api, conductor_api))
    app = urlmap.URLMap(versions.root_versions, versions.version_v21, api)
    app = sizelimit.RequestBodySizeLimiter(app)
    app = faults.FaultWrapper(app)
    return request_id.RequestIdMiddleware(app)
