"""Dates read the same way on every page, in every message and in every report, and a time
of day always says its zone (cases/templatetags/dates.py)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cases.templatetags.dates import day, moment
from tests.support.cast import client_for
from tests.support.reports import determination, text

# 20:05 UTC: 14:05 in Chicago in winter (CST, UTC-6), 15:05 in summer (CDT, UTC-5).
WINTER = datetime(2026, 1, 12, 20, 5, tzinfo=UTC)
SUMMER = datetime(2026, 7, 12, 20, 5, tzinfo=UTC)


def test_dates_read_day_month_year():
    rendered = Template("{{ day|date }} · {{ day|date:'SHORT_DATE_FORMAT' }}").render(
        Context({"day": date(2026, 9, 21)})
    )
    assert rendered == "21 Sep 2026 · 21 Sep 2026"


def test_times_read_on_a_24_hour_clock_after_the_date():
    assert date_format(datetime(2026, 3, 5, 14, 5), "DATETIME_FORMAT") == "5 Mar 2026, 14:05"


def test_the_day_and_moment_filters_need_no_load_and_write_the_users_zone():
    with timezone.override("America/Chicago"):
        rendered = Template("{{ on|day }} · {{ at|moment }} · {{ summer|moment }}").render(
            Context({"on": date(2024, 3, 4), "at": WINTER, "summer": SUMMER})
        )
    assert rendered == "4 Mar 2024 · 12 Jan 2026, 14:05 CST · 12 Jul 2026, 15:05 CDT"


def test_a_time_is_written_in_the_active_zone_and_its_day_is_the_local_day():
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        assert moment(WINTER) == "13 Jan 2026, 05:05 JST"
        assert day(WINTER) == "13 Jan 2026"
    with timezone.override(ZoneInfo("America/Chicago")):
        assert day(WINTER) == "12 Jan 2026"


def test_an_empty_value_is_empty_so_a_default_can_follow():
    rendered = Template('{{ none|day|default:"—" }} {{ blank|moment|default:"—" }}').render(
        Context({"none": None, "blank": ""})
    )
    assert rendered == "— —"
    assert day(None) == moment(None) == ""


def test_a_date_has_no_time_of_day_to_show():
    assert moment(date(2026, 3, 12)) == "12 Mar 2026"


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        moment(datetime(2026, 3, 12, 14, 5))


def _chicago(value: datetime) -> str:
    """The signing time as a reader in Chicago expects it, worked out without the helper."""
    local = value.astimezone(ZoneInfo("America/Chicago"))
    zone = "CDT" if local.dst() else "CST"
    return f"{local.day} {local:%b %Y}, {local.hour:02d}:{local.minute:02d} {zone}"


@pytest.fixture
def signed(cast, settings):
    settings.TIME_ZONE = "America/Chicago"
    return determination(cast.case, cast.clinician)


def test_the_determination_page_shows_when_it_was_signed_with_the_zone(cast, signed):
    response = client_for(cast.clinician).get(reverse("determination-detail", args=[signed.pk]))

    assert response.status_code == 200
    assert f"{_chicago(signed.signed_at)} by {cast.clinician}" in response.content.decode()


@pytest.mark.pdf
def test_the_certification_says_when_it_was_signed_with_the_zone(cast, signed):
    response = client_for(cast.adjuster).get(reverse("report-certification", args=[signed.pk]))

    assert response.status_code == 200
    assert f"in MMI Tracker on {_chicago(signed.signed_at)}." in text(response.content)
