"""Turning rows into the plain dicts that cross RPC."""

import datetime

from oslo_utils import timeutils


def utcnow() -> datetime.datetime:
    """Naive UTC now, the form every timestamp column holds."""
    return timeutils.utcnow().replace(tzinfo=None)


def to_dict(row) -> dict:
    """A row as a dict whose timestamps are naive-UTC ISO-8601 strings."""
    values = dict(row._mapping)
    for key, value in values.items():
        if isinstance(value, datetime.datetime):
            values[key] = value.isoformat()
    return values


def parse_time(value: str | datetime.datetime | None) -> datetime.datetime | None:
    if value is None or isinstance(value, datetime.datetime):
        return value
    return timeutils.parse_isotime(value).replace(tzinfo=None)
