"""The top of the URL space: version documents, the v2.1 API, the image API.

Like Nova's urlmap, it moves the ``/v2.1`` (or ``/image``) prefix from
PATH_INFO to SCRIPT_NAME, so ``request.application_url`` is
``http://host/v2.1`` below it and links come out right behind any proxy
path prefix.
"""

from collections.abc import Callable

import webob.exc

API_PREFIX = "/v2.1"
LEGACY_V2_PREFIX = "/v2"
IMAGE_PREFIX = "/image"
OPENAPI_PATH = "/openapi.json"


class URLMap:
    """``/`` and ``/v2.1[/]`` -> version documents; ``/v2.1/openapi.json`` -> the
    OpenAPI document; ``/v2.1/...`` -> the API; ``/v2[/]`` and ``/v2/...`` ->
    the same for the legacy v2 endpoint (when given); ``/image[/...]`` -> the
    image API (when one is given)."""

    def __init__(self, root_versions: Callable, version_v21: Callable,
                 api: Callable, image: Callable | None = None,
                 openapi: Callable | None = None, version_v2: Callable | None = None,
                 legacy_v2_api: Callable | None = None) -> None:
        self.root_versions = root_versions
        self.version_v21 = version_v21
        self.api = api
        self.image = image
        self.openapi = openapi
        self.version_v2 = version_v2
        self.legacy_v2_api = legacy_v2_api

    @staticmethod
    def _version_document(app: Callable, environ: dict, start_response: Callable):
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            raise webob.exc.HTTPMethodNotAllowed(
                explanation="The method specified is not allowed for this resource.",
                headers=[("Allow", "GET, HEAD")],
            )
        return app(environ, start_response)

    def __call__(self, environ: dict, start_response: Callable):
        path = environ.get("PATH_INFO", "") or "/"
        if path == "/":
            return self._version_document(self.root_versions, environ, start_response)
        if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + API_PREFIX
            environ["PATH_INFO"] = path[len(API_PREFIX):]
            if environ["PATH_INFO"] in ("", "/"):
                return self._version_document(self.version_v21, environ, start_response)
            if self.openapi is not None and environ["PATH_INFO"] == OPENAPI_PATH:
                return self._version_document(self.openapi, environ, start_response)
            return self.api(environ, start_response)
        if self.legacy_v2_api is not None and (path == LEGACY_V2_PREFIX
                                               or path.startswith(LEGACY_V2_PREFIX + "/")):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + LEGACY_V2_PREFIX
            environ["PATH_INFO"] = path[len(LEGACY_V2_PREFIX):]
            if environ["PATH_INFO"] in ("", "/"):
                return self._version_document(self.version_v2, environ, start_response)
            return self.legacy_v2_api(environ, start_response)
        if self.image is not None and (path == IMAGE_PREFIX
                                       or path.startswith(IMAGE_PREFIX + "/")):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + IMAGE_PREFIX
            environ["PATH_INFO"] = path[len(IMAGE_PREFIX):]
            return self.image(environ, start_response)
        raise webob.exc.HTTPNotFound(explanation="The resource could not be found.")
