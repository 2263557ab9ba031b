"""Refuse request bodies larger than oslo.middleware's default (112 KiB).

A server create with a large user_data is the biggest legitimate body; a
bigger one is either a mistake or an attempt to make the api buffer
arbitrary amounts of memory. Bodies with a Content-Length are refused up
front; chunked bodies are counted as they are read.
"""

import webob.exc

MAX_REQUEST_BODY_SIZE = 114688

_MESSAGE = "Request is too large."


class LimitingReader:
    """File-like wrapper that raises 413 once more than ``limit`` bytes were read."""

    def __init__(self, data, limit: int) -> None:
        self.data = data
        self.limit = limit
        self.bytes_read = 0

    def _count(self, chunk: bytes) -> bytes:
        self.bytes_read += len(chunk)
        if self.bytes_read > self.limit:
            raise webob.exc.HTTPRequestEntityTooLarge(explanation=_MESSAGE)
        return chunk

    def __iter__(self):
        for chunk in self.data:
            yield self._count(chunk)

    def read(self, size: int | None = None) -> bytes:
        chunk = self.data.read() if size is None or size < 0 else self.data.read(size)
        return self._count(chunk)


class RequestBodySizeLimiter:
    """WSGI middleware enforcing ``max_size`` on request bodies.

    It raises rather than answering so the fault wrapper above renders the
    413 in Nova's error shape (``overLimit``).
    """

    def __init__(self, application, max_size: int = MAX_REQUEST_BODY_SIZE) -> None:
        self.application = application
        self.max_size = max_size

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        if req.content_length is not None:
            if req.content_length > self.max_size:
                raise webob.exc.HTTPRequestEntityTooLarge(explanation=_MESSAGE)
        elif req.is_body_readable:
            environ["wsgi.input"] = LimitingReader(environ["wsgi.input"], self.max_size)
        return self.application(environ, start_response)
