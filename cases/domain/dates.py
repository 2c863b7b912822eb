"""Dates and times in words as the whole app writes them: "4 Mar 2024" and
"12 Mar 2026, 14:05 CST". The same as the pages' DATE_FORMAT and DATETIME_FORMAT
(mmi_tracker/formats/en/formats.py) plus the zone, for the pure rules that cannot ask Django
and must not depend on the process locale. Django code calls them through
cases/templatetags/dates.py, which first converts a datetime to the user's time zone."""

from datetime import date, datetime

# The earliest day the records take: anything before is a typing slip (a year of 0024).
EARLIEST_DAY = date(1900, 1, 1)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_label(value: date) -> str:
    """ "4 Mar 2024": a day, with no leading zero and the month in three letters."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def moment_label(value: datetime) -> str:
    """ "12 Mar 2026, 14:05 CST": an aware datetime, already in the zone it is shown in, on a
    24-hour clock with the zone's abbreviation. A naive datetime is refused: without its zone
    the time would be a guess."""
    zone = value.tzname() if value.tzinfo is not None else None
    if zone is None or value.utcoffset() is None:
        raise ValueError(f"{value!r} has no time zone: convert it to the user's zone first.")
    return f"{day_label(value)}, {value.hour:02d}:{value.minute:02d} {zone}"
