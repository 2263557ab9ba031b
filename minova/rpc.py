"""The message bus: one oslo.messaging transport per process, context-carrying serializer.

``transport_url`` is oslo.messaging's own option: ``rabbit://`` in a
deployment, ``fake://`` (in-process) for the all-in-one and unit tests.
"""

import oslo_messaging as messaging
import oslo_messaging.transport  # noqa: F401
from oslo_config import cfg
from oslo_serialization import jsonutils

from minova import context as minova_context

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


class RequestContextSerializer(messaging.Serializer):
    """Carry the RequestContext across RPC; entities travel as JSON primitives."""

    def serialize_entity(self, ctxt, entity):
        return jsonutils.to_primitive(entity, convert_instances=True)

    def deserialize_entity(self, ctxt, entity):
        return entity

    def serialize_context(self, ctxt):
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        # Constructing the context stores it thread-locally, which is what
        # puts this request's id on every log line the endpoint writes.
        return minova_context.RequestContext.from_dict(ctxt)


def init(conf: cfg.ConfigOpts, url: str | None = None) -> None:
    """Create this process's transport from ``url`` or ``transport_url``."""
    global _TRANSPORT
    if _TRANSPORT is None:
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


def get_client(topic: str, version: str, version_cap: str | None = None,
               server: str | None = None) -> messaging.RPCClient:
    target = messaging.Target(topic=topic, version=version, server=server)
    return messaging.get_rpc_client(
        get_transport(),
        target,
        version_cap=version_cap,
        serializer=RequestContextSerializer(),
    )


def get_server(target: messaging.Target, endpoints: list, executor: str):
    return messaging.get_rpc_server(
        get_transport(),
        target,
        endpoints,
        executor=executor,
        serializer=RequestContextSerializer(),
    )
