"""Nova's error bodies, and the middleware that turns every exception into one.

Clients (the openstack CLI, SDKs, tempest) read the error key and the
message, so the shape is Nova's: ``{"<faultName>": {"code": N, "message":
"..."}}`` with Nova's fault names, served as ``application/json``.
"""

import json

import kombu.exceptions
import oslo_messaging as messaging
import webob
import webob.dec
import webob.exc
from oslo_log import log as logging

from minova import exception

LOG = logging.getLogger(__name__)

FAULT_NAMES = {
    400: "badRequest",
    401: "unauthorized",
    403: "forbidden",
    404: "itemNotFound",
    405: "badMethod",
    409: "conflictingRequest",
    413: "overLimit",
    415: "badMediaType",
    429: "overLimit",
    501: "notImplemented",
    503: "serviceUnavailable",
}

# A 503's Retry-After (seconds): about what a restarted conductor, a broker
# or a database failing over takes to be back.
RETRY_AFTER = 5

# The RPC errors that mean "no conductor could be reached", not a bug: the
# call's timeout ran out, or the message could not be sent to the broker.
# kombu's OperationalError: the broker refused the connection and the
# client's bounded reconnection attempts ([api] conductor_timeout) ran out.
UNREACHABLE = (messaging.MessagingTimeout, messaging.MessageDeliveryFailure,
               kombu.exceptions.OperationalError)

# What webob says for a bare 500; Nova shows the same generic sentence so
# that nothing about the failure (paths, SQL, tracebacks) reaches the client.
GENERIC_500_MESSAGE = webob.exc.HTTPInternalServerError.explanation


def fault_name(code: int) -> str:
    """Nova's name for an HTTP error status (``computeFault`` for the rest)."""
    return FAULT_NAMES.get(code, "computeFault")


def fault_response(code: int, message: str, headers: dict | None = None) -> webob.Response:
    """A ready response carrying Nova's error body."""
    body = {fault_name(code): {"code": code, "message": message}}
    resp = webob.Response(status=code, content_type="application/json", charset="utf-8")
    resp.body = json.dumps(body).encode("utf-8")
    for key, value in (headers or {}).items():
        resp.headers[key] = str(value)
    return resp


def _from_http_exception(exc: webob.exc.HTTPException) -> webob.Response:
    code = exc.status_int
    if code < 400:
        # redirects and other non-errors pass through as webob built them
        return exc
    # Keep what the exception carries for the client (Allow on a 405,
    # Retry-After on a 413) but not webob's own body headers.
    headers = {
        key: value for key, value in exc.headers.items()
        if key.lower() not in ("content-type", "content-length")
    }
    return fault_response(code, str(exc.explanation), headers)


def _service_unavailable(message: str) -> webob.Response:
    return fault_response(503, message, {"Retry-After": RETRY_AFTER})


def _from_minova_exception(exc: exception.MinovaException) -> webob.Response:
    code = getattr(exc, "code", 500) or 500
    if isinstance(exc, exception.ServiceUnavailable):
        LOG.warning("Answering 503: %s", exc.format_message())
        return _service_unavailable(exc.format_message())
    if code >= 500:
        # Internal errors can carry host names or other internals: log them,
        # show the generic sentence.
        LOG.exception("Internal error handling a request: %s", exc)
        return fault_response(code, GENERIC_500_MESSAGE)
    return fault_response(code, exc.format_message())


class FaultWrapper:
    """WSGI middleware: any exception below becomes a Nova error response.

    * ``MinovaException`` -> its ``.code`` and ``format_message()``,
    * webob HTTP errors (raised by the router, the size limit, ...) -> their
      status and explanation in Nova's body,
    * anything else -> 500 ``computeFault`` with a generic message; the
      traceback goes to the log, never to the client.
    """

    def __init__(self, application) -> None:
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req: webob.Request) -> webob.Response:
        try:
            return req.get_response(self.application)
        except Exception as exc:
            resp = render_exception(req, exc)
        LOG.info("%s %s returned with HTTP %d", req.method, req.path, resp.status_int)
        return resp


def render_exception(req: webob.Request, exc: Exception) -> webob.Response:
    """The Nova error response for ``exc``, raised while serving ``req``."""
    if isinstance(exc, UNREACHABLE):
        # No conductor answered in [api] conductor_timeout, or the broker
        # could not be reached: nothing the client did wrong, try again.
        LOG.warning("%s %s: answering 503: %s: %s", req.method, req.path,
                    type(exc).__name__, exc)
        return _service_unavailable(exception.ServiceUnavailable.msg_fmt)
    if isinstance(exc, exception.MinovaException):
        return _from_minova_exception(exc)
    if isinstance(exc, webob.exc.HTTPException):
        return _from_http_exception(exc)
    LOG.exception("Unexpected error handling %s %s", req.method, req.path)
    return fault_response(500, GENERIC_500_MESSAGE)
