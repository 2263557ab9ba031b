"""All of minova's configuration options, one module per option group.

Every service registers the complete set at import time, the way Nova's
``nova.conf`` does, so that one ``minova.conf`` configures any service and
``oslo-config-generator --namespace minova`` documents all of them.
"""

from oslo_config import cfg

from minova.conf import (
    api,
    compute,
    conductor,
    database,
    fake_driver,
    image,
    libvirt,
    quota,
    scheduler,
    service,
    upgrade_levels,
)

CONF = cfg.CONF

_MODULES = (service, compute, conductor, database, scheduler, api, fake_driver, libvirt, image,
            quota, upgrade_levels)

for _module in _MODULES:
    _module.register_opts(CONF)
