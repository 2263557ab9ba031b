"""Timestamp formats."""

import datetime

import pytest

from minova.api.views import times


@pytest.mark.parametrize("value,iso,perfect", [
    ("2026-11-21T05:30:49.123456", "2026-11-21T05:30:49Z", "2026-11-21T05:30:49.123456"),
    ("2026-11-21T05:30:49", "2026-11-21T05:30:49Z", "2026-11-21T05:30:49.000000"),
    ("2026-11-21T06:30:49+01:00", "2026-11-21T05:30:49Z", "2026-11-21T05:30:49.000000"),
    (datetime.datetime(2026, 1, 2, 3, 4, 5), "2026-01-02T03:04:05Z",
     "2026-01-02T03:04:05.000000"),
    (None, None, None),
])
def test_formats(value, iso, perfect):
    assert times.isotime(value) == iso
    assert times.perfect_time(value) == perfect


@pytest.mark.parametrize("value", [
    "2026-11-21T05:30:49.123456", "2026-11-21T05:30:49", "2026-11-21T05:30:49.000000",
    "1999-01-01T00:00:00.000001", "2026-11-21T05:30:49.123", "2026-11-21 05:30:49",
    "2026-11-21T06:30:49+01:00", "2026-11-21T05:30:49.123456+00:00",
])
def test_the_database_layers_strings_format_as_their_datetimes_do(value):
    """The strings the database layer writes are formatted by slicing: the
    result is what parsing them gives (and other strings are parsed)."""
    parsed = datetime.datetime.fromisoformat(value)
    assert times.isotime(value) == times.isotime(parsed)
    assert times.perfect_time(value) == times.perfect_time(parsed)
