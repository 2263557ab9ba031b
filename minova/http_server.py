"""Serving the api's WSGI app: a threaded server, or eventlet's in eventlet mode.

A stop closes the listening socket first (no new request), then waits for
the requests in hand until the stop's deadline: a request still waiting
then (say, for a conductor that is stopping too) is cut off when the
process exits, and its client sees the connection close.
"""

import socket
import threading
from socketserver import ThreadingMixIn
from wsgiref import simple_server

from oslo_log import log as logging

from minova import concurrency, graceful

LOG = logging.getLogger(__name__)


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        LOG.debug("%s %s", self.address_string(), format % args)


class _ThreadingWSGIServer(ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._idle = threading.Condition()
        self._in_hand = 0

    def process_request_thread(self, request, client_address) -> None:
        with self._idle:
            self._in_hand += 1
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._idle:
                self._in_hand -= 1
                self._idle.notify_all()

    def wait_for_requests(self, deadline: graceful.Deadline) -> int:
        """Wait until no request is in hand or the deadline; how many are left."""
        with self._idle:
            self._idle.wait_for(lambda: self._in_hand == 0, deadline.remaining())
            return self._in_hand


class WSGIServer:
    """Start, and later stop, an HTTP server for ``app`` on (host, port)."""

    def __init__(self, app, host: str, port: int) -> None:
        self.app, self.host, self.port = app, host, port
        self._server = None
        self._thread = None
        self._eventlet_sock = None
        self._closed = False

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

    def stop_taking_work(self) -> None:
        """Close the listening socket: new connections are refused from now on."""
        if self._server is not None and not self._closed:
            self._closed = True
            self._server.shutdown()  # the accept loop ends (within its 0.2 s poll)
            self._server.server_close()
        elif self._eventlet_sock is not None and not self._closed:
            self._closed = True
            # eventlet's server loop, killed, closes idle keep-alive
            # connections and waits for the requests in hand (its finally).
            self._thread.kill()

    def stop(self, deadline: graceful.Deadline | None = None) -> list[str]:
        """Stop taking requests, then wait for those in hand until ``deadline``;
        returns what was left unfinished."""
        deadline = deadline or graceful.Deadline(None)
        self.stop_taking_work()
        if self._server is not None:
            left = self._server.wait_for_requests(deadline)
        elif self._eventlet_sock is not None:
            import eventlet

            with eventlet.Timeout(deadline.remaining(), False):
                try:
                    self._thread.wait()
                except BaseException:  # noqa: S110 (GreenletExit: the kill above)
                    pass
            left = 0 if self._thread.dead else 1
        else:
            left = 0
        return [f"{left} HTTP request(s) in hand"] if left else []
