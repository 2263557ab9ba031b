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
