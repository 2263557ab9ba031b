"""Negotiate the compute microversion of each v2.1 request.

Before anything else under ``/v2.1`` runs, the requested version is read
from the headers (400 if malformed, 406 if outside what this service
serves) and left in the environ for ``Request.api_version_request``. Every
answer, errors included, names the version that served it and varies on
the version headers, so caches keep versions apart.
"""

import webob
import webob.dec

from minova.api import api_version_request as api_version
from minova.api import faults


class MicroversionMiddleware:
    def __init__(self, application) -> None:
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req: webob.Request) -> webob.Response:
        try:
            version = api_version.from_headers(req.headers)
        except api_version.InvalidAPIVersionString as exc:
            return faults.fault_response(400, str(exc))
        except api_version.VersionNotAcceptable as exc:
            return faults.fault_response(406, str(exc))
        req.environ[api_version.ENV_KEY] = version
        try:
            resp = req.get_response(self.application)
        except Exception as exc:
            resp = faults.render_exception(req, exc)
        for key, value in api_version.response_headers(version).items():
            resp.headers[key] = value
        return resp
