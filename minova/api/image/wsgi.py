"""Dispatch for the image API: Glance's media types, and streamed request bodies.

Like ``minova.api.wsgi.Resource`` (JSON in, a controller method, JSON
out), with the bodies Glance takes:

* POST: ``application/json``,
* PATCH: ``application/openstack-images-v2.1-json-patch``,
* PUT of image data: ``application/octet-stream``, never read here: the
  controller streams it (``body_chunks``) straight to the store.

Errors are raised for ``minova.api.faults.FaultWrapper`` to render.
"""

from collections.abc import Callable, Iterator

import webob.exc

from minova.api import wsgi

JSON = "application/json"
JSON_PATCH = "application/openstack-images-v2.1-json-patch"
OCTET_STREAM = "application/octet-stream"
ACCEPT_PATCH = JSON_PATCH

CHUNK_SIZE = 64 * 1024


def _media_type(req: wsgi.Request) -> str | None:
    if "Content-Type" not in req.headers:
        return None
    return req.content_type or None


def _unsupported(headers: list | None = None) -> webob.exc.HTTPUnsupportedMediaType:
    return webob.exc.HTTPUnsupportedMediaType(explanation="Unsupported Content-Type",
                                              headers=headers or [])


def _json_body(req: wsgi.Request):
    raw = req.body
    if not raw:
        raise webob.exc.HTTPBadRequest(explanation="Body expected in request.")
    return wsgi.parse_json_body(raw)


class ImageResource:
    """WSGI app for one controller of the image API."""

    def __init__(self, controller: object) -> None:
        self.controller = controller

    def __call__(self, environ: dict, start_response: Callable):
        req = wsgi.Request(environ)
        resp = self.dispatch(req)
        return resp(environ, start_response)

    def dispatch(self, req: wsgi.Request) -> webob.Response:
        args = dict(req.environ["wsgiorg.routing_args"][1])
        action = args.pop("action")
        args.pop("controller", None)
        args.pop("format", None)
        media_type = _media_type(req)
        if req.method == "POST":
            if media_type not in (None, JSON):
                raise _unsupported()
            args["body"] = _json_body(req)
        elif req.method == "PATCH":
            if media_type != JSON_PATCH:
                raise _unsupported([("Accept-Patch", ACCEPT_PATCH)])
            args["body"] = _json_body(req)
        elif req.method == "PUT":
            if media_type != OCTET_STREAM:
                raise _unsupported()
        method = getattr(self.controller, action)
        result = method(req, **args)
        return wsgi.serialize(result, getattr(method, "wsgi_code", 200))


def _read_exactly(stream, length: int, chunk_size: int) -> Iterator[bytes]:
    remaining = length
    while remaining > 0:
        chunk = stream.read(min(chunk_size, remaining))
        if not chunk:
            raise webob.exc.HTTPBadRequest(
                explanation=f"The request body ended after {length - remaining} of "
                            f"{length} bytes.")
        remaining -= len(chunk)
        yield chunk


def _read_to_end(stream, chunk_size: int) -> Iterator[bytes]:
    while True:
        chunk = stream.read(chunk_size)
        if not chunk:
            return
        yield chunk


def _decode_chunked(stream, chunk_size: int) -> Iterator[bytes]:
    """HTTP/1.1 chunked framing, for servers (wsgiref) that pass it through raw."""
    while True:
        line = stream.readline(1024)
        if not line.endswith(b"\n"):
            raise webob.exc.HTTPBadRequest(explanation="Malformed chunked request body.")
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise webob.exc.HTTPBadRequest(
                explanation="Malformed chunked request body.") from None
        if size < 0:
            raise webob.exc.HTTPBadRequest(explanation="Malformed chunked request body.")
        if size == 0:
            # trailers, up to the empty line
            while stream.readline(1024) not in (b"\r\n", b"\n", b""):
                pass
            return
        yield from _read_exactly(stream, size, chunk_size)
        if stream.readline(1024) not in (b"\r\n", b"\n"):
            raise webob.exc.HTTPBadRequest(explanation="Malformed chunked request body.")


def body_chunks(req: wsgi.Request, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The request body as chunks of at most ``chunk_size`` bytes, never all at once.

    With a Content-Length, exactly that many bytes (400 if the client
    stops early); chunked transfer encoding, decoded here unless the server
    did it already (eventlet does, wsgiref does not); neither is 411.
    """
    environ = req.environ
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    if chunked:
        if getattr(stream, "chunked_input", False) or environ.get("wsgi.input_terminated"):
            return _read_to_end(stream, chunk_size)
        return _decode_chunked(stream, chunk_size)
    if length not in (None, ""):
        try:
            size = int(length)
        except ValueError:
            raise webob.exc.HTTPBadRequest(explanation="Invalid Content-Length.") from None
        if size < 0:
            raise webob.exc.HTTPBadRequest(explanation="Invalid Content-Length.")
        return _read_exactly(stream, size, chunk_size)
    raise webob.exc.HTTPLengthRequired(
        explanation="A Content-Length or chunked Transfer-Encoding is required.")
