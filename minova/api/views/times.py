"""The two timestamp formats Nova's API shows.

minova's dicts carry naive-UTC ISO strings (``2026-11-21T05:30:49.123456``)
or None. Nova shows most timestamps as ``2012-08-20T21:11:09Z``
(``isotime``) and a few, which it historically serialized straight from a
datetime, as ``2012-08-20T21:11:09.000000`` (``perfect_time``).
"""

import datetime
import re

_ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_PERFECT_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"

# What the database layer writes (datetime.isoformat() of a naive UTC time):
# for it both formats are slices of the string. A list of 1000 servers has
# 4000 timestamps, and parsing and strftime-ing each cost more than the rest
# of a server's view. Anything else (an offset, a datetime) is parsed.
_NAIVE_ISO = re.compile(r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                        r"(?:\.[0-9]{6})?\Z")


def _parse(value) -> datetime.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        at = value
    else:
        at = datetime.datetime.fromisoformat(str(value))
    if at.tzinfo is not None:
        at = at.astimezone(datetime.UTC).replace(tzinfo=None)
    return at


def isotime(value) -> str | None:
    """``2012-08-20T21:11:09Z``, or None for no timestamp."""
    if type(value) is str and _NAIVE_ISO.match(value):
        return value[:19] + "Z"
    at = _parse(value)
    return at.strftime(_ISO_FORMAT) if at else None


def perfect_time(value) -> str | None:
    """``2012-08-20T21:11:09.000000``, or None for no timestamp."""
    if type(value) is str and _NAIVE_ISO.match(value):
        return value if len(value) == 26 else value + ".000000"
    at = _parse(value)
    return at.strftime(_PERFECT_FORMAT) if at else None
