"""Is a service up? Its last heartbeat is younger than ``service_down_time``."""

import datetime

from oslo_config import cfg
from oslo_utils import timeutils

CONF = cfg.CONF


def is_up(last_seen_up: str | datetime.datetime | None, forced_down: bool = False,
          now: datetime.datetime | None = None) -> bool:
    if forced_down or last_seen_up is None:
        return False
    if isinstance(last_seen_up, str):
        last_seen_up = timeutils.parse_isotime(last_seen_up)
    last_seen_up = last_seen_up.replace(tzinfo=None)
    now = (now or timeutils.utcnow()).replace(tzinfo=None)
    return (now - last_seen_up).total_seconds() <= CONF.service_down_time
