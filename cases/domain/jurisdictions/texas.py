"""Texas: statutory MMI, the 90-day dispute window, impairment and supplemental benefits.

Source: DOMAIN.md §1 (Labor Code 401.011(30), 28 TAC 130.1, 28 TAC 124.7, §408.082),
§2 and §8 (§408.123(e)), §3 (4th edition Guides) and §4 (§§408.121, 408.126, 408.061,
408.062; supplemental income benefits).

Standard library only: this module must never import Django (STYLE.md habit 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from cases.domain.jurisdictions.base import (
    BenefitEstimate,
    BenefitInputError,
    Jurisdiction,
    StatutoryMMI,
    dollars,
    require_date,
    require_money,
    require_rating,
)

# 28 TAC 124.7; Labor Code §408.082: temporary income benefits (TIBs) accrue on the 8th day
# of disability, i.e. 7 days after the day disability began (DOMAIN §1).
TIB_ACCRUAL_AFTER_DISABILITY = timedelta(days=7)

# DOMAIN §1 (Labor Code 401.011(30)): statutory MMI is the end of the 104th week after TIBs
# begin to accrue. We date the end of the 104th week as accrual date + 727 days (week 1 is
# the accrual day and the six after it). Keep the offset in one place: here.
STATUTORY_MMI_AFTER_ACCRUAL = timedelta(days=727)

# §408.123(e): the first valid certification becomes final unless disputed within 90 days
# of notice (DOMAIN §2, §8).
DISPUTE_WINDOW = timedelta(days=90)

# §408.121: impairment income benefits are paid for 3 weeks per percentage point (DOMAIN §4).
IIB_WEEKS_PER_POINT = 3
# §408.126: IIBs are 70 % of the worker's average weekly wage.
IIB_SHARE_OF_WAGE = Decimal("0.70")
# §408.061(b): the weekly IIB may not exceed 70 % of the state average weekly wage.
IIB_MAXIMUM_SHARE_OF_STATE_WAGE = Decimal("0.70")
# §408.062: the minimum weekly income benefit is 15 % of the state average weekly wage.
MINIMUM_SHARE_OF_STATE_WAGE = Decimal("0.15")
# DOMAIN §4: supplemental income benefits need a rating of at least 15 %.
SIB_MINIMUM_RATING = 15

_DOLLAR = Decimal(1)
_CENT = Decimal("0.01")

# The workers' compensation state average weekly wage by Texas fiscal year (the year of
# injuries from 1 October to 30 September), for seeding the reference table the app keeps
# in the database. (fiscal year, amount, source). Only figures with a published source;
# add a year by adding a row with its source.
TEXAS_STATE_AVERAGE_WEEKLY_WAGES: tuple[tuple[int, Decimal, str], ...] = (
    (
        2007,
        Decimal("673.80"),
        "Texas DWC, reported by Claims Journal, 26 Sep 2006: 'Texas Reports Workers' Comp "
        "State Average Weekly Wage for FY 2007' (dates of injury 1 Oct 2006 – 30 Sep 2007)",
    ),
    (
        2011,
        Decimal("766.34"),
        "Texas DWC, reported by Insurance Journal, 21 Sep 2010 "
        "(insurancejournal.com/news/southcentral/2010/09/21/113402.htm; dates of injury "
        "1 Oct 2010 – 30 Sep 2011)",
    ),
    (
        2018,
        Decimal("913.37"),
        "TDI news release, 25 Sep 2017: 'Workers' Compensation Weekly Benefit Rates Set for "
        "October 1, 2017, Through September 30, 2018' (tdi.texas.gov/news/2017/"
        "dwc09252017a.html); DOMAIN.md §4",
    ),
    (
        2025,
        Decimal("1218.62"),
        "TDI figures reported by Texas Mutual, 23 Oct 2024: 'TDI announces updated average "
        "weekly wage amounts' (texasmutual.com/blog/posts/2024/10/tdi-update-average-weekly-"
        "wage; dates of injury 1 Oct 2024 – 30 Sep 2025; IIB maximum $853, minimum $183)",
    ),
    (
        2026,
        Decimal("1271.05"),
        "DWC figures reported by Texas Mutual, 8 Oct 2025: 'DWC updates average weekly wage, "
        "effective October 1' (texasmutual.com/blog/posts/2025/10/dwc-update-2026-average-"
        "weekly-wage; dates of injury 1 Oct 2025 – 30 Sep 2026; IIB maximum $890, minimum $191)",
    ),
)


def fiscal_year(day: date) -> int:
    """The Texas fiscal year of ``day``: it runs 1 October – 30 September and is named by
    the year it ends in (FY2018 = 2017-10-01 .. 2018-09-30).

    The state average weekly wage in force on the date of injury sets the benefit caps
    (§408.061(g), DOMAIN §4).
    """
    require_date(day, "The date")
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_year_dates(year: int) -> tuple[date, date]:
    """The first and last day of Texas fiscal year ``year``: FY2018 → (2017-10-01, 2018-09-30)."""
    return date(year - 1, 10, 1), date(year, 9, 30)


@dataclass(frozen=True, kw_only=True)
class ImpairmentIncomeBenefits(BenefitEstimate):
    """A Texas IIB estimate, with the worker's own rate and the caps it was held within."""

    wage_share_rate: Decimal
    maximum_weekly_rate: Decimal
    minimum_weekly_rate: Decimal


class Texas(Jurisdiction):
    """Texas Labor Code Title 5 and 28 TAC, as summarised in DOMAIN.md."""

    mmi_term = "MMI"
    report_form = "DWC069"
    # DOMAIN §3: Texas rates with the AMA Guides 4th edition.
    default_guides_edition = 4
    # §408.061: the IIB maximum and minimum are shares of the state average weekly wage.
    needs_state_average_weekly_wage = True

    def __init__(self) -> None:
        super().__init__(code="TX", name="Texas")

    def statutory_mmi(self, disability_began: date) -> StatutoryMMI:
        """Statutory MMI: the end of the 104th week after TIBs begin to accrue (DOMAIN §1).

        Example: disability began 2024-03-02 → TIBs accrue 2024-03-09 → statutory MMI
        2026-03-06. It may be extended once for spinal surgery (§408.104, 28 TAC 126.11);
        that extension is not computed here.
        """
        require_date(disability_began, "The date disability began")
        accrual = disability_began + TIB_ACCRUAL_AFTER_DISABILITY
        mmi_date = accrual + STATUTORY_MMI_AFTER_ACCRUAL
        return StatutoryMMI(
            disability_began=disability_began,
            accrual_date=accrual,
            mmi_date=mmi_date,
            steps=(
                f"Disability began {disability_began.isoformat()}.",
                f"Temporary income benefits accrue on the 8th day of disability: "
                f"{accrual.isoformat()} (28 TAC 124.7, Labor Code §408.082).",
                f"Statutory MMI is the end of the 104th week after accrual: "
                f"{accrual.isoformat()} + {STATUTORY_MMI_AFTER_ACCRUAL.days} days = "
                f"{mmi_date.isoformat()} (Labor Code 401.011(30)).",
                "A spinal surgery extension (§408.104) would move this date; it is not included.",
            ),
        )

    def dispute_deadline(self, notice_date: date) -> date:
        """Last day to dispute the first valid certification: notice + 90 days (§408.123(e))."""
        require_date(notice_date, "The notice date")
        return notice_date + DISPUTE_WINDOW

    def impairment_benefits(
        self,
        *,
        rating: int,
        average_weekly_wage: Decimal,
        state_average_weekly_wage: Decimal | None,
    ) -> ImpairmentIncomeBenefits:
        """Estimate impairment income benefits (IIBs; DOMAIN §4, §§408.121, 408.126).

        3 weeks per 1 % at 70 % of the worker's average weekly wage, held between 15 % and
        70 % of the state average weekly wage in force on the date of injury. The maximum
        and minimum are rounded to the dollar (§§408.061, 408.062); the worker's 70 % to the
        cent; both halves up. Example: state AWW $913.37 → maximum $639; worker AWW
        $1,000, rating 12 % → 36 weeks × $639 = $23,004.00.
        """
        rating = require_rating(rating)
        wage = require_money(average_weekly_wage, "The worker's average weekly wage")
        if state_average_weekly_wage is None:
            raise BenefitInputError(
                "Texas impairment income benefits need the state average weekly wage in "
                "force on the date of injury."
            )
        state_wage = require_money(state_average_weekly_wage, "The state average weekly wage")

        weeks = rating * IIB_WEEKS_PER_POINT
        exact_share = wage * IIB_SHARE_OF_WAGE
        share = exact_share.quantize(_CENT, rounding=ROUND_HALF_UP)
        exact_maximum = state_wage * IIB_MAXIMUM_SHARE_OF_STATE_WAGE
        maximum = exact_maximum.quantize(_DOLLAR, rounding=ROUND_HALF_UP)
        exact_minimum = state_wage * MINIMUM_SHARE_OF_STATE_WAGE
        minimum = exact_minimum.quantize(_DOLLAR, rounding=ROUND_HALF_UP)
        weekly_rate = min(max(share, minimum), maximum).quantize(_CENT)
        total = (weekly_rate * weeks).quantize(_CENT)

        if share > maximum:
            held = f"{dollars(share)} is above the maximum, so the weekly rate is the maximum"
        elif share < minimum:
            held = f"{dollars(share)} is below the minimum, so the weekly rate is the minimum"
        else:
            held = f"{dollars(share)} is within the minimum and maximum"
        return ImpairmentIncomeBenefits(
            benefit="Impairment income benefits (IIBs)",
            rating=rating,
            average_weekly_wage=wage,
            state_average_weekly_wage=state_wage,
            weeks=weeks,
            weekly_rate=weekly_rate,
            total=total,
            wage_share_rate=share,
            maximum_weekly_rate=maximum,
            minimum_weekly_rate=minimum,
            steps=(
                f"Weeks: {rating} % × {IIB_WEEKS_PER_POINT} weeks per 1 % = {weeks} weeks "
                "(§408.121).",
                f"70 % of the worker's average weekly wage {dollars(wage)} = "
                f"{dollars(exact_share)}, to the cent {dollars(share)} (§408.126).",
                f"Maximum: 70 % of the state average weekly wage {dollars(state_wage)} = "
                f"{dollars(exact_maximum)}, rounded to the dollar {dollars(maximum)} "
                "(§408.061(b)).",
                f"Minimum: 15 % of the state average weekly wage {dollars(state_wage)} = "
                f"{dollars(exact_minimum)}, rounded to the dollar {dollars(minimum)} "
                "(§408.062).",
                f"{held}: {dollars(weekly_rate)} a week.",
                f"Total: {weeks} weeks × {dollars(weekly_rate)} = {dollars(total)}.",
            ),
        )

    def supplemental_benefits_eligible(self, rating: int) -> bool:
        """Whether the rating meets the 15 % threshold for supplemental income benefits.

        Other conditions apply (DOMAIN §4 gives only this one); this answers the rating test.
        """
        return require_rating(rating) >= SIB_MINIMUM_RATING
