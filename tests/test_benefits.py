"""State average weekly wages as reference data, and the benefit estimate on the case page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.benefits import state_average_weekly_wage_on
from cases.models import Determination, StateAverageWeeklyWage

from .conftest import client_for
from .factories import AdministratorFactory, DeterminationFactory

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
    # DESIGN.md: estimates are for case managers and adjusters; clinicians rate, they do not
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


def test_florida_estimates_need_no_state_wage(injured_in_fy2018):
    case = injured_in_fy2018.case
    case.jurisdiction = "FL"
    case.save()
    _sign(case, 16)
    html = _page(injured_in_fy2018.adjuster, case)
    assert "$19,500.00" in html
    assert "State average weekly wage:" not in html


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
