"""The last completed audit month, as Nova's last_completed_audit_period('month')."""

import datetime

import pytest

from minova.objects import audit_period

D = datetime.datetime


@pytest.mark.parametrize("before, period", [
    (D(2026, 12, 7, 21, 0), (D(2026, 11, 1), D(2026, 12, 1))),
    (D(2026, 1, 15), (D(2025, 12, 1), D(2026, 1, 1))),
    # a month ending exactly now is not over yet
    (D(2026, 12, 1), (D(2026, 10, 1), D(2026, 11, 1))),
    (D(2026, 1, 1), (D(2025, 11, 1), D(2025, 12, 1))),
    (D(2026, 12, 1, 0, 0, 0, 1), (D(2026, 11, 1), D(2026, 12, 1))),
])
def test_last_completed_month(before, period):
    assert audit_period.last_completed_month(before) == period


def test_default_is_now():
    begin, end = audit_period.last_completed_month()
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    assert begin < end <= now and end.day == 1
