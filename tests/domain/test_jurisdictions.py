"""Jurisdiction rules: terms, forms, statutory MMI, deadlines and benefit estimates.

Sources: DOMAIN.md §1, §3, §4, §8. Expected values are worked by hand in the comments.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from cases.domain.jurisdictions import (
    CHOICES,
    BenefitInputError,
    Jurisdiction,
    NoImpairmentBenefits,
    UnknownJurisdiction,
    for_code,
    supported_codes,
)
from cases.domain.jurisdictions.florida import impairment_weeks
from cases.domain.jurisdictions.texas import (
    TEXAS_STATE_AVERAGE_WEEKLY_WAGES,
    fiscal_year,
    fiscal_year_dates,
)

REPO = Path(__file__).resolve().parents[2]
SAWW_FY2018 = Decimal("913.37")


def test_jurisdiction_rules_do_not_import_django() -> None:
    code = "import sys, cases.domain.jurisdictions; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


@pytest.mark.parametrize(
    ("code", "name", "mmi_term", "report_form", "edition"),
    [
        ("TX", "Texas", "MMI", "DWC069", 4),
        ("CA", "California", "permanent and stationary", "PR-4", 5),
        (
            "FL",
            "Florida",
            "maximum medical improvement",
            "Report of maximum medical improvement and impairment rating",
            6,
        ),
        (
            "OH",
            "Ohio",
            "maximum medical improvement (MMI)",
            "Report of maximum medical improvement and impairment rating",
            6,
        ),
    ],
)
def test_terms_forms_and_guides_edition(
    code: str, name: str, mmi_term: str, report_form: str, edition: int
) -> None:
    jurisdiction = for_code(code)
    assert (jurisdiction.code, jurisdiction.name) == (code, name)
    assert jurisdiction.mmi_term == mmi_term
    assert jurisdiction.report_form == report_form
    assert jurisdiction.default_guides_edition == edition


@pytest.mark.parametrize(
    ("code", "expected_code", "expected_class"),
    [
        ("TX", "TX", "Texas"),
        ("tx", "TX", "Texas"),
        (" Fl ", "FL", "Florida"),
        ("ca", "CA", "California"),
        ("NY", "NY", "Jurisdiction"),
        ("dc", "DC", "Jurisdiction"),
        ("PR", "PR", "Jurisdiction"),
        ("GU", "GU", "Jurisdiction"),
    ],
)
def test_for_code(code: str, expected_code: str, expected_class: str) -> None:
    jurisdiction = for_code(code)
    assert jurisdiction.code == expected_code
    assert type(jurisdiction).__name__ == expected_class


@pytest.mark.parametrize("code", ["ZZ", "", "Texas", "T X", None, 12])
def test_for_code_refuses_what_is_not_a_us_code(code: object) -> None:
    with pytest.raises(UnknownJurisdiction, match=f"{code!r} is not a US state, DC or territory"):
        for_code(code)  # type: ignore[arg-type]


def test_unknown_jurisdiction_is_a_value_error() -> None:
    assert issubclass(UnknownJurisdiction, ValueError)


def test_choices_are_the_states_and_dc() -> None:
    codes = [code for code, _ in CHOICES]
    assert len(codes) == len(set(codes)) == 51
    assert ("DC", "District of Columbia") in CHOICES
    assert ("TX", "Texas") in CHOICES
    assert "PR" not in codes


def test_supported_codes_add_the_territories_and_all_work() -> None:
    codes = supported_codes()
    assert set(codes) == {code for code, _ in CHOICES} | {"AS", "GU", "MP", "PR", "VI"}
    assert all(for_code(code).code == code for code in codes)


# --- Statutory MMI and deadlines -------------------------------------------------------------


@pytest.mark.parametrize(
    ("began", "accrual", "mmi"),
    [
        # DOMAIN §1 example.
        (date(2024, 3, 2), date(2024, 3, 9), date(2026, 3, 6)),
        # Accrual on the leap day: 29 Feb 2024 + 731 days = 1 Mar 2026; 727 days is 4 earlier.
        (date(2024, 2, 22), date(2024, 2, 29), date(2026, 2, 25)),
        # 104 weeks spanning 29 Feb 2024: 6 Jan 2024 + 731 days = 6 Jan 2026; − 4 = 2 Jan.
        (date(2023, 12, 30), date(2024, 1, 6), date(2026, 1, 2)),
        # Landing on the leap day: 4 Mar 2022 + 731 days = 4 Mar 2024; − 4 = 29 Feb 2024.
        (date(2022, 2, 25), date(2022, 3, 4), date(2024, 2, 29)),
        # No leap day: 17 Jun 2021 + 730 days = 17 Jun 2023; − 3 = 14 Jun 2023.
        (date(2021, 6, 10), date(2021, 6, 17), date(2023, 6, 14)),
    ],
)
def test_texas_statutory_mmi(began: date, accrual: date, mmi: date) -> None:
    statutory = for_code("TX").statutory_mmi(began)
    assert statutory is not None
    assert (statutory.disability_began, statutory.accrual_date, statutory.mmi_date) == (
        began,
        accrual,
        mmi,
    )
    assert any("+ 727 days" in step for step in statutory.steps)


@pytest.mark.parametrize("code", ["FL", "CA", "OH"])
def test_no_statutory_mmi_or_dispute_deadline_outside_texas(code: str) -> None:
    jurisdiction = for_code(code)
    assert jurisdiction.statutory_mmi(date(2024, 3, 2)) is None
    assert jurisdiction.dispute_deadline(date(2024, 3, 2)) is None


@pytest.mark.parametrize(
    ("notice", "deadline"),
    [
        # 16 days to 31 Jan, 29 in Feb (leap), 31 in Mar, 14 in Apr = 90.
        (date(2024, 1, 15), date(2024, 4, 14)),
        # 16 + 28 + 31 + 15 = 90.
        (date(2023, 1, 15), date(2023, 4, 15)),
        (date(2024, 12, 1), date(2025, 3, 1)),  # 30 + 31 + 28 + 1 = 90
    ],
)
def test_texas_dispute_deadline_is_90_days_after_notice(notice: date, deadline: date) -> None:
    assert for_code("TX").dispute_deadline(notice) == deadline


@pytest.mark.parametrize("code", ["TX", "OH"])
@pytest.mark.parametrize("value", ["2024-03-02", datetime(2024, 3, 2, 9, 30), None])
def test_dates_must_be_calendar_dates(code: str, value: object) -> None:
    jurisdiction = for_code(code)
    with pytest.raises(BenefitInputError, match="must be a calendar date"):
        jurisdiction.statutory_mmi(value)  # type: ignore[arg-type]
    with pytest.raises(BenefitInputError, match="must be a calendar date"):
        jurisdiction.dispute_deadline(value)  # type: ignore[arg-type]


# --- Texas impairment and supplemental income benefits ---------------------------------------


@pytest.mark.parametrize(
    ("rating", "wage", "saww", "weeks", "rate", "total"),
    [
        # DOMAIN §4: cap 70 % × 913.37 = 639.359 → 639; 70 % × 1,000 = 700 > 639.
        (12, "1000", SAWW_FY2018, 36, "639.00", "23004.00"),
        # Well above the maximum: 70 % × 2,000 = 1,400 → 639; 20 × 3 = 60 weeks.
        (20, "2000", SAWW_FY2018, 60, "639.00", "38340.00"),
        # Below the minimum: 70 % × 150 = 105 < 15 % × 913.37 = 137.0055 → 137.
        (10, "150", SAWW_FY2018, 30, "137.00", "4110.00"),
        # Within: 70 % × 555.55 = 388.885 → 388.89 (cent, half up); 15 × 388.89 = 5,833.35.
        (5, "555.55", SAWW_FY2018, 15, "388.89", "5833.35"),
        # FY2011: max 70 % × 766.34 = 536.438 → 536; min 114.951 → 115.
        (1, "900", Decimal("766.34"), 3, "536.00", "1608.00"),
        (1, "100", Decimal("766.34"), 3, "115.00", "345.00"),
        # No impairment, no weeks.
        (0, "1000", SAWW_FY2018, 0, "639.00", "0.00"),
    ],
)
def test_texas_impairment_income_benefits(
    rating: int, wage: str, saww: Decimal, weeks: int, rate: str, total: str
) -> None:
    estimate = for_code("TX").impairment_benefits(
        rating=rating, average_weekly_wage=Decimal(wage), state_average_weekly_wage=saww
    )
    assert estimate.weeks == weeks
    assert estimate.weekly_rate == Decimal(rate)
    assert str(estimate.weekly_rate) == rate
    assert estimate.total == Decimal(total)
    assert str(estimate.total) == total


def test_texas_iib_keeps_its_caps_and_explains_them() -> None:
    estimate = for_code("TX").impairment_benefits(
        rating=12, average_weekly_wage=Decimal("1000"), state_average_weekly_wage=SAWW_FY2018
    )
    assert estimate.maximum_weekly_rate == Decimal("639")  # type: ignore[attr-defined]
    assert estimate.minimum_weekly_rate == Decimal("137")  # type: ignore[attr-defined]
    assert estimate.wage_share_rate == Decimal("700.00")  # type: ignore[attr-defined]
    assert estimate.state_average_weekly_wage == SAWW_FY2018
    assert estimate.steps[-1] == "Total: 36 weeks × $639.00 = $23,004.00."
    assert "$639.359, rounded to the dollar $639.00" in estimate.steps[2]


def test_texas_iib_needs_the_state_average_weekly_wage() -> None:
    with pytest.raises(BenefitInputError, match="need the state average weekly wage"):
        for_code("TX").impairment_benefits(
            rating=12, average_weekly_wage=Decimal("1000"), state_average_weekly_wage=None
        )


@pytest.mark.parametrize(("code", "needs"), [("TX", True), ("FL", False), ("CA", False)])
def test_jurisdictions_say_whether_benefits_need_the_state_average_weekly_wage(
    code: str, needs: bool
) -> None:
    assert for_code(code).needs_state_average_weekly_wage is needs


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rating": 101}, "rating must be a whole percent from 0 to 100, got 101"),
        ({"rating": -1}, "got -1"),
        ({"rating": "abc"}, "got 'abc'"),
        ({"rating": True}, "got True"),
        ({"average_weekly_wage": Decimal("-1")}, "average weekly wage must be a dollar amount"),
        ({"average_weekly_wage": 1000.0}, "average weekly wage must be a dollar amount"),
        ({"state_average_weekly_wage": "913.37"}, "state average weekly wage must be a dollar"),
    ],
)
def test_texas_iib_refuses_bad_input(fields: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "rating": 12,
        "average_weekly_wage": Decimal("1000"),
        "state_average_weekly_wage": SAWW_FY2018,
    } | fields
    with pytest.raises(BenefitInputError, match=message):
        for_code("TX").impairment_benefits(**arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(("rating", "eligible"), [(0, False), (14, False), (15, True), (100, True)])
def test_texas_supplemental_benefits_need_15_percent(rating: int, eligible: bool) -> None:
    assert for_code("TX").supplemental_benefits_eligible(rating) is eligible


@pytest.mark.parametrize("code", ["FL", "CA", "OH"])
def test_no_supplemental_benefit_rule_elsewhere(code: str) -> None:
    assert for_code(code).supplemental_benefits_eligible(20) is None


@pytest.mark.parametrize("code", ["TX", "OH"])
def test_supplemental_benefits_check_the_rating(code: str) -> None:
    with pytest.raises(BenefitInputError, match="got 101"):
        for_code(code).supplemental_benefits_eligible(101)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2017, 9, 30), 2017),
        (date(2017, 10, 1), 2018),
        (date(2017, 12, 31), 2018),
        (date(2018, 1, 1), 2018),
        (date(2018, 9, 30), 2018),
        (date(2018, 10, 1), 2019),
    ],
)
def test_texas_fiscal_year_runs_october_to_september(day: date, year: int) -> None:
    assert fiscal_year(day) == year


def test_texas_fiscal_year_dates_are_its_first_and_last_day() -> None:
    first, last = fiscal_year_dates(2018)
    assert (first, last) == (date(2017, 10, 1), date(2018, 9, 30))
    assert fiscal_year(first) == fiscal_year(last) == 2018
    assert fiscal_year(first - timedelta(days=1)) == 2017
    assert fiscal_year(last + timedelta(days=1)) == 2019


def test_texas_state_average_weekly_wages_are_sourced() -> None:
    amounts = {year: amount for year, amount, _ in TEXAS_STATE_AVERAGE_WEEKLY_WAGES}
    assert len(amounts) == len(TEXAS_STATE_AVERAGE_WEEKLY_WAGES)
    assert amounts[2018] == SAWW_FY2018
    for _, amount, source in TEXAS_STATE_AVERAGE_WEEKLY_WAGES:
        assert amount.as_tuple().exponent == -2
        assert source.strip()


@pytest.mark.parametrize(
    ("year", "maximum", "minimum"), [(2018, 639, 137), (2025, 853, 183), (2026, 890, 191)]
)
def test_iib_caps_from_the_seeded_wages_match_the_published_caps(
    year: int, maximum: int, minimum: int
) -> None:
    # The IIB maximum and minimum the sources publish beside each state average weekly wage.
    state_wage = {y: amount for y, amount, _ in TEXAS_STATE_AVERAGE_WEEKLY_WAGES}[year]
    estimate = for_code("TX").impairment_benefits(
        rating=10, average_weekly_wage=Decimal("1000"), state_average_weekly_wage=state_wage
    )
    assert (estimate.maximum_weekly_rate, estimate.minimum_weekly_rate) == (maximum, minimum)


# --- Florida impairment benefits -------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "weeks"),
    [
        (0, 0),
        (1, 2),
        (10, 20),  # 10 × 2
        (11, 23),  # 20 + 1 × 3
        (15, 35),  # 20 + 5 × 3
        (16, 39),  # 20 + 15 + 1 × 4 (DOMAIN §4)
        (20, 55),  # 20 + 15 + 5 × 4
        (21, 61),  # 55 + 1 × 6
        (30, 115),  # 55 + 10 × 6
    ],
)
def test_florida_weeks_per_point_by_tier(rating: int, weeks: int) -> None:
    assert impairment_weeks(rating)[0] == weeks
    estimate = for_code("FL").impairment_benefits(
        rating=rating, average_weekly_wage=Decimal("1000"), state_average_weekly_wage=None
    )
    assert estimate.weeks == weeks


def test_florida_weeks_show_each_tier() -> None:
    assert impairment_weeks(16)[1] == (
        "Points 1–10: 10 × 2 weeks = 20 weeks.",
        "Points 11–15: 5 × 3 weeks = 15 weeks.",
        "Point 16: 1 × 4 weeks = 4 weeks.",
        "Weeks for 16 %: 39.",
    )


@pytest.mark.parametrize(
    ("rating", "wage", "temporary_total", "rate", "total"),
    [
        # 1,000 × 2/3 = 666.666… → 666.67; × 75 % = 500.0025 → 500.00; 39 × 500 = 19,500.
        (16, "1000", "666.67", "500.00", "19500.00"),
        # 600 × 2/3 = 400; × 75 % = 300; 2 weeks.
        (1, "600", "400.00", "300.00", "600.00"),
        # 15.09 × 2/3 = 10.06; × 75 % = 7.545 → 7.55 (half up, not half even); 2 weeks.
        (1, "15.09", "10.06", "7.55", "15.10"),
    ],
)
def test_florida_impairment_benefit_money(
    rating: int, wage: str, temporary_total: str, rate: str, total: str
) -> None:
    estimate = for_code("FL").impairment_benefits(
        rating=rating, average_weekly_wage=Decimal(wage), state_average_weekly_wage=None
    )
    assert str(estimate.temporary_total_rate) == temporary_total  # type: ignore[attr-defined]
    assert str(estimate.weekly_rate) == rate
    assert str(estimate.total) == total


def test_florida_refuses_a_bad_rating() -> None:
    with pytest.raises(BenefitInputError, match="got 101"):
        for_code("FL").impairment_benefits(
            rating=101, average_weekly_wage=Decimal("1000"), state_average_weekly_wage=None
        )


# --- Jurisdictions without an impairment benefit rule ----------------------------------------


@pytest.mark.parametrize(
    ("code", "name"), [("CA", "California"), ("OH", "Ohio"), ("PR", "Puerto Rico")]
)
def test_no_impairment_benefit_rule(code: str, name: str) -> None:
    with pytest.raises(NoImpairmentBenefits) as raised:
        for_code(code).impairment_benefits(
            rating=10, average_weekly_wage=Decimal("1000"), state_average_weekly_wage=None
        )
    assert str(raised.value) == f"{name} has no impairment benefit rule in MMI Tracker."


def test_generic_rules_are_the_base_class() -> None:
    assert type(for_code("OH")) is Jurisdiction
