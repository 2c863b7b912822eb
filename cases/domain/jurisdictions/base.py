"""What every jurisdiction answers, with the generic (AMA Guides) answers as defaults.

Source: docs/domain.md §1 (each jurisdiction's own word for MMI, its report form, statutory MMI),
§3 (the Guides edition), §4 (impairment benefit estimates) and §8 (deadlines). A state with
rules of its own subclasses ``Jurisdiction`` and overrides only what differs.

Standard library only: this module must never import Django (docs/architecture.md §1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ..disability import DisabilityPeriod

# The rating guides a certification may name, as stored and as printed. Texas accepts the
# 3rd edition only in its second printing of 1989 (the DWC069's own wording); Florida rates
# with its own schedule (440.15(3)(b)).
GUIDES_EDITIONS: dict[str, str] = {
    "3rd": "AMA Guides, 3rd edition (second printing, 1989)",
    "4th": "AMA Guides, 4th edition",
    "5th": "AMA Guides, 5th edition",
    "6th": "AMA Guides, 6th edition",
    "fl1996": "Florida Uniform Permanent Impairment Rating Schedule (1996)",
}


class UnknownJurisdiction(ValueError):
    """The code is not a US state, DC or territory code."""


class NoImpairmentBenefits(Exception):
    """The jurisdiction has no impairment benefit rule in MMI Tracker."""


class BenefitInputError(ValueError):
    """An input to a jurisdiction rule is missing or impossible; the message names it."""


@dataclass(frozen=True)
class SpinalSurgeryExtension:
    """The Division's order extending statutory MMI for spinal surgery (Texas §408.104)."""

    ordered_on: date
    extended_to: date


@dataclass(frozen=True, kw_only=True)
class StatutoryMMI:
    """The date on which the law deems MMI reached, with how it was worked out.

    ``mmi_date`` is the date in force: the later of ``computed_date`` and an extension
    order's date, where there is one.
    """

    disability_began: date
    accrual_date: date
    computed_date: date
    extension: SpinalSurgeryExtension | None
    mmi_date: date
    steps: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class DisputeDeadline:
    """The last day to dispute a certification, and what a reader must be warned of.

    ``next_working_day`` is set when the last day is not a working day: a rule of the
    jurisdiction would move the period to that day while another says the window may not be
    extended, so both are shown and neither is chosen silently.
    """

    notice_date: date
    last_day: date
    next_working_day: date | None = None
    non_working_reason: str = ""


@dataclass(frozen=True, kw_only=True)
class BenefitEstimate:
    """An impairment benefit estimate for an adjuster (an estimate, never advice;
    docs/domain.md §4).

    Money is exact Decimal dollars with at least the cents, and more decimals where the law
    rounds nothing (Texas's 70 % of $700.35 is $490.245). ``steps`` says in plain words how
    each figure was reached. Jurisdictions add their own figures (caps, minimums) in
    subclasses.
    """

    benefit: str
    rating: int
    average_weekly_wage: Decimal
    state_average_weekly_wage: Decimal | None
    weeks: int
    weekly_rate: Decimal
    total: Decimal
    steps: tuple[str, ...]


@dataclass(frozen=True)
class HelpLine:
    """Where an injured worker calls the state's workers' compensation agency with questions
    about their rights (docs/domain.md §9)."""

    agency: str
    phone: str


class Jurisdiction:
    """Rules of a jurisdiction MMI Tracker knows nothing special about: the AMA terms.

    Subclasses set the class attributes that differ and override the methods for the rules
    their law has. The generic answers are "no such rule" (None) or NoImpairmentBenefits.
    """

    mmi_term: str = "maximum medical improvement (MMI)"
    report_form: str = "Report of maximum medical improvement and impairment rating"
    # The rating guides a certification may use here, first the usual one (docs/domain.md
    # §3: many states rate with the AMA Guides 6th edition).
    accepted_guides_editions: tuple[str, ...] = ("6th", "5th", "4th", "3rd")
    # The highest whole person rating a psychiatric impairment may have; None: no cap.
    psychiatric_rating_cap: int | None = None
    # Whether impairment_benefits needs the state average weekly wage in force on the date
    # of injury, so callers know to look it up.
    needs_state_average_weekly_wage: bool = False
    # The agency's line for injured workers; None: MMI Tracker knows none.
    help_line: HelpLine | None = None

    def __init__(self, code: str, name: str) -> None:
        self.code = code
        self.name = name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"

    @property
    def default_guides_edition(self) -> str:
        """The edition a new certification starts with."""
        return self.accepted_guides_editions[0]

    def statutory_mmi(
        self,
        periods: Sequence[DisabilityPeriod],
        *,
        extension: SpinalSurgeryExtension | None = None,
    ) -> StatutoryMMI | None:
        """The statutory MMI date for the worker's periods of disability.

        None: no statutory MMI rule is recorded for this jurisdiction, so MMI is clinical
        only (or, where there is a rule, income benefits have not begun to accrue).
        """
        for period in periods:
            require_date(period.began, "The first day of a period of disability")
        return None

    def dispute_deadline(self, notice_date: date) -> DisputeDeadline | None:
        """The last day to dispute a first certification a party received on ``notice_date``.

        None: no dispute window is recorded for this jurisdiction.
        """
        require_date(notice_date, "The notice date")
        return None

    def certification_due(self, exam_date: date, records_received: date | None) -> date | None:
        """The day the certification is due after the exam, or None where no rule is recorded."""
        require_date(exam_date, "The exam date")
        return None

    def impairment_benefits(
        self,
        *,
        rating: int,
        average_weekly_wage: Decimal,
        state_average_weekly_wage: Decimal | None,
    ) -> BenefitEstimate:
        """Estimate the impairment benefits a whole person ``rating`` is worth.

        Raises NoImpairmentBenefits here: this jurisdiction has no rule in MMI Tracker.
        """
        require_rating(rating)
        raise NoImpairmentBenefits(f"{self.name} has no impairment benefit rule in MMI Tracker.")

    def supplemental_benefits_eligible(self, rating: int) -> bool | None:
        """Whether ``rating`` is high enough for supplemental benefits.

        None: no supplemental benefit threshold is recorded for this jurisdiction.
        """
        require_rating(rating)
        return None


def require_date(value: object, what: str) -> date:
    """``value`` if it is a calendar date (not a date and time), else BenefitInputError."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise BenefitInputError(f"{what} must be a calendar date, got {value!r}.")
    return value


def require_rating(value: object) -> int:
    """``value`` if it is a whole person rating, a whole percent from 0 to 100
    (docs/domain.md §2)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise BenefitInputError(
            f"The impairment rating must be a whole percent from 0 to 100, got {value!r}."
        )
    return value


def require_money(value: object, what: str) -> Decimal:
    """``value`` as a Decimal if it is a dollar amount of zero or more.

    Floats are refused: money is exact Decimal arithmetic.
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise BenefitInputError(f"{what} must be a dollar amount, got {value!r}.")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise BenefitInputError(f"{what} must be a dollar amount of $0 or more, got {value!r}.")
    return amount


def exact_amount(amount: Decimal) -> Decimal:
    """``amount`` unchanged in value, written with cents and no trailing zeros beyond them.

    700.0000 → 700.00, 490.2450 → 490.245, 639 → 639.00: an exact amount keeps every
    decimal it has, so nothing is rounded that the law does not round.
    """
    normalised = amount.normalize()
    exponent = normalised.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        return amount.quantize(Decimal("0.01"))
    return normalised


def dollars(amount: Decimal) -> str:
    """An amount as written in the steps: $1,234.50, or every decimal of an exact $639.359."""
    exponent = amount.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"${amount:,.{places}f}"
