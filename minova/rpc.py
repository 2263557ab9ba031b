"""The message bus: one oslo.messaging transport per process, context-carrying serializer.

``transport_url`` is oslo.messaging's own option: ``rabbit://`` in a
deployment, ``fake://`` (in-process) for the all-in-one and unit tests.
"""

import logging
import threading

import oslo_messaging as messaging
import oslo_messaging.opts  # noqa: F401
import oslo_messaging.server  # noqa: F401
import oslo_messaging.transport  # noqa: F401
from oslo_config import cfg

from minova import conf as _conf  # noqa: F401  (registers [upgrade_levels])
from minova import context as minova_context
from minova import counters, exception

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# Exceptions raised by a remote endpoint in these modules are re-raised as
# the same class by the caller, so a NoValidHost or InstanceNotFound from
# the conductor reaches the api's fault handler as itself.
ALLOWED_EXMODS = ["minova.exception"]

_TRANSPORT = None

# Calls waiting for their reply, and whether the process is exiting with
# work unfinished (see hand_back).
_CALLS_LOCK = threading.Lock()
_calls_in_flight = 0
_HANDED_BACK = threading.Event()

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
        _default_rabbit_heartbeat_rate(conf)


# A RabbitMQ listener notices that its server is stopping only between two
# waits for the broker, each heartbeat_timeout_threshold / heartbeat_rate /
# 2 long (10 s with oslo.messaging's 60 and 3, of which up to 5 s are
# used): an idle service could not stop within 2 s. With 60 checks per
# threshold a wait lasts 0.5 s; a check is a timestamp comparison, and
# heartbeat frames are still sent once per interval. The [oslo_messaging_
# rabbit] group exists once the transport loaded its driver; an operator's
# heartbeat_rate still wins.
RABBIT_HEARTBEAT_RATE = 60


def _default_rabbit_heartbeat_rate(conf: cfg.ConfigOpts) -> None:
    try:
        conf.set_default("heartbeat_rate", RABBIT_HEARTBEAT_RATE,
                         group="oslo_messaging_rabbit")
    except (cfg.NoSuchOptError, cfg.NoSuchGroupError):
        pass  # another driver (fake:// in the all-in-one and unit tests)


def cleanup() -> None:
    """Close the transport, unless a call still waits for its reply.

    oslo.messaging's cleanup stops the reply consumer under such a call: it
    then waits its whole timeout for a reply that cannot come, and fails
    with ``AttributeError: 'NoneType' object has no attribute 'unlisten'``
    (a stop used to do exactly that, and fail the build that was waiting
    for the scheduler). A process that leaves calls waiting is about to
    exit; its connections close with it.
    """
    global _TRANSPORT
    if _TRANSPORT is None:
        return
    with _CALLS_LOCK:
        waiting = _calls_in_flight
    if waiting:
        LOG.info("Leaving the message bus connections to the exit: %d calls still wait "
                 "for their reply", waiting)
        return
    transport, _TRANSPORT = _TRANSPORT, None
    transport.cleanup()


def hand_back() -> None:
    """The process exits with work unfinished: calls that fail from now on park.

    A call that fails once the stop's bound is over failed because of the
    stop (its peer is stopping too, the process is leaving), not because of
    the work it was for; reporting it would, say, set a build to ERROR
    "scheduling failed". Its thread waits instead until the process exits,
    and leaves the work as it is in the database for the re-drive.
    """
    _HANDED_BACK.set()


def calls_in_flight() -> int:
    with _CALLS_LOCK:
        return _calls_in_flight


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
        global _calls_in_flight
        counters.count_rpc(self._topic, method, 2)  # the request and its reply
        with _CALLS_LOCK:
            _calls_in_flight += 1
        try:
            return self._prepared.call(ctxt, method, **kwargs)
        except Exception:
            if _HANDED_BACK.is_set():
                LOG.info("Call %s.%s ended by the stop; its work is handed back",
                         self._topic, method)
                threading.Event().wait()  # until the process exits
            raise
        finally:
            with _CALLS_LOCK:
                _calls_in_flight -= 1

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
