"""The message bus: one oslo.messaging transport per process, context-carrying serializer.

``transport_url`` is oslo.messaging's own option: ``rabbit://`` in a
deployment, ``fake://`` (in-process) for the all-in-one and unit tests.
"""

import logging

import oslo_messaging as messaging
import oslo_messaging.opts  # noqa: F401
import oslo_messaging.server  # noqa: F401
import oslo_messaging.transport  # noqa: F401
from oslo_config import cfg

from minova import conf as _conf  # noqa: F401  (registers [upgrade_levels])
from minova import context as minova_context
from minova import counters, exception

CONF = cfg.CONF

# Exceptions raised by a remote endpoint in these modules are re-raised as
# the same class by the caller, so a NoValidHost or InstanceNotFound from
# the conductor reaches the api's fault handler as itself.
ALLOWED_EXMODS = ["minova.exception"]

_TRANSPORT = None

# Register transport_url and control_exchange now (the very option objects
# oslo.messaging registers later, so there is no duplicate), so entry points
# can read and default them before the transport exists.
messaging.set_transport_defaults(control_exchange="minova")
CONF.register_opts(messaging.transport._transport_opts)
# RPC endpoints only do short work (orchestration that waits on other
# services runs on its own pool, see conductor/manager.py); 64 threads
# contending for the GIL cost more CPU than they bring.
CONF.register_opts(messaging.server._pool_opts)
messaging.opts.set_defaults(CONF, executor_thread_pool_size=16)


class RequestContextSerializer(messaging.Serializer):
    """Carry the RequestContext across RPC; entities travel as JSON primitives."""

    def serialize_entity(self, ctxt, entity):
        # Entities are already JSON-ready dicts (the database layer renders
        # timestamps as strings), and the driver's jsonutils.dumps converts
        # anything else on its own: a recursive to_primitive here would
        # cost ~0.2 ms per instance dict, several times per boot.
        return entity

    def deserialize_entity(self, ctxt, entity):
        return entity

    def serialize_context(self, ctxt):
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        # Constructing the context stores it thread-locally, which is what
        # puts this request's id on every log line the endpoint writes.
        return minova_context.RequestContext.from_dict(ctxt)


class _QuietUserErrors(logging.Filter):
    """Keep oslo.messaging from logging a traceback for a user's error.

    A GET of a deleted server makes the conductor raise InstanceNotFound,
    which the caller turns into a 404: expected, not a fault of the service
    (Nova marks these with ``expected_exceptions``). Real faults (5xx and
    anything that is not a MinovaException) are still logged in full.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, exception.MinovaException) and error.code < 500:
            return False
        return True


def init(conf: cfg.ConfigOpts, url: str | None = None) -> None:
    """Create this process's transport from ``url`` or ``transport_url``."""
    global _TRANSPORT
    if _TRANSPORT is None:
        logging.getLogger("oslo_messaging.rpc.server").addFilter(_QuietUserErrors())
        _TRANSPORT = messaging.get_rpc_transport(conf, url=url,
                                                 allowed_remote_exmods=ALLOWED_EXMODS)


def cleanup() -> None:
    global _TRANSPORT
    if _TRANSPORT is not None:
        _TRANSPORT.cleanup()
        _TRANSPORT = None


def get_transport():
    if _TRANSPORT is None:
        init(CONF)
    return _TRANSPORT


def transport_is_in_process(conf: cfg.ConfigOpts) -> bool:
    """True for ``fake://``, which only reaches services in this same process."""
    url = conf.transport_url or ""
    return url.startswith("fake:")


class _CountedCall:
    """A prepared call context that counts what it sends (minova.counters)."""

    def __init__(self, prepared, topic: str) -> None:
        self._prepared, self._topic = prepared, topic

    def call(self, ctxt, method: str, **kwargs):
        counters.count_rpc(self._topic, method, 2)  # the request and its reply
        return self._prepared.call(ctxt, method, **kwargs)

    def cast(self, ctxt, method: str, **kwargs) -> None:
        counters.count_rpc(self._topic, method, 1)
        self._prepared.cast(ctxt, method, **kwargs)

    def can_send_version(self, version: str) -> bool:
        return self._prepared.can_send_version(version)


class Client:
    """oslo.messaging's RPCClient, counting the messages it sends."""

    def __init__(self, client: messaging.RPCClient, topic: str) -> None:
        self._client, self.topic = client, topic

    def prepare(self, **kwargs) -> _CountedCall:
        return _CountedCall(self._client.prepare(**kwargs), self.topic)

    def can_send_version(self, version: str) -> bool:
        return self._client.can_send_version(version)

    def __getattr__(self, name: str):
        return getattr(self._client, name)  # target, version_cap, ...


def get_client(topic: str, version: str, version_cap: str | None = None,
               server: str | None = None) -> Client:
    """A client of ``topic``, sending at most ``version_cap``, or the
    ``[upgrade_levels]`` cap of that topic while an upgrade is under way."""
    version_cap = getattr(CONF.upgrade_levels, topic, None) or version_cap
    target = messaging.Target(topic=topic, version=version, server=server)
    return Client(messaging.get_rpc_client(
        get_transport(),
        target,
        version_cap=version_cap,
        serializer=RequestContextSerializer(),
    ), topic)


def get_server(target: messaging.Target, endpoints: list, executor: str):
    return messaging.get_rpc_server(
        get_transport(),
        target,
        endpoints,
        executor=executor,
        serializer=RequestContextSerializer(),
    )
