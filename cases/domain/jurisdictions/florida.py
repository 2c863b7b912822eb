"""Florida: impairment benefits by tiers of weeks per point.

Source: docs/domain.md §1 (Florida Statutes 440.02: "maximum medical improvement") and §4
(440.15(3): weeks per point by tier, paid at 75 % of the temporary total rate; 440.12(2): the
temporary total rate is held between $20 and the maximum compensation rate of the year of
injury; 440.15(3)(c): halved in weeks the worker earns at least the pre-injury wage).

Standard library only: this module must never import Django (a test enforces it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cases.domain.jurisdictions.base import (
    BenefitEstimate,
    BenefitInputError,
    Jurisdiction,
    dollars,
    require_money,
    require_rating,
)

# 440.15(3) (docs/domain.md §4): (last point of the tier, weeks for each point in it); the
# last tier, 6 weeks a point, runs from 21 to 100 %.
WEEKS_PER_POINT_TIERS: tuple[tuple[int, int], ...] = ((10, 2), (15, 3), (20, 4), (100, 6))

# 440.15(2)(a): the temporary total rate is 66⅔ % of the average weekly wage, kept as the
# exact fraction 2/3 (Decimal cannot hold 0.666… exactly).
TEMPORARY_TOTAL_NUMERATOR = 2
TEMPORARY_TOTAL_DENOMINATOR = 3
# 440.12(2): the maximum compensation rate is 100 % of the statewide average weekly wage
# determined for injuries in the calendar year, adjusted to the nearest dollar.
MAXIMUM_SHARE_OF_STATE_WAGE = Decimal(1)
# 440.12(2): compensation is at least $20 a week, or the full weekly wage when it is less.
MINIMUM_COMPENSATION_RATE = Decimal("20.00")
# 440.15(3) (docs/domain.md §4): impairment benefits are 75 % of the temporary total rate.
IMPAIRMENT_SHARE_OF_TEMPORARY_TOTAL = Decimal("0.75")
# 440.15(3)(c): impairment benefits are halved for any week the worker earns at least the
# pre-injury average weekly wage.
EARNING_WEEK_SHARE = Decimal("0.5")

_DOLLAR = Decimal(1)
_CENT = Decimal("0.01")

# Florida's statewide average weekly wage by calendar year of injury (1 January – 31
# December), for seeding the reference table the app keeps in the database; the Division
# publishes it as the maximum weekly compensation rate, which is 100 % of it (440.12(2)).
# (calendar year, amount, source). Only figures with a published source; add a year by
# adding a row with its source, and a data migration that repeats it.
FLORIDA_STATE_AVERAGE_WEEKLY_WAGES: tuple[tuple[int, Decimal, str], ...] = (
    (
        2025,
        Decimal("1295.00"),
        "Florida Division of Workers' Compensation: maximum weekly compensation rate for "
        "dates of accident 1 Jan – 31 Dec 2025, $1,295 (100 % of the statewide average "
        "weekly wage, Florida Statutes 440.12(2))",
    ),
)


def calendar_year_dates(year: int) -> tuple[date, date]:
    """The first and last day of injury a Florida yearly figure covers: 2025 → (2025-01-01,
    2025-12-31). The maximum compensation rate applies to injuries in a calendar year
    (440.12(2))."""
    return date(year, 1, 1), date(year, 12, 31)


@dataclass(frozen=True, kw_only=True)
class ImpairmentBenefits(BenefitEstimate):
    """A Florida impairment benefit estimate, with the temporary total rate it rests on, the
    limits that rate was held within, and the weekly rate in weeks it is halved."""

    wage_share_rate: Decimal
    maximum_compensation_rate: Decimal
    minimum_compensation_rate: Decimal
    temporary_total_rate: Decimal
    halved_weekly_rate: Decimal


def impairment_weeks(rating: int) -> tuple[int, tuple[str, ...]]:
    """Weeks of impairment benefits for ``rating`` and the tier-by-tier working (440.15(3)).

    2 weeks for each of points 1–10, 3 for 11–15, 4 for 16–20, 6 for 21 and up:
    16 % → 10 × 2 + 5 × 3 + 1 × 4 = 39 weeks.
    """
    rating = require_rating(rating)
    weeks = 0
    steps: list[str] = []
    first = 1
    for last, per_point in WEEKS_PER_POINT_TIERS:
        end = min(rating, last)
        points = end - first + 1
        if points <= 0:
            break
        weeks += points * per_point
        tier = f"Point {first}" if points == 1 else f"Points {first}–{end}"
        steps.append(f"{tier}: {points} × {per_point} weeks = {points * per_point} weeks.")
        first = last + 1
    steps.append(f"Weeks for {rating} %: {weeks}.")
    return weeks, tuple(steps)


class Florida(Jurisdiction):
    """Florida Statutes chapter 440, as summarised in docs/domain.md.

    No statutory MMI date is computed: Florida defines MMI clinically (440.02) and the domain
    reference records no date on which Florida law deems it reached, so ``statutory_mmi``
    keeps the generic answer, None.
    """

    mmi_term = "maximum medical improvement"
    # 440.15(3)(b): Florida rates with its own 1996 Uniform Permanent Impairment Rating
    # Schedule, not the AMA Guides; a psychiatric impairment is rated at most 1 %.
    accepted_guides_editions = ("fl1996",)
    psychiatric_rating_cap = 1
    # 440.12(2): the maximum compensation rate is 100 % of the statewide average weekly wage
    # for the calendar year of injury.
    needs_state_average_weekly_wage = True

    def __init__(self) -> None:
        super().__init__(code="FL", name="Florida")

    def impairment_benefits(
        self,
        *,
        rating: int,
        average_weekly_wage: Decimal,
        state_average_weekly_wage: Decimal | None,
    ) -> ImpairmentBenefits:
        """Estimate impairment benefits (440.15(3), 440.12(2); docs/domain.md §4).

        Weeks by tier (see ``impairment_weeks``); weekly rate 75 % of the temporary total
        rate, which is 66⅔ % of the average weekly wage held between the minimum ($20, or the
        full wage when it is less) and the maximum compensation rate (100 % of the state
        average weekly wage in force for the year of injury, to the nearest dollar). Money
        figures are rounded to the cent, halves up; the maximum to the dollar, halves up.
        Example: state AWW $1,295, AWW $3,000, rating 10 % → temporary total rate $1,295
        (capped) → $971.25 a week × 20 weeks = $19,425.00; $485.63 a week in any week the
        worker earns at least $3,000 (440.15(3)(c)).
        """
        weeks, week_steps = impairment_weeks(rating)
        wage = require_money(average_weekly_wage, "The worker's average weekly wage")
        if state_average_weekly_wage is None:
            raise BenefitInputError(
                "Florida impairment benefits need the state average weekly wage in force for "
                "the year of injury: it sets the maximum compensation rate (440.12(2))."
            )
        state_wage = require_money(state_average_weekly_wage, "The state average weekly wage")

        # Money rounds to the cent, halves up. wage × 2 / 3 is a whole number of cents
        # plus 0, ⅓ or ⅔ of a cent, never exactly half, so the 28-digit Decimal quotient
        # rounds the same way as the exact fraction.
        exact_share = wage * TEMPORARY_TOTAL_NUMERATOR / TEMPORARY_TOTAL_DENOMINATOR
        share = exact_share.quantize(_CENT, rounding=ROUND_HALF_UP)
        # 440.12(2): "adjusted to the nearest dollar".
        exact_maximum = state_wage * MAXIMUM_SHARE_OF_STATE_WAGE
        maximum = exact_maximum.quantize(_DOLLAR, rounding=ROUND_HALF_UP).quantize(_CENT)
        # 440.12(2): at least $20 a week, but never more than the worker's full weekly wage.
        minimum = min(MINIMUM_COMPENSATION_RATE, wage).quantize(_CENT)
        temporary_total = min(max(share, minimum), maximum)
        exact_rate = temporary_total * IMPAIRMENT_SHARE_OF_TEMPORARY_TOTAL
        weekly_rate = exact_rate.quantize(_CENT, rounding=ROUND_HALF_UP)
        total = (weekly_rate * weeks).quantize(_CENT)
        exact_halved = weekly_rate * EARNING_WEEK_SHARE
        halved = exact_halved.quantize(_CENT, rounding=ROUND_HALF_UP)

        if share > maximum:
            held = (
                f"{dollars(share)} is above the maximum compensation rate, so the temporary "
                "total rate is the maximum"
            )
        elif share < minimum:
            held = (
                f"{dollars(share)} is below the minimum, so the temporary total rate is the minimum"
            )
        else:
            held = (
                f"{dollars(share)} is within the minimum and the maximum compensation rate, so "
                "it is the temporary total rate"
            )
        if minimum < MINIMUM_COMPENSATION_RATE:
            minimum_step = (
                f"Minimum: {dollars(MINIMUM_COMPENSATION_RATE)} a week, but a weekly wage under "
                f"that is paid in full: {dollars(minimum)} (440.12(2))."
            )
        else:
            minimum_step = f"Minimum: {dollars(minimum)} a week (440.12(2))."
        return ImpairmentBenefits(
            benefit="Impairment income benefits",
            rating=rating,
            average_weekly_wage=wage,
            state_average_weekly_wage=state_wage,
            weeks=weeks,
            weekly_rate=weekly_rate,
            total=total,
            wage_share_rate=share,
            maximum_compensation_rate=maximum,
            minimum_compensation_rate=minimum,
            temporary_total_rate=temporary_total,
            halved_weekly_rate=halved,
            steps=(
                *week_steps,
                f"66⅔ % (2/3) of the average weekly wage {dollars(wage)} = {dollars(share)} "
                "to the cent (440.15(2)(a)).",
                f"Maximum compensation rate for the year of injury: 100 % of the state average "
                f"weekly wage {dollars(state_wage)}, to the nearest dollar, = {dollars(maximum)} "
                "(440.12(2)).",
                minimum_step,
                f"{held}: {dollars(temporary_total)} a week.",
                f"Weekly rate: 75 % of {dollars(temporary_total)} = {dollars(exact_rate)}, "
                f"to the cent {dollars(weekly_rate)} (440.15(3)).",
                f"Total: {weeks} weeks × {dollars(weekly_rate)} = {dollars(total)}.",
                f"Halved in any week the worker earns at least the pre-injury average weekly "
                f"wage {dollars(wage)}: 50 % of {dollars(weekly_rate)} = {dollars(exact_halved)}, "
                f"to the cent {dollars(halved)} a week in such weeks (440.15(3)(c)). The total "
                "above assumes no such week.",
            ),
        )
