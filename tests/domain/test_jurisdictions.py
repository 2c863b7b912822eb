"""Jurisdiction rules: terms, forms, statutory MMI, deadlines and benefit estimates.

Sources: docs/domain.md §1, §3, §4, §8. Expected values are worked by hand in the comments.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
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
from cases.domain.jurisdictions.florida import (
    FLORIDA_STATE_AVERAGE_WEEKLY_WAGES,
    calendar_year_dates,
    impairment_weeks,
)
from cases.domain.jurisdictions.florida import (
    ImpairmentBenefits as FloridaBenefits,
)
from cases.domain.jurisdictions.texas import (
    TEXAS_STATE_AVERAGE_WEEKLY_WAGES,
    fiscal_year,
    fiscal_year_dates,
)

REPO = Path(__file__).resolve().parents[2]
SAWW_FY2018 = Decimal("913.37")
# Florida 2025: maximum compensation rate $1,295 = 100 % of the state AWW (440.12(2)).
SAWW_FL_2025 = Decimal("1295.00")


def test_jurisdiction_rules_do_not_import_django() -> None:
    code = "import sys, cases.domain.jurisdictions; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


@pytest.mark.parametrize(
    ("code", "name", "mmi_term", "report_form", "editions"),
    [
        ("TX", "Texas", "MMI", "DWC069", ("4th", "3rd")),
        ("CA", "California", "permanent and stationary", "PR-4", ("5th",)),
        (
            "FL",
            "Florida",
            "maximum medical improvement",
            "Report of maximum medical improvement and impairment rating",
            ("fl1996",),
        ),
        (
            "OH",
            "Ohio",
            "maximum medical improvement (MMI)",
            "Report of maximum medical improvement and impairment rating",
            ("6th", "5th", "4th", "3rd"),
        ),
    ],
)
def test_terms_forms_and_guides_editions(
    code: str, name: str, mmi_term: str, report_form: str, editions: tuple[str, ...]
) -> None:
    jurisdiction = for_code(code)
    assert (jurisdiction.code, jurisdiction.name) == (code, name)
    assert jurisdiction.mmi_term == mmi_term
    assert jurisdiction.report_form == report_form
    assert jurisdiction.accepted_guides_editions == editions
    assert jurisdiction.default_guides_edition == editions[0]


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


# --- Texas impairment and supplemental income benefits ---------------------------------------


@pytest.mark.parametrize(
    ("rating", "wage", "saww", "weeks", "rate", "total"),
    [
        # docs/domain.md §4: cap 70 % × 913.37 = 639.359 → 639; 70 % × 1,000 = 700 > 639.
        (12, "1000", SAWW_FY2018, 36, "639.00", "23004.00"),
        # Well above the maximum: 70 % × 2,000 = 1,400 → 639; 20 × 3 = 60 weeks.
        (20, "2000", SAWW_FY2018, 60, "639.00", "38340.00"),
        # Below the minimum: 70 % × 150 = 105 < 15 % × 913.37 = 137.0055 → 137.
        (10, "150", SAWW_FY2018, 30, "137.00", "4110.00"),
        # Within: 70 % × 555.55 = 388.885, not rounded (only the limits are, §408.126);
        # 15 × 388.885 = 5,833.275 exactly.
        (5, "555.55", SAWW_FY2018, 15, "388.885", "5833.275"),
        # Within, 70 % with three decimals: 70 % × 700.35 = 490.245; 30 × 490.245 = 14,707.35.
        (10, "700.35", SAWW_FY2018, 30, "490.245", "14707.35"),
        # Just under the maximum: 70 % × 912.85 = 638.995 < 639, kept exact.
        (1, "912.85", SAWW_FY2018, 3, "638.995", "1916.985"),
        # Just over: 70 % × 912.86 = 639.002 > 639 → 639.
        (1, "912.86", SAWW_FY2018, 3, "639.00", "1917.00"),
        # State AWW 1,000: maximum 700, minimum 150. At the maximum: 70 % × 1,000 = 700.
        (1, "1000", Decimal("1000.00"), 3, "700.00", "2100.00"),
        (1, "999.99", Decimal("1000.00"), 3, "699.993", "2099.979"),
        (1, "1000.01", Decimal("1000.00"), 3, "700.00", "2100.00"),
        # At the minimum: 70 % × 214.29 = 150.003 (just above, exact); 214.28 → 149.996 → 150.
        (1, "214.29", Decimal("1000.00"), 3, "150.003", "450.009"),
        (1, "214.28", Decimal("1000.00"), 3, "150.00", "450.00"),
        # State AWW 933.33: minimum 15 % = 139.9995 → 140. 70 % × 200 = 140: at the minimum.
        (1, "200", Decimal("933.33"), 3, "140.00", "420.00"),
        (1, "199.99", Decimal("933.33"), 3, "140.00", "420.00"),
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
    assert "$137.0055, rounded to the dollar $137.00" in estimate.steps[3]


def test_texas_iib_shows_the_exact_70_percent_unrounded() -> None:
    estimate = for_code("TX").impairment_benefits(
        rating=10, average_weekly_wage=Decimal("700.35"), state_average_weekly_wage=SAWW_FY2018
    )
    assert estimate.wage_share_rate == Decimal("490.245")  # type: ignore[attr-defined]
    assert estimate.weekly_rate == Decimal("490.245")
    assert estimate.total == Decimal("14707.35")
    assert estimate.steps[1] == (
        "70 % of the worker's average weekly wage $700.35 = $490.245 (§408.126)."
    )
    assert estimate.steps[4] == "$490.245 is within the minimum and maximum: $490.245 a week."
    assert estimate.steps[5] == "Total: 30 weeks × $490.245 = $14,707.35."


@pytest.mark.parametrize(
    ("state_wage", "maximum", "minimum"),
    [
        # 70 % × 915 = 640.5 → 641 and 15 % × 915 = 137.25 → 137: halves go up, not to even.
        ("915.00", 641, 137),
        # 70 % × 910 = 637 and 15 % × 910 = 136.5 → 137.
        ("910.00", 637, 137),
        # 70 % × 914.99 = 640.493 → 640; 15 % × 914.99 = 137.2485 → 137.
        ("914.99", 640, 137),
    ],
)
def test_texas_limits_round_to_the_dollar_halves_up(
    state_wage: str, maximum: int, minimum: int
) -> None:
    estimate = for_code("TX").impairment_benefits(
        rating=1, average_weekly_wage=Decimal("500"), state_average_weekly_wage=Decimal(state_wage)
    )
    assert estimate.maximum_weekly_rate == maximum  # type: ignore[attr-defined]
    assert estimate.minimum_weekly_rate == minimum  # type: ignore[attr-defined]


def test_texas_iib_needs_the_state_average_weekly_wage() -> None:
    with pytest.raises(BenefitInputError, match="need the state average weekly wage"):
        for_code("TX").impairment_benefits(
            rating=12, average_weekly_wage=Decimal("1000"), state_average_weekly_wage=None
        )


@pytest.mark.parametrize(("code", "needs"), [("TX", True), ("FL", True), ("CA", False)])
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


def _florida(rating: int, wage: str, state_wage: Decimal = SAWW_FL_2025) -> FloridaBenefits:
    return for_code("FL").impairment_benefits(
        rating=rating, average_weekly_wage=Decimal(wage), state_average_weekly_wage=state_wage
    )


@pytest.mark.parametrize(
    ("rating", "weeks"),
    [
        (0, 0),
        (1, 2),
        (10, 20),  # 10 × 2
        (11, 23),  # 20 + 1 × 3
        (15, 35),  # 20 + 5 × 3
        (16, 39),  # 20 + 15 + 1 × 4 (docs/domain.md §4)
        (20, 55),  # 20 + 15 + 5 × 4
        (21, 61),  # 55 + 1 × 6
        (30, 115),  # 55 + 10 × 6
        (100, 535),  # 55 + 80 × 6
    ],
)
def test_florida_weeks_per_point_by_tier(rating: int, weeks: int) -> None:
    assert impairment_weeks(rating)[0] == weeks
    assert _florida(rating, "1000").weeks == weeks


def test_florida_weeks_show_each_tier() -> None:
    assert impairment_weeks(16)[1] == (
        "Points 1–10: 10 × 2 weeks = 20 weeks.",
        "Points 11–15: 5 × 3 weeks = 15 weeks.",
        "Point 16: 1 × 4 weeks = 4 weeks.",
        "Weeks for 16 %: 39.",
    )


@pytest.mark.parametrize(
    ("rating", "wage", "temporary_total", "rate", "total", "halved"),
    [
        # docs/domain.md §4: 3,000 × 2/3 = 2,000 > 1,295 → 1,295; × 75 % = 971.25; × 20 weeks
        # = 19,425; halved 485.625 → 485.63 (cent, half up).
        (10, "3000", "1295.00", "971.25", "19425.00", "485.63"),
        # The cap at 1,295 × 3/2 = 1,942.50. Just under: 1,294.993… → 1,294.99; × 75 % =
        # 971.2425 → 971.24; × 20 = 19,424.80; halved 485.62.
        (10, "1942.49", "1294.99", "971.24", "19424.80", "485.62"),
        # At the cap: exactly 1,295.
        (10, "1942.50", "1295.00", "971.25", "19425.00", "485.63"),
        # Just over: 1,295.006… → 1,295.01 → capped at 1,295.
        (10, "1942.51", "1295.00", "971.25", "19425.00", "485.63"),
        # 1,000 × 2/3 = 666.666… → 666.67; × 75 % = 500.0025 → 500.00; 39 × 500 = 19,500.
        (16, "1000", "666.67", "500.00", "19500.00", "250.00"),
        # 600 × 2/3 = 400; × 75 % = 300; 2 weeks.
        (1, "600", "400.00", "300.00", "600.00", "150.00"),
        # The $20 minimum (440.12(2)): 25 × 2/3 = 16.67 < 20 → 20; × 75 % = 15; 2 weeks.
        (1, "25", "20.00", "15.00", "30.00", "7.50"),
        # At the minimum: 30 × 2/3 = 20 exactly; just under: 29.99 → 19.99 → 20.
        (1, "30", "20.00", "15.00", "30.00", "7.50"),
        (1, "29.99", "20.00", "15.00", "30.00", "7.50"),
        # A wage of exactly $20 still gets the $20 minimum (13.33 → 20).
        (1, "20", "20.00", "15.00", "30.00", "7.50"),
        # Under $20 a week the full wage is paid (440.12(2)): 15.09; × 75 % = 11.3175 → 11.32
        # (half up); halved 5.66.
        (1, "15.09", "15.09", "11.32", "22.64", "5.66"),
        # 19.99 → 19.99; × 75 % = 14.9925 → 14.99; halved 7.495 → 7.50 (half up, not even).
        (1, "19.99", "19.99", "14.99", "29.98", "7.50"),
        # Rating 0: no weeks, nothing to pay.
        (0, "3000", "1295.00", "971.25", "0.00", "485.63"),
    ],
)
def test_florida_impairment_benefit_money(
    rating: int, wage: str, temporary_total: str, rate: str, total: str, halved: str
) -> None:
    estimate = _florida(rating, wage)
    assert str(estimate.temporary_total_rate) == temporary_total
    assert str(estimate.weekly_rate) == rate
    assert str(estimate.total) == total
    assert str(estimate.halved_weekly_rate) == halved
    assert estimate.state_average_weekly_wage == SAWW_FL_2025


def test_florida_worked_example_shows_the_cap_the_minimum_and_the_halving() -> None:
    estimate = _florida(10, "3000")
    assert estimate.wage_share_rate == Decimal("2000.00")
    assert str(estimate.maximum_compensation_rate) == "1295.00"
    assert str(estimate.minimum_compensation_rate) == "20.00"
    assert estimate.steps == (
        "Points 1–10: 10 × 2 weeks = 20 weeks.",
        "Weeks for 10 %: 20.",
        "66⅔ % (2/3) of the average weekly wage $3,000.00 = $2,000.00 to the cent (440.15(2)(a)).",
        "Maximum compensation rate for the year of injury: 100 % of the state average weekly "
        "wage $1,295.00, to the nearest dollar, = $1,295.00 (440.12(2)).",
        "Minimum: $20.00 a week (440.12(2)).",
        "$2,000.00 is above the maximum compensation rate, so the temporary total rate is the "
        "maximum: $1,295.00 a week.",
        "Weekly rate: 75 % of $1,295.00 = $971.25, to the cent $971.25 (440.15(3)).",
        "Total: 20 weeks × $971.25 = $19,425.00.",
        "Halved in any week the worker earns at least the pre-injury average weekly wage "
        "$3,000.00: 50 % of $971.25 = $485.625, to the cent $485.63 a week in such weeks "
        "(440.15(3)(c)). The total above assumes no such week.",
    )


@pytest.mark.parametrize(
    ("wage", "held"),
    [
        (
            "1000",
            "$666.67 is within the minimum and the maximum compensation rate, so it is the "
            "temporary total rate: $666.67 a week.",
        ),
        (
            "25",
            "$16.67 is below the minimum, so the temporary total rate is the minimum: "
            "$20.00 a week.",
        ),
    ],
)
def test_florida_says_where_the_temporary_total_rate_stands(wage: str, held: str) -> None:
    assert held in _florida(10, wage).steps


def test_florida_a_wage_under_20_dollars_is_paid_in_full() -> None:
    estimate = _florida(1, "15.09")
    assert str(estimate.minimum_compensation_rate) == "15.09"
    assert (
        "Minimum: $20.00 a week, but a weekly wage under that is paid in full: $15.09 "
        "(440.12(2))." in estimate.steps
    )


@pytest.mark.parametrize(
    ("state_wage", "maximum"),
    # 440.12(2): 100 % of the state AWW "adjusted to the nearest dollar", halves up.
    [("1295.00", "1295.00"), ("1294.50", "1295.00"), ("1294.49", "1294.00")],
)
def test_florida_maximum_is_the_state_wage_to_the_nearest_dollar(
    state_wage: str, maximum: str
) -> None:
    estimate = _florida(10, "3000", Decimal(state_wage))
    assert str(estimate.maximum_compensation_rate) == maximum
    assert str(estimate.temporary_total_rate) == maximum


def test_florida_needs_the_state_average_weekly_wage() -> None:
    with pytest.raises(BenefitInputError, match="need the state average weekly wage"):
        for_code("FL").impairment_benefits(
            rating=10, average_weekly_wage=Decimal("1000"), state_average_weekly_wage=None
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rating": 101}, "got 101"),
        ({"average_weekly_wage": 1000.0}, "average weekly wage must be a dollar amount"),
        ({"state_average_weekly_wage": 1295.0}, "state average weekly wage must be a dollar"),
    ],
)
def test_florida_refuses_bad_input(fields: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "rating": 10,
        "average_weekly_wage": Decimal("1000"),
        "state_average_weekly_wage": SAWW_FL_2025,
    } | fields
    with pytest.raises(BenefitInputError, match=message):
        for_code("FL").impairment_benefits(**arguments)  # type: ignore[arg-type]


def test_florida_yearly_figures_are_sourced_calendar_years() -> None:
    amounts = {year: amount for year, amount, _ in FLORIDA_STATE_AVERAGE_WEEKLY_WAGES}
    assert len(amounts) == len(FLORIDA_STATE_AVERAGE_WEEKLY_WAGES)
    assert amounts[2025] == SAWW_FL_2025
    for _, amount, source in FLORIDA_STATE_AVERAGE_WEEKLY_WAGES:
        assert amount.as_tuple().exponent == -2
        assert source.strip()
    assert calendar_year_dates(2025) == (date(2025, 1, 1), date(2025, 12, 31))


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


def test_texas_names_the_divisions_line_for_injured_workers() -> None:
    # docs/domain.md §9: the number the DWC073 gives injured employees.
    line = for_code("TX").help_line
    assert line is not None
    assert line.phone == "800-252-7031"
    assert line.agency == "Texas Department of Insurance, Division of Workers' Compensation"


@pytest.mark.parametrize("code", ["CA", "FL", "NY"])
def test_a_state_whose_line_is_not_recorded_names_none(code: str) -> None:
    assert for_code(code).help_line is None
