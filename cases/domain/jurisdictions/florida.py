"""Florida: impairment benefits by tiers of weeks per point.

Source: DOMAIN.md §1 (Florida Statutes 440.02: "maximum medical improvement") and §4
(440.15(3): weeks per point by tier, paid at 75 % of the temporary total rate, which is
66⅔ % of the average weekly wage).

Standard library only: this module must never import Django (STYLE.md habit 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cases.domain.jurisdictions.base import (
    BenefitEstimate,
    Jurisdiction,
    dollars,
    require_money,
    require_rating,
)

# 440.15(3) (DOMAIN §4): (last point of the tier, weeks for each point in it); the last
# tier, 6 weeks a point, runs from 21 to 100 %.
WEEKS_PER_POINT_TIERS: tuple[tuple[int, int], ...] = ((10, 2), (15, 3), (20, 4), (100, 6))

# DOMAIN §4: the temporary total rate is 66⅔ % of the average weekly wage, kept as the exact
# fraction 2/3 (Decimal cannot hold 0.666… exactly).
TEMPORARY_TOTAL_NUMERATOR = 2
TEMPORARY_TOTAL_DENOMINATOR = 3
# 440.15(3) (DOMAIN §4): impairment benefits are 75 % of the temporary total rate.
IMPAIRMENT_SHARE_OF_TEMPORARY_TOTAL = Decimal("0.75")

_CENT = Decimal("0.01")


@dataclass(frozen=True, kw_only=True)
class ImpairmentBenefits(BenefitEstimate):
    """A Florida impairment benefit estimate, with the temporary total rate it rests on."""

    temporary_total_rate: Decimal


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
    """Florida Statutes chapter 440, as summarised in DOMAIN.md.

    No statutory MMI date is computed: Florida defines MMI clinically (440.02) and DOMAIN.md
    records no date on which Florida law deems it reached, so ``statutory_mmi`` keeps the
    generic answer, None.
    """

    mmi_term = "maximum medical improvement"

    def __init__(self) -> None:
        super().__init__(code="FL", name="Florida")

    def impairment_benefits(
        self,
        *,
        rating: int,
        average_weekly_wage: Decimal,
        state_average_weekly_wage: Decimal | None,
    ) -> ImpairmentBenefits:
        """Estimate impairment benefits (440.15(3), DOMAIN §4).

        Weeks by tier (see ``impairment_weeks``); weekly rate 75 % of the temporary total
        rate, itself 66⅔ % of the average weekly wage. Each money figure is rounded to the
        cent, halves up. ``state_average_weekly_wage`` is not used (the estimate records
        None): DOMAIN.md records no Florida cap, so none is applied.
        """
        weeks, week_steps = impairment_weeks(rating)
        wage = require_money(average_weekly_wage, "The worker's average weekly wage")
        # Money rounds to the cent, halves up. wage × 2 / 3 is a whole number of cents
        # plus 0, ⅓ or ⅔ of a cent, never exactly half, so the 28-digit Decimal quotient
        # rounds the same way as the exact fraction.
        exact_temporary_total = wage * TEMPORARY_TOTAL_NUMERATOR / TEMPORARY_TOTAL_DENOMINATOR
        temporary_total = exact_temporary_total.quantize(_CENT, rounding=ROUND_HALF_UP)
        exact_rate = temporary_total * IMPAIRMENT_SHARE_OF_TEMPORARY_TOTAL
        weekly_rate = exact_rate.quantize(_CENT, rounding=ROUND_HALF_UP)
        total = (weekly_rate * weeks).quantize(_CENT)
        return ImpairmentBenefits(
            benefit="Impairment income benefits",
            rating=rating,
            average_weekly_wage=wage,
            state_average_weekly_wage=None,
            weeks=weeks,
            weekly_rate=weekly_rate,
            total=total,
            temporary_total_rate=temporary_total,
            steps=(
                *week_steps,
                f"Temporary total rate: 66⅔ % (2/3) of the average weekly wage "
                f"{dollars(wage)} = {dollars(temporary_total)} to the cent.",
                f"Weekly rate: 75 % of {dollars(temporary_total)} = {dollars(exact_rate)}, "
                f"to the cent {dollars(weekly_rate)} (440.15(3)).",
                f"Total: {weeks} weeks × {dollars(weekly_rate)} = {dollars(total)}.",
            ),
        )
