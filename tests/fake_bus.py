"""An RPC server on oslo.messaging's in-process fake:// transport, for unit tests.

The real transport (RabbitMQ) is exercised by the functional tests.
"""

import contextlib

import oslo_messaging as messaging
from oslo_config import cfg

from minova import rpc

CONF = cfg.CONF


@contextlib.contextmanager
def rpc_server(topic: str, server: str, endpoints: list):
    """Serve ``endpoints`` on ``topic``/``server`` until the block ends."""
    CONF.set_override("transport_url", "fake://")
    rpc.cleanup()
    rpc_srv = rpc.get_server(messaging.Target(topic=topic, server=server), endpoints,
                             executor="threading")
    rpc_srv.start()
    try:
        yield
    finally:
        rpc_srv.stop()
        rpc_srv.wait()
        rpc.cleanup()
