"""Is a service up? Its last heartbeat is younger than ``service_down_time``,
on a clock that stops while the control plane hears nobody.

Services other than the conductor heartbeat over the message bus. When the
bus (or the database) is out, every heartbeat is lost at once: measured on
the wall clock, every compute would be "down" once the outage outlasts
``service_down_time``, and would stay so until its next heartbeat after the
heal, so the scheduler would filter out healthy hosts and fail builds
(NoValidHost) because a heartbeat blinked. So the conductor watches the
newest heartbeat of any bus-reporting service (``observe``, on a one-second
timer) and measures heartbeat ages on a reference clock:

* while nobody has been heard for longer than a silence (two report
  intervals and a second), the reference stops at the last heartbeat heard;
* for ``service_down_time`` + ``report_interval`` after a silence ends, the
  reference runs behind the wall clock by the silence's length, so each
  service gets the time the silence took from it to report again;
* otherwise it is the wall clock (Nova's rule).

A service that died before or during an outage is still seen down, one
silence later. A process that never observed (the api, unit tests) uses the
wall clock.
"""

import datetime
import threading

from oslo_config import cfg
from oslo_utils import timeutils

CONF = cfg.CONF


def _naive(value: str | datetime.datetime) -> datetime.datetime:
    if isinstance(value, str):
        value = timeutils.parse_isotime(value)
    return value.replace(tzinfo=None)


class Liveness:
    """The reference clock for heartbeat ages in this process (see the module doc)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._heard_until: datetime.datetime | None = None
        self._silence: tuple[datetime.datetime, datetime.timedelta] | None = None

    @staticmethod
    def _silence_after() -> datetime.timedelta:
        return datetime.timedelta(seconds=2 * CONF.report_interval + 1)

    def observe(self, heard_until: datetime.datetime | None,
                now: datetime.datetime | None = None) -> None:
        """Record the newest heartbeat of any bus-reporting service, as just read."""
        if heard_until is None:
            return
        heard_until = _naive(heard_until)
        with self._lock:
            previous = self._heard_until
            if previous is not None and heard_until > previous:
                gap = heard_until - previous
                if gap > self._silence_after():
                    self._silence = (heard_until, gap)
            if previous is None or heard_until > previous:
                self._heard_until = heard_until

    def _phase(self, now: datetime.datetime) -> tuple[str, datetime.datetime]:
        """``("silence", last heard)``, ``("grace", now - silence length)`` or
        ``("normal", now)``: where ``now`` stands, and the reference it gives."""
        with self._lock:
            heard, silence = self._heard_until, self._silence
        if heard is not None and now - heard > self._silence_after():
            return "silence", min(now, heard)  # a silence under way: the clock stops
        if silence is not None:
            ended, length = silence
            grace = datetime.timedelta(seconds=CONF.service_down_time + CONF.report_interval)
            if now - ended <= grace:
                return "grace", now - length
        return "normal", now

    def reference_time(self, now: datetime.datetime | None = None) -> datetime.datetime:
        """The time heartbeat ages are measured at."""
        return self._phase(_naive(now or timeutils.utcnow()))[1]

    def recovering(self, now: datetime.datetime | None = None) -> bool:
        """Is a silence under way, or did one end within the grace after it?

        Then a host may look down only because its heartbeats could not be
        delivered, or because it has not reconnected to the bus yet."""
        return self._phase(_naive(now or timeutils.utcnow()))[0] != "normal"


_LIVENESS = Liveness()


def recovering() -> bool:
    """See ``Liveness.recovering``: no NoValidHost is final in such a time."""
    return _LIVENESS.recovering()


def observe(heard_until: datetime.datetime | None) -> None:
    """Feed this process's reference clock (the conductor does, every second)."""
    _LIVENESS.observe(heard_until)


def reference_time(now: datetime.datetime | None = None) -> datetime.datetime:
    return _LIVENESS.reference_time(now)


def alive_since(now: datetime.datetime | None = None) -> datetime.datetime:
    """The oldest heartbeat that still counts as up."""
    return reference_time(now) - datetime.timedelta(seconds=CONF.service_down_time)


def is_up(last_seen_up: str | datetime.datetime | None, forced_down: bool = False,
          now: datetime.datetime | None = None) -> bool:
    if forced_down or last_seen_up is None:
        return False
    return _naive(last_seen_up) >= alive_since(now)
