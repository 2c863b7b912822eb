"""Texas: statutory MMI, the 90-day dispute window, impairment and supplemental benefits.

Source: docs/domain.md §1 (Labor Code 401.011(30), 28 TAC 130.1, 28 TAC 124.7, §408.082),
§2 and §8 (§408.123(e)), §3 (4th edition Guides) and §4 (§§408.121, 408.126, 408.061,
408.062; supplemental income benefits).

Standard library only: this module must never import Django (docs/architecture.md §1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from cases.domain.dates import day_label as _day
from cases.domain.disability import DisabilityPeriod, nth_day_of_disability
from cases.domain.jurisdictions.base import (
    BenefitEstimate,
    BenefitInputError,
    DisputeDeadline,
    HelpLine,
    Jurisdiction,
    SpinalSurgeryExtension,
    StatutoryMMI,
    dollars,
    exact_amount,
    require_date,
    require_money,
    require_rating,
)
from cases.domain.jurisdictions.texas_calendar import (
    next_working_day,
    non_working_reason,
    working_days_after,
)

# 28 TAC 124.7(a); Labor Code §408.082: temporary income benefits (TIBs) accrue on the 8th
# day of disability, the days of every period of disability counted (docs/domain.md §1).
TIB_ACCRUAL_DAY_OF_DISABILITY = 8

# Labor Code 401.011(30): statutory MMI is "the expiration of the 104th week from the date on
# which income benefits begin to accrue"; the worker reaches it on the day after the 104
# weeks expire (DWC Advisory 93-01; Appeals Panel Decision 950311: accrual 16 Sep 1991 →
# statutory MMI 13 Sep 1993), i.e. accrual date + 728 days. The offset lives here only.
STATUTORY_MMI_AFTER_ACCRUAL = timedelta(days=728)

# §408.123(e), 28 TAC 130.12(b): the first valid certification becomes final unless a party
# disputes it within 90 days after that party received it (docs/domain.md §2, §8).
DISPUTE_WINDOW = timedelta(days=90)

# 28 TAC 130.1(d)(2): the certification is due by the 7th working day after the later of the
# exam and the receipt of all the medical records needed for it.
CERTIFICATION_DUE_WORKING_DAYS = 7

# §408.121: impairment income benefits are paid for 3 weeks per percentage point
# (docs/domain.md §4).
IIB_WEEKS_PER_POINT = 3
# §408.126: IIBs are 70 % of the worker's average weekly wage.
IIB_SHARE_OF_WAGE = Decimal("0.70")
# §408.061(b): the weekly IIB may not exceed 70 % of the state average weekly wage.
IIB_MAXIMUM_SHARE_OF_STATE_WAGE = Decimal("0.70")
# §408.062: the minimum weekly income benefit is 15 % of the state average weekly wage.
MINIMUM_SHARE_OF_STATE_WAGE = Decimal("0.15")
# docs/domain.md §4: supplemental income benefits need a rating of at least 15 %.
SIB_MINIMUM_RATING = 15

_DOLLAR = Decimal(1)

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
        "dwc09252017a.html)",
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
    (§408.061(g), docs/domain.md §4).
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
    """Texas Labor Code Title 5 and 28 TAC, as summarised in docs/domain.md."""

    mmi_term = "MMI"
    report_form = "DWC069"
    # §408.124, 28 TAC 130.1(c): the AMA Guides 4th edition, or the 3rd edition (second
    # printing, 1989) for the injuries the rule leaves to it; the DWC069 offers both.
    accepted_guides_editions = ("4th", "3rd")
    # §408.061: the IIB maximum and minimum are shares of the state average weekly wage.
    needs_state_average_weekly_wage = True
    # The number the Division's own DWC073 gives injured employees ("For further information
    # call DWC at 800-252-7031"), docs/domain.md §9.
    help_line = HelpLine(
        agency="Texas Department of Insurance, Division of Workers' Compensation",
        phone="800-252-7031",
    )

    def __init__(self) -> None:
        super().__init__(code="TX", name="Texas")

    def statutory_mmi(
        self,
        periods: Sequence[DisabilityPeriod],
        *,
        extension: SpinalSurgeryExtension | None = None,
    ) -> StatutoryMMI | None:
        """Statutory MMI: the day after the 104th week from TIB accrual (docs/domain.md §1).

        TIBs accrue on the 8th day of disability, counting every period's days (28 TAC
        124.7(a)); statutory MMI is accrual + 728 days (401.011(30), DWC Advisory 93-01). A
        Division order for spinal surgery (§408.104, 28 TAC 126.11) sets a later date, which
        is then the date in force. None while fewer than 8 days of disability are recorded.
        Example: disability from 2024-03-02 → accrual 2024-03-09 → statutory MMI 2026-03-07.
        """
        for period in periods:
            require_date(period.began, "The first day of a period of disability")
        accrual = nth_day_of_disability(periods, TIB_ACCRUAL_DAY_OF_DISABILITY)
        if accrual is None:
            return None
        began = min(period.began for period in periods)
        computed = accrual + STATUTORY_MMI_AFTER_ACCRUAL
        steps = [
            f"Disability began {_day(began)}"
            + (
                f"; {len(periods)} periods of disability are recorded, their days counted together."
                if len(periods) > 1
                else "."
            ),
            f"Temporary income benefits accrue on the 8th day of disability: {_day(accrual)} "
            "(28 TAC 124.7(a), Labor Code §408.082).",
            f"Statutory MMI is the day after the 104th week from accrual: {_day(accrual)} + "
            f"{STATUTORY_MMI_AFTER_ACCRUAL.days} days = {_day(computed)} (Labor Code "
            "401.011(30), DWC Advisory 93-01).",
        ]
        mmi_date = computed
        if extension is not None:
            require_date(extension.extended_to, "The extended statutory MMI date")
            mmi_date = max(computed, extension.extended_to)
            steps.append(
                f"The Division's order of {_day(extension.ordered_on)} for spinal surgery "
                f"extends statutory MMI to {_day(extension.extended_to)} (Labor Code §408.104): "
                f"statutory MMI is {_day(mmi_date)}."
            )
        return StatutoryMMI(
            disability_began=began,
            accrual_date=accrual,
            computed_date=computed,
            extension=extension,
            mmi_date=mmi_date,
            steps=tuple(steps),
        )

    def dispute_deadline(self, notice_date: date) -> DisputeDeadline:
        """The 90th day after a party received the first valid certification (§408.123(e),
        28 TAC 130.12(b)).

        When that day is not a working day, 28 TAC 102.3(a)(3) would move the period to the
        next working day while 130.12(b) says the 90 days may not be extended: the next
        working day is given beside it, as a warning, never in its place.
        """
        require_date(notice_date, "The notice date")
        last_day = notice_date + DISPUTE_WINDOW
        reason = non_working_reason(last_day)
        if reason is None:
            return DisputeDeadline(notice_date=notice_date, last_day=last_day)
        return DisputeDeadline(
            notice_date=notice_date,
            last_day=last_day,
            next_working_day=next_working_day(last_day),
            non_working_reason=reason,
        )

    def certification_due(self, exam_date: date, records_received: date | None) -> date:
        """The DWC069 due date: the 7th working day after the later of the exam and the
        receipt of all medical records needed (28 TAC 130.1(d)(2), working days as 28 TAC
        102.3 defines them)."""
        require_date(exam_date, "The exam date")
        start = max(exam_date, records_received) if records_received else exam_date
        return working_days_after(start, CERTIFICATION_DUE_WORKING_DAYS)

    def impairment_benefits(
        self,
        *,
        rating: int,
        average_weekly_wage: Decimal,
        state_average_weekly_wage: Decimal | None,
    ) -> ImpairmentIncomeBenefits:
        """Estimate impairment income benefits (IIBs; docs/domain.md §4, §§408.121, 408.126).

        3 weeks per 1 % at 70 % of the worker's average weekly wage, held between 15 % and
        70 % of the state average weekly wage in force on the date of injury. Only the maximum
        and the minimum are rounded, to the dollar, halves up, as the statute rounds them
        (§§408.061, 408.062); the worker's 70 % and the total are exact (docs/domain.md §4).
        Examples: state AWW $913.37 → maximum $639, minimum $137; worker AWW $1,000, rating
        12 % → 36 weeks × $639 = $23,004.00; worker AWW $700.35, rating 10 % → 70 % =
        $490.245, 30 weeks × $490.245 = $14,707.35.
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
        # §408.126: the worker's 70 % is not rounded; only the limits are (below).
        share = exact_amount(wage * IIB_SHARE_OF_WAGE)
        exact_maximum = state_wage * IIB_MAXIMUM_SHARE_OF_STATE_WAGE
        maximum = exact_maximum.quantize(_DOLLAR, rounding=ROUND_HALF_UP)
        exact_minimum = state_wage * MINIMUM_SHARE_OF_STATE_WAGE
        minimum = exact_minimum.quantize(_DOLLAR, rounding=ROUND_HALF_UP)
        weekly_rate = exact_amount(min(max(share, minimum), maximum))
        total = exact_amount(weekly_rate * weeks)

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
                f"{dollars(share)} (§408.126).",
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

        Other conditions apply (docs/domain.md §4 gives only this one); this answers the
        rating test.
        """
        return require_rating(rating) >= SIB_MINIMUM_RATING
