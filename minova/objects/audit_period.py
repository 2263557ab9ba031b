"""The instance usage audit period Nova's audit task and audit log API use.

Nova bills usage per ``[DEFAULT] instance_usage_audit_period`` (by default a
month); its audit log API reports the last period completed before a time.
minova keeps Nova's default unit, the month starting on the 1st.
"""

import datetime


def _month_before(moment: datetime.datetime) -> datetime.datetime:
    """The first of the month before ``moment``'s month."""
    if moment.month == 1:
        return moment.replace(year=moment.year - 1, month=12)
    return moment.replace(month=moment.month - 1)


def last_completed_month(before: datetime.datetime | None = None
                         ) -> tuple[datetime.datetime, datetime.datetime]:
    """``(begin, end)`` of the last calendar month that ended strictly before
    ``before`` (now, UTC, by default), as Nova's last_completed_audit_period
    with unit ``month``: a month ending exactly at ``before`` is not over yet."""
    now = before or datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    end = datetime.datetime(now.year, now.month, 1)
    if end >= now:
        end = _month_before(end)
    return _month_before(end), end
