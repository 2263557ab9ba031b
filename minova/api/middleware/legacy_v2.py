"""``/v2``: Nova's legacy v2 compatible endpoint, the v2.1 code without microversions.

Nova still serves ``/v2`` for clients written before microversions: the
same controllers as ``/v2.1``, always at 2.1 (the version headers of a
request are ignored, an answer carries none), and request bodies
validated with relaxed additional properties (an unknown key is dropped
rather than refused, as the v2 API ignored it). This middleware marks a
request as legacy and does the header part; the validation part reads the
mark (``Request.is_legacy_v2``, ``minova.api.validation``).
"""

from collections.abc import Callable

import webob
import webob.dec

from minova.api import api_version_request as api_version

ENV_LEGACY_V2 = "minova.legacy_v2"
_VERSION_HEADERS = (api_version.HEADER, api_version.LEGACY_HEADER)


class LegacyV2CompatibleWrapper:
    """Serve a request of ``/v2`` as a microversion-less request of ``/v2.1``."""

    def __init__(self, application: Callable) -> None:
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req: webob.Request) -> webob.Response:
        req.environ[ENV_LEGACY_V2] = True
        for header in _VERSION_HEADERS:
            req.headers.pop(header, None)
        resp = req.get_response(self.application)
        for header in _VERSION_HEADERS:
            resp.headers.pop(header, None)
        if "Vary" in resp.headers:
            vary = [value.strip() for value in resp.headers["Vary"].split(",")
                    if value.strip() not in _VERSION_HEADERS]
            if vary:
                resp.headers["Vary"] = ", ".join(vary)
            else:
                del resp.headers["Vary"]
        return resp
