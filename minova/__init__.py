"""minova: a small, readable compute control plane in the style of OpenStack Nova."""

from minova import concurrency as _concurrency

__version__ = "0.1.0"

# oslo.messaging imports oslo.service, whose default backend is eventlet:
# choose this process's model before anything can import them.
_concurrency.select_oslo_service_backend()
