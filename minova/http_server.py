"""Serving the api's WSGI app: a threaded server, or eventlet's in eventlet mode."""

import socket
import threading
from socketserver import ThreadingMixIn
from wsgiref import simple_server

from oslo_log import log as logging

from minova import concurrency

LOG = logging.getLogger(__name__)


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        LOG.debug("%s %s", self.address_string(), format % args)


class _ThreadingWSGIServer(ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class WSGIServer:
    """Start, and later stop, an HTTP server for ``app`` on (host, port)."""

    def __init__(self, app, host: str, port: int) -> None:
        self.app, self.host, self.port = app, host, port
        self._server = None
        self._thread = None
        self._eventlet_sock = None

    def start(self) -> None:
        if concurrency.mode() == "eventlet":
            import eventlet
            import eventlet.wsgi

            self._eventlet_sock = eventlet.listen((self.host, self.port), reuse_addr=True)
            self.port = self._eventlet_sock.getsockname()[1]
            self._thread = eventlet.spawn(eventlet.wsgi.server, self._eventlet_sock, self.app,
                                          log=LOG, log_output=False, max_size=1000)
            return
        self._server = simple_server.make_server(
            self.host, self.port, self.app, server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler)
        self._server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.2},
                                        name="wsgi", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        elif self._eventlet_sock is not None:
            self._thread.kill()
            self._eventlet_sock.close()
