"""Dates and times in words (cases/domain/dates.py): "4 Mar 2024" and
"12 Mar 2026, 14:05 CST", the zone read from the datetime itself. Plain pytest."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from cases.domain.dates import day_label, moment_label

CHICAGO = ZoneInfo("America/Chicago")


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (date(2024, 3, 4), "4 Mar 2024"),
        (date(2026, 12, 31), "31 Dec 2026"),
        (date(2025, 1, 1), "1 Jan 2025"),
        # A datetime's own day, as it stands: converting it is the caller's business.
        (datetime(2026, 9, 21, 23, 59, tzinfo=CHICAGO), "21 Sep 2026"),
    ],
)
def test_day_label_writes_the_day_without_a_leading_zero_and_the_month_in_three_letters(
    value, label
):
    assert day_label(value) == label


def test_a_winter_time_in_chicago_reads_central_standard_time():
    assert moment_label(datetime(2026, 1, 12, 14, 5, tzinfo=CHICAGO)) == "12 Jan 2026, 14:05 CST"


def test_a_summer_time_in_chicago_reads_central_daylight_time():
    assert moment_label(datetime(2026, 7, 12, 9, 7, tzinfo=CHICAGO)) == "12 Jul 2026, 09:07 CDT"


def test_the_clock_is_24_hours_with_minutes_and_no_seconds():
    value = datetime(2026, 3, 12, 0, 0, 59, 999, tzinfo=CHICAGO)
    assert moment_label(value) == "12 Mar 2026, 00:00 CDT"


def test_the_change_to_daylight_time_shows_on_the_label():
    # 8 Mar 2026, 02:00 CST the clocks go forward: an hour either side reads each zone.
    before = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    after = before + timedelta(hours=1)
    assert moment_label(before.astimezone(CHICAGO)) == "8 Mar 2026, 01:30 CST"
    assert moment_label(after.astimezone(CHICAGO)) == "8 Mar 2026, 03:30 CDT"


def test_other_zones_read_their_own_abbreviation():
    assert moment_label(datetime(2026, 3, 12, 19, 5, tzinfo=UTC)) == "12 Mar 2026, 19:05 UTC"
    fixed = timezone(timedelta(hours=-5), "EST")
    assert moment_label(datetime(2026, 3, 12, 14, 5, tzinfo=fixed)) == "12 Mar 2026, 14:05 EST"


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="no time zone"):
        moment_label(datetime(2026, 3, 12, 14, 5))
