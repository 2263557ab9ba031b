"""Serving the api's WSGI app: a threaded server, or eventlet's in eventlet mode.

A stop closes the listening socket first (no new request), then waits for
the requests in hand until the stop's deadline: a request still waiting
then (say, for a conductor that is stopping too) is cut off when the
process exits, and its client sees the connection close.
"""

import errno
import socket
import threading
from socketserver import ThreadingMixIn
from wsgiref import simple_server

from oslo_log import log as logging

from minova import concurrency, exception, graceful

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


def local_url(host: str, port: int) -> str:
    """The URL a client on this host reaches a server listening on (host, port) at:
    a wildcard address is reached at the loopback address of its family."""
    if host in ("", "0.0.0.0"):  # noqa: S104 (a listen address, not a bind)
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


class WSGIServer:
    """Start, and later stop, an HTTP server for ``app`` on (host, port).

    ``listen_options`` names the options that set the address, so that a
    server that cannot listen tells the operator what to change.
    """

    def __init__(self, app, host: str, port: int, binary: str = "minova-api",
                 listen_options: str = "the listen address and port") -> None:
        self.app, self.host, self.port = app, host, port
        self.binary = binary
        self.listen_options = listen_options
        self._server = None
        self._thread = None
        self._eventlet_sock = None
        self._closed = False

    def bind(self) -> None:
        """Listen on (host, port), not yet answering: connections wait in the
        backlog until start(). CannotListen (one line naming the address and
        the options to change) when the address is taken or not ours."""
        if self._server is not None or self._eventlet_sock is not None:
            return
        try:
            if concurrency.mode() == "eventlet":
                import eventlet

                self._eventlet_sock = eventlet.listen((self.host, self.port), reuse_addr=True)
                self.port = self._eventlet_sock.getsockname()[1]
                return
            self._server = simple_server.make_server(
                self.host, self.port, self.app, server_class=_ThreadingWSGIServer,
                handler_class=_QuietHandler)
        except OSError as exc:
            raise exception.CannotListen(
                address=f"{self.host}:{self.port}", reason=exc.strerror or str(exc),
                remedy=self._remedy(exc.errno)) from None
        self._server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.port = self._server.server_port

    @property
    def url(self) -> str:
        """Where a client on this host reaches the server (the bound port once bound)."""
        return local_url(self.host, self.port)

    def _remedy(self, error: int | None) -> str:
        if error == errno.EADDRINUSE:
            return (f"stop what holds it (another {self.binary} or minova-all-in-one?) "
                    f"or set {self.listen_options} to a free one")
        return f"set {self.listen_options} to an address of this host you may listen on"

    def start(self) -> None:
        self.bind()
        if self._eventlet_sock is not None:
            import eventlet
            import eventlet.wsgi

            self._thread = eventlet.spawn(eventlet.wsgi.server, self._eventlet_sock, self.app,
                                          log=LOG, log_output=False, max_size=1000)
        else:
            self._thread = threading.Thread(target=self._server.serve_forever,
                                            kwargs={"poll_interval": 0.2},
                                            name="wsgi", daemon=True)
            self._thread.start()
        LOG.info("%s listening on http://%s:%s/", self.binary, self.host, self.port)

    def stop_taking_work(self) -> None:
        """Close the listening socket: new connections are refused from now on."""
        if self._closed:
            return
        self._closed = True
        if self._thread is None:  # bound, never started
            if self._server is not None:
                self._server.server_close()
            elif self._eventlet_sock is not None:
                self._eventlet_sock.close()
        elif self._server is not None:
            self._server.shutdown()  # the accept loop ends (within its 0.2 s poll)
            self._server.server_close()
        elif self._eventlet_sock is not None:
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
        elif self._thread is not None:
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
