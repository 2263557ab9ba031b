"""Assemble the api's WSGI application.

Pipeline, outermost first::

    RequestIdMiddleware        x-openstack-request-id / x-compute-request-id on every response
    FaultWrapper               every exception -> Nova's error body
    NoAuthIdentity             /identity/... under noauth2 only: the identity v3
                               version documents openstack CLI/SDK discovery reads
                               (minova.api.noauth_identity; no auth)
    URLMap                     /, /v2.1, /v2 -> version documents, /v2.1/openapi.json (no auth)
      LegacyV2CompatibleWrapper  /v2/... only: Nova's legacy v2 endpoint, served at 2.1
                               without version headers, unknown body keys dropped
      MicroversionMiddleware   OpenStack-API-Version in (400/406) and out, on every answer
        RequestBodySizeLimiter bodies over 112 KiB -> 413
          auth middleware      [api] auth_strategy -> environ["minova.context"]
            Router             /v2.1/... -> controllers
      image API                /image/... (minova.api.image.router): its JSON bodies
                               have the same limit, image data uploads have none
"""

from collections.abc import Callable

from oslo_config import cfg

from minova.api import faults, noauth_identity, urlmap
from minova.api.facades import Facades
from minova.api.image import router as image_router
from minova.api.image import store
from minova.api.middleware import auth, legacy_v2, microversion, request_id, sizelimit
from minova.api.openstack import routes, versions


def make_app(apis: Facades, image_store=None) -> Callable:
    """The api WSGI callable, talking to the rest of minova through the facades.

    ``apis`` holds the in-process facades (``minova.api.facades.build``);
    ``image_store`` keeps image bytes (``minova.api.image.store.FilesystemStore``
    under ``[image] store_path`` when not given).
    """
    image_store = image_store if image_store is not None else store.FilesystemStore()
    api = auth.wrap_with_auth(routes.build_router(apis, image_store))
    api = sizelimit.RequestBodySizeLimiter(api)
    api = microversion.MicroversionMiddleware(api)
    image = image_router.build_app(apis.images, image_store)
    app = urlmap.URLMap(versions.root_versions, versions.version_v21, api, image=image,
                        openapi=versions.openapi, version_v2=versions.version_v2,
                        legacy_v2_api=legacy_v2.LegacyV2CompatibleWrapper(api))
    if cfg.CONF.api.auth_strategy == "noauth2":
        app = noauth_identity.NoAuthIdentity(app)
    app = faults.FaultWrapper(app)
    return request_id.RequestIdMiddleware(app)
