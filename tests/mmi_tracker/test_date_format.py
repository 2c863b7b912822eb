"""Dates read the same way on every page, in every message and in every report."""

from datetime import date, datetime

from django.template import Context, Template
from django.utils.formats import date_format


def test_dates_read_day_month_year():
    rendered = Template("{{ day|date }} · {{ day|date:'SHORT_DATE_FORMAT' }}").render(
        Context({"day": date(2026, 9, 21)})
    )
    assert rendered == "21 Sep 2026 · 21 Sep 2026"


def test_times_read_on_a_24_hour_clock_after_the_date():
    assert date_format(datetime(2026, 3, 5, 14, 5), "DATETIME_FORMAT") == "5 Mar 2026, 14:05"
