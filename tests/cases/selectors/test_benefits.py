"""State average weekly wages as reference data, and the benefit estimate on the case page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.domain.jurisdictions.florida import (
    FLORIDA_STATE_AVERAGE_WEEKLY_WAGES,
    calendar_year_dates,
)
from cases.models import Determination, StateAverageWeeklyWage
from cases.selectors.benefits import state_average_weekly_wage_on
from tests.support.cast import client_for
from tests.support.factories import AdministratorFactory, DeterminationFactory

pytestmark = pytest.mark.django_db


# --- the state average weekly wage, looked up by date of injury --------------------------------


@pytest.mark.parametrize(
    ("day", "amount"),
    [
        (date(2017, 9, 30), None),  # last day of FY2017: no figure on file
        (date(2017, 10, 1), Decimal("913.37")),  # first day of FY2018
        (date(2018, 1, 15), Decimal("913.37")),
        (date(2018, 9, 30), Decimal("913.37")),  # last day of FY2018
        (date(2018, 10, 1), None),  # first day of FY2019: no figure on file
        (date(2010, 9, 30), None),
        (date(2010, 10, 1), Decimal("766.34")),
        (date(2007, 9, 30), Decimal("673.80")),
        (date(2024, 9, 30), None),
        (date(2024, 10, 1), Decimal("1218.62")),
        (date(2025, 9, 30), Decimal("1218.62")),
        (date(2025, 10, 1), Decimal("1271.05")),
        (date(2026, 9, 30), Decimal("1271.05")),
        (date(2026, 10, 1), None),
    ],
)
def test_the_texas_figure_is_the_one_of_the_injury_fiscal_year(day, amount):
    found = state_average_weekly_wage_on(jurisdiction="TX", day=day)
    assert (found.amount if found else None) == amount


def test_every_seeded_figure_names_its_source():
    seeded = StateAverageWeeklyWage.objects.filter(jurisdiction="TX")
    assert seeded.count() == 5
    assert all(wage.source.strip() for wage in seeded)


@pytest.mark.parametrize(
    ("day", "amount"),
    [
        (date(2024, 12, 31), None),  # no 2024 figure on file
        (date(2025, 1, 1), Decimal("1295.00")),  # first day of the calendar year
        (date(2025, 7, 4), Decimal("1295.00")),
        (date(2025, 12, 31), Decimal("1295.00")),  # last day
        (date(2026, 1, 1), None),  # no 2026 figure on file
    ],
)
def test_the_florida_figure_is_the_one_of_the_injury_calendar_year(day, amount):
    found = state_average_weekly_wage_on(jurisdiction="FL", day=day)
    assert (found.amount if found else None) == amount


def test_the_seeded_florida_figures_are_the_rules_figures_with_their_sources():
    # The migration repeats the figures rather than importing them: they must still agree.
    seeded = {
        (wage.effective_from, wage.effective_to, wage.amount, wage.source)
        for wage in StateAverageWeeklyWage.objects.filter(jurisdiction="FL")
    }
    assert seeded == {
        (*calendar_year_dates(year), amount, source)
        for year, amount, source in FLORIDA_STATE_AVERAGE_WEEKLY_WAGES
    }


def test_the_admin_form_says_when_a_florida_year_starts_and_ends():
    client = client_for(AdministratorFactory())
    html = client.get(reverse("admin:cases_stateaverageweeklywage_add")).content.decode()
    assert "Texas: 1 October; Florida: 1 January" in html
    assert "Texas: 30 September; Florida: 31 December" in html
    assert "maximum weekly compensation rate (100 % of it)" in html


def test_a_figure_for_another_state_is_not_used_for_texas():
    StateAverageWeeklyWage.objects.create(
        jurisdiction="OK",
        effective_from=date(2018, 11, 1),
        effective_to=date(2019, 10, 31),
        amount=Decimal("800.00"),
        source="Test figure",
    )
    assert state_average_weekly_wage_on(jurisdiction="TX", day=date(2019, 1, 15)) is None


def test_overlapping_periods_are_refused_with_a_message():
    wage = StateAverageWeeklyWage(
        jurisdiction="TX",
        effective_from=date(2018, 9, 1),
        effective_to=date(2019, 8, 31),
        amount=Decimal("950.00"),
        source="Test figure",
    )
    with pytest.raises(ValidationError, match="overlap"):
        wage.full_clean()


def test_an_administrator_adds_a_missing_year_in_the_admin():
    client = client_for(AdministratorFactory())
    response = client.post(
        reverse("admin:cases_stateaverageweeklywage_add"),
        {
            "jurisdiction": "TX",
            "effective_from": "2018-10-01",
            "effective_to": "2019-09-30",
            "amount": "950.00",
            "source": "Test figure for FY2019",
        },
    )
    assert response.status_code == 302
    found = state_average_weekly_wage_on(jurisdiction="TX", day=date(2019, 1, 15))
    assert found.amount == Decimal("950.00")


@pytest.mark.parametrize(
    "fields",
    [
        {"effective_from": date(2030, 10, 1), "effective_to": date(2030, 9, 30)},
        {"amount": Decimal("0")},
    ],
)
def test_the_database_refuses_impossible_figures(fields):
    values = {
        "jurisdiction": "NM",
        "effective_from": date(2030, 1, 1),
        "effective_to": date(2030, 12, 31),
        "amount": Decimal("700"),
        "source": "Test figure",
        **fields,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        StateAverageWeeklyWage.objects.create(**values)


# --- the estimate on the case page -------------------------------------------------------------


def _sign(case, rating, *, version=1, status=Determination.Status.SIGNED):
    return DeterminationFactory(
        case=case,
        version=version,
        status=status,
        signed_at=timezone.now(),
        mmi_reached=True,
        impairment_rating=rating,
        certifying_clinician=case.care_team.first(),
    )


@pytest.fixture
def injured_in_fy2018(cast):
    cast.case.date_of_injury = date(2018, 1, 15)
    cast.case.disability_began = date(2018, 1, 16)
    cast.case.average_weekly_wage = Decimal("1000.00")
    cast.case.save()
    return cast


def _page(user, case) -> str:
    response = client_for(user).get(reverse("case-detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["case_manager", "adjuster", "admin"])
def test_case_managers_and_adjusters_see_the_texas_estimate_with_its_inputs(
    injured_in_fy2018, role
):
    cast = injured_in_fy2018
    _sign(cast.case, 12)
    html = _page(getattr(cast, role), cast.case)
    assert "Benefit estimate" in html
    assert "Estimate only, not advice" in html
    assert "Impairment income benefits (IIBs) under Texas rules" in html
    assert "$639.00" in html
    assert "$23,004.00" in html
    # The inputs it used, with where they came from.
    assert "Whole person impairment rating: 12 %, from MMI determination version 1" in html
    assert "Average weekly wage (case details): $1,000.00" in html
    assert "State average weekly wage: $913.37" in html
    assert "tdi.texas.gov/news/2017/dwc09252017a.html" in html
    # And the working.
    assert "Total: 36 weeks × $639.00 = $23,004.00." in html


def test_clinicians_do_not_see_benefit_estimates(injured_in_fy2018):
    # Estimates are for case managers and adjusters; clinicians rate, they do not
    # price the rating.
    _sign(injured_in_fy2018.case, 12)
    html = _page(injured_in_fy2018.clinician, injured_in_fy2018.case)
    assert "Benefit estimate" not in html
    assert "$23,004.00" not in html


def test_the_estimate_uses_the_latest_signed_determination(injured_in_fy2018):
    case = injured_in_fy2018.case
    _sign(case, 30, version=1, status=Determination.Status.SUPERSEDED)
    _sign(case, 12, version=2)
    html = _page(injured_in_fy2018.adjuster, case)
    assert "12 %, from MMI determination version 2" in html
    assert "$23,004.00" in html


def test_a_missing_state_wage_year_says_plainly_that_no_estimate_is_possible(cast):
    cast.case.date_of_injury = date(2019, 1, 15)
    cast.case.disability_began = None
    cast.case.save()
    _sign(cast.case, 12)
    html = _page(cast.adjuster, cast.case)
    assert "No estimate can be computed." in html
    assert "No Texas state average weekly wage is on file for an injury on" in html
    assert "State average weekly wages" in html


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({}, "There is no signed MMI determination yet"),
        ({"average_weekly_wage": None}, "The case has no average weekly wage"),
        ({"jurisdiction": "OH"}, "Ohio has no impairment benefit rule in MMI Tracker."),
    ],
)
def test_without_the_inputs_the_estimate_says_why(injured_in_fy2018, change, reason):
    case = injured_in_fy2018.case
    for name, value in change.items():
        setattr(case, name, value)
    case.save()
    if change:
        _sign(case, 12)
    html = _page(injured_in_fy2018.case_manager, case)
    assert "No estimate can be computed." in html
    assert reason in html


def test_a_draft_does_not_count_as_a_rating(injured_in_fy2018):
    case = injured_in_fy2018.case
    DeterminationFactory(
        case=case, impairment_rating=20, certifying_clinician=case.care_team.first()
    )
    html = _page(injured_in_fy2018.case_manager, case)
    assert "There is no signed MMI determination yet" in html


@pytest.fixture
def florida_2025(cast):
    """A Florida case injured in 2025 (maximum compensation rate $1,295) of a worker earning
    $3,000 a week: the worked example of docs/domain.md §4."""
    cast.case.jurisdiction = "FL"
    cast.case.date_of_injury = date(2025, 3, 10)
    cast.case.disability_began = date(2025, 3, 11)
    cast.case.average_weekly_wage = Decimal("3000.00")
    cast.case.save()
    return cast


@pytest.mark.parametrize("role", ["case_manager", "adjuster"])
def test_the_florida_estimate_is_capped_at_the_maximum_rate_of_the_injury_year(florida_2025, role):
    _sign(florida_2025.case, 10)
    html = _page(getattr(florida_2025, role), florida_2025.case)
    assert "Impairment income benefits under Florida rules" in html
    assert "$971.25" in html
    assert "$19,425.00" in html
    # The yearly figure it used, with its source.
    assert "State average weekly wage: $1,295.00, in force for injuries from" in html
    assert "maximum weekly compensation rate for dates of accident 1 Jan – 31 Dec 2025" in html
    # The cap, the minimum and the halving, in the working and beside the total.
    assert "Maximum compensation rate for the year of injury: 100 % of the state average" in html
    assert "is above the maximum compensation rate, so the temporary total rate is the" in html
    assert "Minimum: $20.00 a week (440.12(2))." in html
    assert "Halved weekly rate" in html
    assert "$485.63 in any week the worker earns at least the pre-injury average weekly wage" in (
        html
    )
    assert "Total: 20 weeks × $971.25 = $19,425.00." in html


def test_a_florida_injury_year_without_a_figure_says_no_estimate_is_possible(florida_2025):
    case = florida_2025.case
    case.date_of_injury = date(2018, 1, 15)
    case.disability_began = None
    case.save()
    _sign(case, 16)
    html = _page(florida_2025.adjuster, case)
    assert "No estimate can be computed." in html
    assert "No Florida state average weekly wage is on file for an injury on" in html
    assert "State average weekly wages" in html
    assert "Halved weekly rate" not in html


def test_the_texas_rate_is_shown_exactly_not_rounded_to_the_cent(injured_in_fy2018):
    case = injured_in_fy2018.case
    case.average_weekly_wage = Decimal("700.35")
    case.save()
    _sign(case, 10)
    html = _page(injured_in_fy2018.adjuster, case)
    # 70 % × 700.35 = 490.245 (§408.126: not rounded); 30 weeks → 14,707.35.
    assert "$490.245" in html
    assert "$490.25" not in html
    assert "$14,707.35" in html
    assert "Halved weekly rate" not in html


def test_the_estimate_makes_no_more_queries_for_more_determinations(injured_in_fy2018):
    case = injured_in_fy2018.case
    client = client_for(injured_in_fy2018.adjuster)
    url = reverse("case-detail", args=[case.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _sign(case, 10, version=1, status=Determination.Status.SUPERSEDED)
    _sign(case, 12, version=2)
    few = queries()
    for version in range(3, 8):
        DeterminationFactory(
            case=case,
            version=version,
            status=Determination.Status.RESCINDED,
            signed_at=timezone.now() - timedelta(days=1),
            rescinded_at=timezone.now(),
            rescind_category="new_diagnosis",
            mmi_reached=True,
            impairment_rating=5,
        )
    assert queries() == few
