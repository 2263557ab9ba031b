"""minova-api: the REST API (Nova v2.1-compatible JSON)."""

from oslo_config import cfg
from oslo_log import log as logging

from minova import http_server, service
from minova.cmd import common

CONF = cfg.CONF
LOG = logging.getLogger(__name__)
BINARY = "minova-api"


def create_server(host: str | None = None, port: int | None = None) -> http_server.WSGIServer:
    from minova.api import app, facades

    wsgi_app = app.make_app(facades.build())
    return http_server.WSGIServer(
        wsgi_app, host or CONF.osapi_compute_listen,
        CONF.osapi_compute_listen_port if port is None else port, binary=BINARY,
        listen_options="[DEFAULT] osapi_compute_listen_port (and osapi_compute_listen)")


def main(argv: list[str] | None = None) -> None:
    common.setup(argv, BINARY)
    service.start_and_wait([create_server()])
